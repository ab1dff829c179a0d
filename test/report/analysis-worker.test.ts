import { describe, expect, it } from 'vitest';
import { DiscAnalyzer, type AnalysisPlan, type DiscAnalysis } from '../../src/report/analysis.js';
import { ANALYSIS_SCRATCH_BYTES } from '../../src/report/analysis.js';
import { AnalysisWorker } from '../../src/report/analysis-worker.js';
import { WaveformOverview } from '../../src/report/overview.js';
import { ChunkPool } from '../../src/render/chunk-pool.js';

/** Music-ish test image: noise at changing levels, silence, a sine with intersample peaks, runs at both rails. */
function image(frames: number, seed = 1): Uint8Array {
  const pcm = new Int16Array(frames * 2);
  let s = seed;
  for (let i = 0; i < frames; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const section = Math.floor(i / 20000) % 4;
    const noise = ((s / 4294967296) * 2 - 1) * [20000, 2000, 0, 0][section]!;
    const sine = section === 3 ? 32000 * Math.sin((Math.PI * i) / 2 + Math.PI / 4) : 0;
    pcm[2 * i] = Math.max(-32768, Math.min(32767, Math.round(noise + sine)));
    pcm[2 * i + 1] = i % 9973 < 4 ? -32768 : Math.round(noise / 2);
  }
  return new Uint8Array(pcm.buffer);
}

function inThread(bytes: Uint8Array, plan: AnalysisPlan): DiscAnalysis {
  const analyzer = new DiscAnalyzer(plan);
  analyzer.push(bytes);
  return analyzer.finish();
}

describe('AnalysisWorker', () => {
  const bytes = image(150000);
  const plan: AnalysisPlan = { trackStarts: [1000, 40000, 40001, 99999], imageSamples: 150000 };
  const expected = inThread(bytes, plan);

  it('gives exactly the same analysis as DiscAnalyzer in the thread', async () => {
    const worker = new AnalysisWorker(plan);
    const pool = new ChunkPool(2, 1_204_224);
    try {
      // Chunks of odd sizes, starting at odd byte offsets: frames split across chunks.
      const sizes = [1, 3, 4097, 65536, 1_204_224, 13];
      let at = 0;
      for (let k = 0; at < bytes.length; k++) {
        const part = bytes.subarray(at, at + sizes[k % sizes.length]!);
        const chunk = await pool.take(part.length);
        chunk.bytes.set(part);
        worker.push(chunk.bytes, chunk);
        chunk.release();
        at += part.length;
      }
      expect(await worker.finish()).toEqual(expected);
    } finally {
      worker.close();
    }
  });

  it('holds each chunk until it is analysed: with one slot, the producer waits for the worker', async () => {
    const worker = new AnalysisWorker(plan);
    const pool = new ChunkPool(1, 20_000);
    try {
      for (let at = 0; at < bytes.length; at += 20_000) {
        const part = bytes.subarray(at, at + 20_000);
        const chunk = await pool.take(part.length);
        chunk.bytes.set(part);
        worker.push(chunk.bytes, chunk);
        chunk.release();
        // The worker still holds it: the next take() waits until it says it is done.
        expect(pool.available).toBe(0);
      }
      expect(await worker.finish()).toEqual(expected);
      expect(pool.available).toBe(1);
    } finally {
      worker.close();
    }
  });

  it('reads pooled chunks where they are, holds each until analysed, and gives them all back', async () => {
    const worker = new AnalysisWorker(plan, { overviewBins: 100 });
    const pool = new ChunkPool(3, 50_000);
    try {
      for (let at = 0; at < bytes.length; at += 40_000) {
        const part = bytes.subarray(at, at + 40_000);
        const chunk = await pool.take(part.length + 10);
        chunk.bytes.set(part, 10);
        // Only the part after the first 10 bytes is audio, as verify hands over IMAGE.DAT after its offset.
        worker.push(chunk.bytes.subarray(10), chunk);
        chunk.release();
      }
      const other = await pool.take(4);
      expect(() => worker.push(new Uint8Array(4), other)).toThrow("analysis: the bytes are not in the pooled chunk's memory");
      expect(await worker.finish()).toEqual(expected);
      const overview = new WaveformOverview(plan.imageSamples, 100);
      overview.push(bytes);
      expect(worker.overview).toEqual(overview.data());
      expect(pool.available).toBe(2); // the one taken for the refused push is still the test's
    } finally {
      worker.close();
    }
  });

  it('analyses chunks of a pool in its own shared memory where they lie, with the same figures', async () => {
    const memory = new WebAssembly.Memory({ initial: 4, maximum: 4, shared: true });
    const worker = new AnalysisWorker(plan, { memory });
    const pool = new ChunkPool(2, 60_000, { buffer: memory.buffer as unknown as SharedArrayBuffer, offset: ANALYSIS_SCRATCH_BYTES });
    try {
      for (let at = 0; at < bytes.length; at += 60_000) {
        const part = bytes.subarray(at, at + 60_000);
        const chunk = await pool.take(part.length);
        chunk.bytes.set(part);
        worker.push(chunk.bytes, chunk);
        chunk.release();
      }
      expect(await worker.finish()).toEqual(expected);
      expect(pool.available).toBe(2);
    } finally {
      worker.close();
    }
  });

  it('gives back the chunks it holds when it is closed', async () => {
    const worker = new AnalysisWorker(plan);
    const pool = new ChunkPool(2, 8);
    const chunk = await pool.take(8);
    worker.push(chunk.bytes, chunk);
    chunk.release();
    expect(pool.available).toBe(1);
    worker.close();
    expect(pool.available).toBe(2);
  });

  it('reports what the analysis refuses: a bad plan at once, too much audio, too little', async () => {
    expect(() => new AnalysisWorker({ trackStarts: [10, 5], imageSamples: 20 })).toThrow(RangeError);
    const pool = new ChunkPool(2, 12);
    const tooMuch = new AnalysisWorker({ trackStarts: [0], imageSamples: 2 });
    try {
      const chunk = await pool.take(12);
      tooMuch.push(chunk.bytes, chunk);
      chunk.release();
      await expect(tooMuch.finish()).rejects.toThrow(/more audio/);
    } finally {
      tooMuch.close();
    }
    const tooLittle = new AnalysisWorker({ trackStarts: [0], imageSamples: 2 });
    try {
      const chunk = await pool.take(6);
      tooLittle.push(chunk.bytes, chunk);
      chunk.release();
      await expect(tooLittle.finish()).rejects.toThrow(/got 1 of 2/);
    } finally {
      tooLittle.close();
    }
  });

  it('close() stops it: a waiting finish() fails, and closing again does nothing', async () => {
    const worker = new AnalysisWorker(plan);
    const pool = new ChunkPool(1, 1000);
    const chunk = await pool.take(1000);
    chunk.bytes.set(bytes.subarray(0, 1000));
    worker.push(chunk.bytes, chunk);
    const finishing = worker.finish();
    worker.close();
    worker.close();
    await expect(finishing).rejects.toThrow(/closed|got/);
    expect(() => worker.push(chunk.bytes, chunk)).toThrow(/after finish\(\) or close\(\)/);
  });
});
