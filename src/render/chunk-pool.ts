// A fixed set of chunk buffers in one SharedArrayBuffer, shared by every stage of a pass over the
// image: the renderer (or the reader of a fileset) fills a chunk once, and the file write, the MD5
// thread and the analysis thread all read that same memory. Nothing is copied from one stage to the
// next, nothing is allocated per chunk (no garbage to collect), and memory is bounded: take() waits
// while every slot is still held by some stage, which is how a slow stage slows the producer down.
//
// Each chunk counts its holders: the one who takes it holds it; a stage that keeps it past the
// moment it was handed over calls hold() and, when done, release(). The slot is free again when
// the count reaches 0.

/** One chunk of a ChunkPool: `bytes` is a view of its slot (its length is what was asked for). */
export class PooledChunk {
  private holders = 1;

  constructor(
    private readonly pool: ChunkPool,
    /** The slot's index in the pool. */
    readonly slot: number,
    /** The chunk's bytes: a view of the pool's SharedArrayBuffer. */
    readonly bytes: Buffer,
  ) {}

  /** The pool's memory, for handing the chunk to another thread (with bytes.byteOffset and bytes.length). */
  get shared(): SharedArrayBuffer {
    return this.pool.buffer;
  }

  /** One more holder: the slot stays taken until each holder has released it. */
  hold(): void {
    if (this.holders <= 0) throw new Error('chunk pool: hold() on a released chunk');
    this.holders++;
  }

  /** One holder fewer; the last one gives the slot back to the pool. */
  release(): void {
    if (this.holders <= 0) throw new Error('chunk pool: release() on a released chunk');
    if (--this.holders === 0) this.pool.giveBack(this.slot);
  }
}

/** `slots` buffers of `slotBytes` each, in one SharedArrayBuffer. */
export class ChunkPool {
  readonly buffer: SharedArrayBuffer;
  /** Byte offset of slot 0 in the buffer. */
  readonly offset: number;
  private readonly free: number[] = [];
  private readonly waiting: (() => void)[] = [];

  /**
   * A pool in a SharedArrayBuffer of its own, or in `place`: from byte `offset` of a given one (e.g. a
   * shared WebAssembly memory, so that a kernel working in that memory reads the chunks in place).
   */
  constructor(
    readonly slots: number,
    readonly slotBytes: number,
    place?: { buffer: SharedArrayBuffer; offset: number },
  ) {
    if (!Number.isSafeInteger(slots) || slots < 1 || !Number.isSafeInteger(slotBytes) || slotBytes < 1) {
      throw new RangeError(`chunk pool: bad size ${slots} × ${slotBytes}`);
    }
    this.buffer = place?.buffer ?? new SharedArrayBuffer(slots * slotBytes);
    this.offset = place?.offset ?? 0;
    if (!Number.isSafeInteger(this.offset) || this.offset < 0 || this.offset + slots * slotBytes > this.buffer.byteLength) {
      throw new RangeError(`chunk pool: ${slots} × ${slotBytes} bytes from byte ${this.offset} do not fit a buffer of ${this.buffer.byteLength}`);
    }
    for (let i = slots - 1; i >= 0; i--) this.free.push(i);
  }

  /** Slots not held by anyone. */
  get available(): number {
    return this.free.length;
  }

  /** A chunk of `size` bytes (at most slotBytes), held once by the caller; waits while every slot is held. */
  async take(size: number): Promise<PooledChunk> {
    if (!Number.isSafeInteger(size) || size < 0 || size > this.slotBytes) throw new RangeError(`chunk pool: ${size} bytes do not fit a ${this.slotBytes}-byte slot`);
    for (;;) {
      const slot = this.free.pop();
      if (slot !== undefined) return new PooledChunk(this, slot, Buffer.from(this.buffer, this.offset + slot * this.slotBytes, size));
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  /** @internal Called by PooledChunk.release() when the last holder lets go. */
  giveBack(slot: number): void {
    this.free.push(slot);
    this.waiting.shift()?.();
  }
}
