import { describe, expect, it } from 'vitest';
import { scanBin, WaveformOverview } from '../../src/report/overview.js';

/** A deterministic generator of 32-bit words. */
function words(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s;
  };
}

/** A random int16 sample, often an extreme (full scale, ±1 from it, 0). */
function sample(next: () => number): number {
  const w = next();
  switch (w & 7) {
    case 0:
      return -32768;
    case 1:
      return 32767;
    case 2:
      return -32767;
    case 3:
      return 0;
    default:
      return (w >>> 16) - 32768;
  }
}

/** Fills `frames` (one int32 per frame, L in the low half) with stereo samples from `value`. */
function fill(frames: Int32Array, value: (i: number, channel: number) => number): void {
  for (let i = 0; i < frames.length; i++) frames[i] = (value(i, 0) & 0xffff) | (value(i, 1) << 16);
}

function reference(frames: Int32Array, from: number, to: number): number[] {
  const out = new Float64Array(6);
  scanBin(frames, from, to, out);
  return Array.from(out);
}

describe('WaveformOverview', () => {
  /** Bin figures computed directly from the frames with the reference scan. */
  function expected(frames: Int32Array, bins: number): { min: number[][]; max: number[][]; rms: number[][] } {
    const n = frames.length;
    const e = { min: [[], []] as number[][], max: [[], []] as number[][], rms: [[], []] as number[][] };
    for (let b = 0; b < bins; b++) {
      const from = Math.ceil((b * n) / bins);
      const to = Math.ceil(((b + 1) * n) / bins);
      const r = to > from ? reference(frames, from, to) : [0, 0, 0, 0, 0, 0];
      for (const c of [0, 1]) {
        e.min[c]!.push(r[2 * c]!);
        e.max[c]!.push(r[2 * c + 1]!);
        e.rms[c]!.push(to > from ? Math.round(Math.sqrt(r[4 + c]! / (to - from))) : 0);
      }
    }
    return e;
  }

  function check(frames: Int32Array, bins: number, chunkBytes: number[], e = expected(frames, bins)): void {
    const bytes = new Uint8Array(frames.buffer, frames.byteOffset, frames.byteLength);
    for (const chunk of chunkBytes) {
      const o = new WaveformOverview(frames.length, bins);
      for (let at = 0; at < bytes.length; at += chunk) o.push(bytes.subarray(at, at + chunk));
      const data = o.data();
      for (const c of [0, 1] as const) {
        expect(data.channels[c].min).toEqual(e.min[c]);
        expect(data.channels[c].max).toEqual(e.max[c]);
        expect(data.channels[c].rms).toEqual(e.rms[c]);
      }
    }
  }

  it('matches the reference per bin for many bin counts and chunkings', () => {
    const frames = new Int32Array(100_003);
    const next = words(5);
    fill(frames, () => sample(next));
    for (const bins of [1, 7, 1200, 30_000]) check(frames, bins, [4 * 100_003, 65_537, 4 * 32768 + 4, 4093]);
    // Bins of one frame or none (an image shorter than the bin count).
    const short = frames.subarray(0, 5003);
    for (const bins of [5003, 9000]) check(short, bins, [4 * 5003, 1001]);
  });

  it('is exact on a bin of 2^23 frames (3 minutes), at full scale and on random data', () => {
    const n = 2 ** 23;
    const frames = new Int32Array(n);
    fill(frames, () => -32768);
    const o = new WaveformOverview(n, 1);
    const bytes = new Uint8Array(frames.buffer);
    for (let at = 0; at < bytes.length; at += 1_000_003) o.push(bytes.subarray(at, at + 1_000_003));
    // Σ = 2^23 × 2^30 = 2^53 exactly, so the RMS is exactly 32768.
    expect(o.data().channels).toEqual([
      { min: [-32768], max: [-32768], rms: [32768] },
      { min: [-32768], max: [-32768], rms: [32768] },
    ]);
    const next = words(9);
    fill(frames, () => sample(next));
    check(frames, 1, [(1 << 20) + 2]);
    check(frames, 3, [4 * 32768]);
  });
});
