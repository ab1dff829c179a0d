// MD5 on a worker thread, so that reading or rendering, the CRC-32 and any analysis run on the main thread
// at the same time as the MD5 (the slowest step of verify and build). Chunks travel in a small pool of
// buffers that are transferred to the worker and back, never copied or garbage: memory stays flat.
import { Worker } from 'node:worker_threads';

/** The worker: plain JavaScript evaluated in the thread, so it runs the same from src/ (tests) and dist/. */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const hashes = new Map();
parentPort.on('message', (m) => {
  if (m.type === 'update') {
    let h = hashes.get(m.id);
    if (!h) { h = createHash('md5'); hashes.set(m.id, h); }
    h.update(new Uint8Array(m.buffer, 0, m.length));
    parentPort.postMessage({ type: 'done', buffer: m.buffer }, [m.buffer]);
  } else if (m.type === 'digest') {
    const h = hashes.get(m.id) || createHash('md5');
    hashes.delete(m.id);
    parentPort.postMessage({ type: 'digest', id: m.id, md5: h.digest('hex') });
  }
});
`;

/** Buffers in the pool: how many chunks may wait for the worker. */
const POOL_SIZE = 4;

type Message = { type: 'done'; buffer: ArrayBuffer } | { type: 'digest'; id: number; md5: string };

/** A worker thread computing the MD5 of any number of streams, one chunk at a time. */
export class Md5Worker {
  private readonly worker = new Worker(WORKER_SOURCE, { eval: true });
  private readonly free: ArrayBuffer[] = [];
  private created = 0;
  private nextId = 1;
  private waiting: (() => void) | undefined;
  private failure: Error | undefined;
  private readonly digests = new Map<number, (md5: string) => void>();

  constructor() {
    this.worker.on('message', (m: Message) => {
      if (m.type === 'done') {
        this.free.push(m.buffer);
        this.wake();
      } else {
        this.digests.get(m.id)?.(m.md5);
        this.digests.delete(m.id);
      }
    });
    this.worker.on('error', (e: unknown) => {
      this.failure = e instanceof Error ? e : new Error(String(e));
      this.wake();
    });
  }

  private wake(): void {
    const w = this.waiting;
    this.waiting = undefined;
    w?.();
  }

  /** Buffers the pool holds (in the worker or free): never more than POOL_SIZE. */
  get allocated(): number {
    return this.created;
  }

  /** A new stream id. */
  open(): number {
    return this.nextId++;
  }

  /** A pool buffer of at least `size` bytes (waits while all are with the worker); fill it, then pass it to update(). */
  async take(size: number): Promise<Buffer> {
    for (;;) {
      if (this.failure) throw this.failure;
      const i = this.free.findIndex((b) => b.byteLength >= size);
      if (i >= 0) return Buffer.from(this.free.splice(i, 1)[0]!, 0, size);
      if (this.created < POOL_SIZE) {
        this.created++;
        return Buffer.from(new ArrayBuffer(Math.max(size, 1 << 20)), 0, size);
      }
      // All buffers are out, or too small: wait for one, and replace a too-small one by a larger one.
      if (this.free.length > 0) {
        this.free.pop();
        this.created--;
        continue;
      }
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
  }

  /** Hands a buffer from take() to the worker for stream `id`; the caller must not use it afterwards. */
  update(id: number, chunk: Buffer): void {
    if (this.failure) throw this.failure;
    const buffer = chunk.buffer as ArrayBuffer;
    this.worker.postMessage({ type: 'update', id, buffer, length: chunk.length }, [buffer]);
  }

  /** The MD5 of everything sent for `id`, as 32 lower-case hex digits. */
  digest(id: number): Promise<string> {
    return new Promise((resolve, reject) => {
      if (this.failure) {
        reject(this.failure);
        return;
      }
      this.digests.set(id, resolve);
      this.worker.postMessage({ type: 'digest', id });
    });
  }

  /** Stops the thread. */
  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
