// Cuts 16-bit stereo PCM, pushed in pieces of any length, into whole sample frames: the analysis and
// the waveform overview both take the image in chunks that need not end on a frame.
import { BYTES_PER_SAMPLE } from '../time.js';

/** Hands on whole-frame pieces of at most `maxFrames` frames, assembling a frame split across pushes. */
export class FrameSlicer {
  private readonly pending = new Uint8Array(BYTES_PER_SAMPLE);
  private pendingBytes = 0;

  constructor(private readonly maxFrames: number) {}

  /** Whole frames there will be once `bytes` are added to what is pending (to check a bound before push()). */
  framesWith(bytes: Uint8Array): number {
    return Math.floor((this.pendingBytes + bytes.length) / BYTES_PER_SAMPLE);
  }

  /** Bytes of a frame begun and not finished. */
  get partialBytes(): number {
    return this.pendingBytes;
  }

  /** Calls `take` with the next whole frames, in order: a split frame first (from a copy), then pieces of `bytes` itself. */
  push(bytes: Uint8Array, take: (piece: Uint8Array) => void): void {
    let offset = 0;
    if (this.pendingBytes > 0) {
      offset = Math.min(BYTES_PER_SAMPLE - this.pendingBytes, bytes.length);
      this.pending.set(bytes.subarray(0, offset), this.pendingBytes);
      this.pendingBytes += offset;
      if (this.pendingBytes < BYTES_PER_SAMPLE) return;
      take(this.pending);
      this.pendingBytes = 0;
    }
    const end = offset + Math.floor((bytes.length - offset) / BYTES_PER_SAMPLE) * BYTES_PER_SAMPLE;
    const step = this.maxFrames * BYTES_PER_SAMPLE;
    for (let at = offset; at < end; at += step) take(bytes.subarray(at, Math.min(end, at + step)));
    this.pending.set(bytes.subarray(end), 0);
    this.pendingBytes = bytes.length - end;
  }
}
