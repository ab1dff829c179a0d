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
    try {
      // Chunks of odd sizes, starting at odd byte offsets: frames split across chunks.
      const sizes = [1, 3, 4097, 65536, 1_204_224, 13];
      let at = 0;
      for (let k = 0; at < bytes.length; k++) {
        const size = sizes[k % sizes.length]!;
        await worker.push(bytes.subarray(at, at + size));
        at += size;
      }
      expect(await worker.finish()).toEqual(expected);
    } finally {
      worker.close();
    }
  });

  it('keeps at most four buffers, and keeps the order of pushes that were not awaited', async () => {
    const worker = new AnalysisWorker(plan);
    try {
      const pushes: Promise<void>[] = [];
      for (let at = 0; at < bytes.length; at += 20000) pushes.push(worker.push(bytes.slice(at, at + 20000)));
      await Promise.all(pushes);
      expect(worker.allocated).toBeLessThanOrEqual(4);
      expect(await worker.finish()).toEqual(expected);
    } finally {
      worker.close();
    }
  });

  it('lets the caller reuse its chunk buffer as soon as push() resolves', async () => {
    const worker = new AnalysisWorker(plan);
    try {
      const chunk = new Uint8Array(40000);
      for (let at = 0; at < bytes.length; at += chunk.length) {
        const part = bytes.subarray(at, at + chunk.length);
        chunk.set(part);
        await worker.push(chunk.subarray(0, part.length));
        chunk.fill(0x55); // overwritten at once: the worker must have its own copy
      }
      expect(await worker.finish()).toEqual(expected);
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
        await worker.push(chunk.bytes.subarray(10), chunk);
        chunk.release();
      }
      await expect(worker.push(new Uint8Array(4), await pool.take(4))).rejects.toThrow("analysis: the bytes are not in the pooled chunk's memory");
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
        await worker.push(chunk.bytes, chunk);
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
    await worker.push(chunk.bytes, chunk);
    chunk.release();
    worker.close();
    expect(pool.available).toBe(2);
  });

  it('reports what the analysis refuses: a bad plan at once, too much audio, too little', async () => {
    expect(() => new AnalysisWorker({ trackStarts: [10, 5], imageSamples: 20 })).toThrow(RangeError);
    const tooMuch = new AnalysisWorker({ trackStarts: [0], imageSamples: 2 });
    try {
      await tooMuch.push(new Uint8Array(12));
      await expect(tooMuch.finish()).rejects.toThrow(/more audio/);
    } finally {
      tooMuch.close();
    }
    const tooLittle = new AnalysisWorker({ trackStarts: [0], imageSamples: 2 });
    try {
      await tooLittle.push(new Uint8Array(6));
      await expect(tooLittle.finish()).rejects.toThrow(/got 1 of 2/);
    } finally {
      tooLittle.close();
    }
  });

  it('close() stops it: a waiting finish() fails, and closing again does nothing', async () => {
    const worker = new AnalysisWorker(plan);
    await worker.push(bytes.subarray(0, 1000));
    const finishing = worker.finish();
    worker.close();
    worker.close();
    await expect(finishing).rejects.toThrow(/closed|got/);
    await expect(worker.push(bytes.subarray(0, 4))).rejects.toThrow(/after finish\(\) or close\(\)/);
  });
});
