import { describe, expect, it } from 'vitest';
import { quantize, quantizeBlock } from '../../src/audio/dither.js';

const SEED = 0x5eed;

/** Interleaved stereo test signal: a slow ramp across the whole range with fractional values. */
function signal(frames: number): Float64Array {
  const v = new Float64Array(frames * 2);
  for (let i = 0; i < v.length; i++) v[i] = -32000 + (64000 * i) / v.length + 0.37;
  return v;
}

function block(values: Float64Array, first: number, seed = SEED): { out: Int16Array; clipped: number } {
  const out = new Int16Array(values.length);
  const stats = { clipped: 0 };
  quantizeBlock(values, first, seed, out, stats);
  return { out, clipped: stats.clipped };
}

describe('quantize', () => {
  it('passes exact 16-bit integers through unchanged, full scale and silence included', () => {
    for (const v of [0, -0, 1, -1, 12345, -32768, 32767]) {
      for (let pos = 0; pos < 50; pos++) {
        expect(quantize(v, pos, pos & 1, SEED)).toBe(v === 0 ? 0 : v);
      }
    }
    expect(Object.is(quantize(-0, 0, 0, SEED), 0)).toBe(true);
  });

  it('gives the same output for the same inputs', () => {
    for (let pos = 0; pos < 100; pos++) expect(quantize(0.5, pos, 1, SEED)).toBe(quantize(0.5, pos, 1, SEED));
  });

  it('keeps its noise sequence (a change would change the bytes of every image built before)', () => {
    expect(Array.from({ length: 16 }, (_, i) => quantize(0.5, i, i & 1, 12345))).toEqual([1, 0, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 0]);
    expect(Array.from({ length: 8 }, (_, i) => quantize(-100.25, 2 ** 33 + i, 1, 0))).toEqual([-101, -100, -100, -101, -100, -100, -101, -100]);
  });

  it('depends on the seed, the position and the channel', () => {
    const run = (seed: number, channel: number, offset: number): string =>
      Array.from({ length: 64 }, (_, i) => quantize(0.5, i + offset, channel, seed)).join(',');
    expect(run(1, 0, 0)).not.toBe(run(2, 0, 0));
    expect(run(1, 0, 0)).not.toBe(run(1, 1, 0));
    expect(run(1, 0, 0)).not.toBe(run(1, 0, 64));
  });

  it('stays within 1.5 LSB of the value', () => {
    for (let pos = 0; pos < 20000; pos++) {
      const v = -1000 + pos * 0.1337;
      expect(Math.abs(quantize(v, pos, pos % 2, SEED) - v)).toBeLessThanOrEqual(1.5);
    }
  });

  it('adds no bias and TPDF noise power (error mean ≈ 0, mean square ≈ 1/4 LSB²)', () => {
    const n = 200000;
    let sum = 0;
    let sumSq = 0;
    for (let pos = 0; pos < n; pos++) {
      const v = 0.3 + (pos % 7) * 0.1;
      const e = quantize(v, pos, pos & 1, SEED) - v;
      sum += e;
      sumSq += e * e;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.005);
    expect(sumSq / n).toBeGreaterThan(0.24);
    expect(sumSq / n).toBeLessThan(0.26);
  });

  it('draws noise independent between channels and between neighbouring frames', () => {
    const n = 100000;
    const v = 0.5;
    const err = (pos: number, ch: number): number => quantize(v, pos, ch, SEED) - v;
    const corr = (f: (i: number) => [number, number]): number => {
      let sxy = 0;
      let sxx = 0;
      let syy = 0;
      for (let i = 0; i < n; i++) {
        const [x, y] = f(i);
        sxy += x * y;
        sxx += x * x;
        syy += y * y;
      }
      return sxy / Math.sqrt(sxx * syy);
    };
    expect(Math.abs(corr((i) => [err(i, 0), err(i, 1)]))).toBeLessThan(0.02);
    expect(Math.abs(corr((i) => [err(i, 0), err(i + 1, 0)]))).toBeLessThan(0.02);
    expect(Math.abs(corr((i) => [quantize(v, i, 0, 1) - v, quantize(v, i, 0, 2) - v]))).toBeLessThan(0.02);
  });

  it('clips beyond full scale, never wraps', () => {
    expect(quantize(40000, 0, 0, SEED)).toBe(32767);
    expect(quantize(32768, 0, 0, SEED)).toBe(32767);
    expect(quantize(-40000, 0, 0, SEED)).toBe(-32768);
    expect(quantize(Infinity, 0, 0, SEED)).toBe(32767);
    expect(quantize(-Infinity, 0, 0, SEED)).toBe(-32768);
    expect(quantize(NaN, 0, 0, SEED)).toBe(0);
  });

  it('handles frame positions beyond 32 bits', () => {
    const big = 2 ** 40 + 3;
    expect(quantize(0.5, big, 0, SEED)).toBe(quantize(0.5, big, 0, SEED));
    const a = Array.from({ length: 64 }, (_, i) => quantize(0.5, i, 0, SEED)).join(',');
    const b = Array.from({ length: 64 }, (_, i) => quantize(0.5, i + 2 ** 32, 0, SEED)).join(',');
    expect(a).not.toBe(b);
  });
});

describe('quantizeBlock', () => {
  it('matches quantize sample by sample', () => {
    const values = signal(5000);
    const { out } = block(values, 1234);
    for (let k = 0; k < values.length; k++) expect(out[k]).toBe(quantize(values[k]!, 1234 + (k >> 1), k & 1, SEED));
  });

  it('gives the same bytes rendered in chunks as in one piece', () => {
    const frames = 10000;
    const values = signal(frames);
    const whole = block(values, 500).out;
    const chunked = new Int16Array(values.length);
    let stats = 0;
    for (const [from, to] of [
      [0, 1],
      [1, 588],
      [588, 4097],
      [4097, 10000],
    ] as const) {
      const part = block(values.subarray(from * 2, to * 2), 500 + from);
      chunked.set(part.out, from * 2);
      stats += part.clipped;
    }
    expect(Buffer.from(chunked.buffer).equals(Buffer.from(whole.buffer))).toBe(true);
    expect(stats).toBe(0);
  });

  it('keeps exact integers and digital silence bit-identical', () => {
    const values = new Float64Array([0, 0, -32768, 32767, 1, -1, 0, 0]);
    expect([...block(values, 0).out]).toEqual([0, 0, -32768, 32767, 1, -1, 0, 0]);
  });

  it('counts clipped samples', () => {
    const { out, clipped } = block(new Float64Array([40000, 0, -40000, 32768, 100.5, -32768.4]), 0);
    expect(out[0]).toBe(32767);
    expect(out[2]).toBe(-32768);
    expect(out[3]).toBe(32767);
    expect(clipped).toBe(4);
    expect(block(new Float64Array([40000, 0]), 0).clipped).toBe(1);
  });

  it('does not count a 24-bit full-scale peak that only dither and rounding push over', () => {
    const values = new Float64Array(20000).fill(32767.99609375); // 24-bit 0x7FFFFF
    const { out, clipped } = block(values, 0);
    expect(clipped).toBe(0);
    expect(out.every((s) => s === 32767)).toBe(true);
  });

  it('adds to the counts already in stats', () => {
    const stats = { clipped: 5 };
    quantizeBlock(new Float64Array([1e6, -1e6]), 0, SEED, new Int16Array(2), stats);
    expect(stats.clipped).toBe(7);
  });
});
