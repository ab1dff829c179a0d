import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Crc32Parts } from '../../src/checksum/digest.js';
import { addCrcs, ANALYSIS_SCRATCH_BYTES, DiscAnalyzer, type AnalysisPlan, type DiscAnalysis } from '../../src/report/analysis.js';
import { WaveformOverview, type OverviewData } from '../../src/report/overview.js';
import { K_WEIGHTING_STATE_BYTES, KWeightingFilter, kWeightedEnergyReference, kWeighting } from '../../src/report/loudness.js';
import { CENTRAL_DIFFERENCES, CENTRAL_PAIRS, channelBufferBytes, designInterpolator, HALF_TAPS, INTERPOLATOR, interpolatedPeakReference, PeakKernel } from '../../src/report/true-peak.js';

/** Interleaved L, R frames → the little-endian bytes of IMAGE.DAT. */
function bytesOf(frames: [number, number][]): Uint8Array {
  const pcm = new Int16Array(frames.length * 2);
  frames.forEach(([l, r], i) => {
    pcm[2 * i] = l;
    pcm[2 * i + 1] = r;
  });
  return new Uint8Array(pcm.buffer);
}

/** Analyses `bytes` pushed in chunks of the given sizes (cycled), or in one chunk. */
function analyse(bytes: Uint8Array, plan: Partial<AnalysisPlan> = {}, chunkSizes: number[] = [bytes.length]): DiscAnalysis {
  const analyzer = new DiscAnalyzer({ trackStarts: plan.trackStarts ?? [0], imageSamples: plan.imageSamples ?? bytes.length / 4 });
  let at = 0;
  for (let k = 0; at < bytes.length; k++) {
    const size = Math.max(1, chunkSizes[k % chunkSizes.length]!);
    analyzer.push(bytes.subarray(at, at + size));
    at += size;
  }
  return analyzer.finish();
}

/** CRC-32 one bit at a time from its definition (reflected polynomial 0xEDB88320, init and final XOR 0xFFFFFFFF). */
function crc32Bitwise(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

const hex = (crc: number): string => crc.toString(16).toUpperCase().padStart(8, '0');

/** A deterministic test image: noise of varying level, silence, and runs at both rails. */
function mixedImage(frames: number, seed = 1): Uint8Array {
  const pcm = new Int16Array(frames * 2);
  let s = seed;
  for (let i = 0; i < frames; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const level = (i >> 12) % 4 === 3 ? 0 : 8000 * (1 + ((i >> 10) % 4));
    const v = Math.round(((s / 4294967296) * 2 - 1) * level);
    pcm[2 * i] = v;
    pcm[2 * i + 1] = (i >> 11) % 5 === 0 ? 0 : -v >> 1;
    if (i % 9973 < 5) pcm[2 * i] = 32767; // short runs at the positive rail
    if (i % 7919 < 4) pcm[2 * i + 1] = -32768;
  }
  return new Uint8Array(pcm.buffer);
}

describe('CRC-32', () => {
  it('the bitwise reference gives the standard check value for "123456789"', () => {
    expect(hex(crc32Bitwise(new TextEncoder().encode('123456789')))).toBe('CBF43926');
  });

  it('is 9AE0DAAF for the two frames "12345678", as the bitwise reference computes', () => {
    const bytes = new TextEncoder().encode('12345678');
    const { tracks, disc } = analyse(bytes);
    expect(tracks[0]!.crc32).toBe('9AE0DAAF');
    expect(disc.crc32).toBe(hex(crc32Bitwise(bytes)));
  });

  it("equals zlib.crc32 of each track's bytes and of the whole image, boundaries inside chunks", () => {
    const bytes = mixedImage(30000);
    const starts = [1000, 12345, 12346, 29999];
    const { tracks, disc } = analyse(bytes, { trackStarts: starts }, [4000, 777, 10001]);
    const bounds = [...starts, 30000];
    tracks.forEach((t, i) => expect(t.crc32).toBe(hex(zlib.crc32(bytes.subarray(bounds[i]! * 4, bounds[i + 1]! * 4)))));
    expect(disc.crc32).toBe(hex(zlib.crc32(bytes)));
  });

  it('is 00000000 for an empty track', () => {
    const { tracks } = analyse(mixedImage(100), { trackStarts: [0, 50, 50] });
    expect(tracks[1]!.crc32).toBe('00000000');
  });
});

describe('clipping', () => {
  // Left: runs of 3 (+32767) at 2, 2 at 8 (not a run), 4 (−32768) at 12, and +,+,− at 20 (mixed rails: no run).
  // Right: 5 × +32767 at 12 (same frame as the left run: listed once), 3 × −32768 at 30.
  const frames: [number, number][] = Array.from({ length: 40 }, () => [0, 0]);
  const setL = (from: number, values: number[]): void => values.forEach((v, k) => (frames[from + k]![0] = v));
  const setR = (from: number, values: number[]): void => values.forEach((v, k) => (frames[from + k]![1] = v));
  setL(2, [32767, 32767, 32767]);
  setL(8, [32767, 32767]);
  setL(12, [-32768, -32768, -32768, -32768]);
  setL(20, [32767, 32767, -32768]);
  setR(12, [32767, 32767, 32767, 32767, 32767]);
  setR(30, [-32768, -32768, -32768]);
  setL(35, [32766, 32766, 32766]); // one below the rail
  const bytes = bytesOf(frames);

  it('counts runs of ≥ 3 samples at one rail, per channel, with their first positions', () => {
    const { disc } = analyse(bytes);
    expect(disc.clipping).toEqual({ runs: 4, samples: 3 + 4 + 5 + 3, first: [2, 12, 30] });
  });

  it('counts a run crossing a track boundary in each track where ≥ 3 of its samples lie, and once for the disc', () => {
    // Boundary at 14: the left run 12–15 leaves 2 samples before it and 2 after; the right run 12–16 leaves 3 after.
    const { tracks, disc } = analyse(bytes, { trackStarts: [0, 14] }, [13, 5]);
    expect(tracks[0]!.clipping).toEqual({ runs: 1, samples: 3, first: [2] });
    expect(tracks[1]!.clipping).toEqual({ runs: 2, samples: 3 + 3, first: [14, 30] });
    expect(disc.clipping.runs).toBe(4);
  });

  it('lists at most the first 10 run positions', () => {
    const many: [number, number][] = [];
    for (let k = 0; k < 12; k++) many.push([32767, 0], [32767, 0], [32767, 0], [0, 0]);
    const { disc } = analyse(bytesOf(many));
    expect(disc.clipping.runs).toBe(12);
    expect(disc.clipping.first).toEqual([0, 4, 8, 12, 16, 20, 24, 28, 32, 36]);
  });
});

describe('silence, peaks and DC', () => {
  it('counts digital silence at the head and tail; one non-zero channel is sound', () => {
    const frames: [number, number][] = Array.from({ length: 20 }, () => [0, 0]);
    frames[5] = [0, 1];
    frames[12] = [-3, 0];
    const { disc } = analyse(bytesOf(frames));
    expect(disc.silence).toEqual({ headSamples: 5, tailSamples: 7 });
  });

  it('a silent track is silent from head to tail; its peaks and DC are −Infinity, its loudness null', () => {
    const frames: [number, number][] = Array.from({ length: 30000 }, (_, i) => (i < 10000 ? [100, -100] : [0, 0]));
    const { tracks } = analyse(bytesOf(frames), { trackStarts: [0, 10000] });
    const silent = tracks[1]!;
    expect(silent.silence).toEqual({ headSamples: 20000, tailSamples: 20000 });
    expect(silent.samplePeakDbfs).toBe(-Infinity);
    expect(silent.truePeakDbtp).toBe(-Infinity);
    expect(silent.dcOffsetDbfs).toEqual({ left: -Infinity, right: -Infinity });
    expect(silent.integratedLufs).toBeNull();
    expect(silent.loudnessRangeLu).toBeNull();
    expect((JSON.parse(JSON.stringify(silent)) as { samplePeakDbfs: unknown }).samplePeakDbfs).toBeNull(); // as documented
  });

  it('reads the sample peak of known values: 16384 is −6.02 dBFS, −32768 is 0 dBFS', () => {
    const half = analyse(bytesOf([[0, 0], [0, 16384], [-100, 0]])).disc;
    expect(half.samplePeakDbfs).toBeCloseTo(20 * Math.log10(0.5), 10);
    const full = analyse(bytesOf([[-32768, 0], [0, 0]])).disc;
    expect(full.samplePeakDbfs).toBe(0);
  });

  it('never reports a true peak below the sample peak', () => {
    const { disc } = analyse(bytesOf([[0, 0], [20000, 0], [0, 0]]));
    expect(disc.truePeakDbtp).toBeGreaterThanOrEqual(disc.samplePeakDbfs);
  });

  it('measures DC offset per channel as |mean| in dBFS', () => {
    const frames: [number, number][] = Array.from({ length: 1000 }, (_, i) => [328 + (i % 2 ? 50 : -50), i % 2 ? 7 : -7]);
    const { disc } = analyse(bytesOf(frames));
    expect(disc.dcOffsetDbfs.left).toBeCloseTo(20 * Math.log10(328 / 32768), 10);
    expect(disc.dcOffsetDbfs.right).toBe(-Infinity);
  });
});

describe('streaming', () => {
  const bytes = mixedImage(200000, 7);
  const plan = { trackStarts: [3000, 50000, 50001, 123457], imageSamples: 200000 };
  const whole = analyse(bytes, plan);

  it('gives exactly the same figures however the image is cut into chunks', () => {
    expect(analyse(bytes, plan, [1, 2, 3, 5, 4099, 65537, 13])).toEqual(whole);
    expect(analyse(bytes, plan, [588 * 4])).toEqual(whole);
    expect(analyse(bytes, plan, [1_000_003])).toEqual(whole);
  });

  it('reads chunks that start at an odd byte offset of their buffer', () => {
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    expect(analyse(shifted.subarray(1), plan, [10007])).toEqual(whole);
  });

  it('gives the same result with track boundaries inside chunks as at chunk edges', () => {
    const cuts = [3000, 47000, 1, 73456, 76543].map((f) => f * 4); // chunk edges at exactly the track starts
    expect(analyse(bytes, plan, cuts)).toEqual(whole);
  });

  it('reports every track, and the disc covers them all (and the part before track 1)', () => {
    expect(whole.tracks).toHaveLength(4);
    expect(whole.disc.samplePeakDbfs).toBeGreaterThanOrEqual(Math.max(...whole.tracks.map((t) => t.samplePeakDbfs)));
    expect(whole.disc.truePeakDbtp).toBeGreaterThanOrEqual(Math.max(...whole.tracks.map((t) => t.truePeakDbtp)));
    expect(whole.disc.clipping.first[0]).toBe(0); // a run in the part before track 1
  });

  it('refuses more audio than planned, too little, and a bad plan', () => {
    const a = new DiscAnalyzer({ trackStarts: [0], imageSamples: 2 });
    expect(() => a.push(new Uint8Array(12))).toThrow(/more audio/);
    a.push(new Uint8Array(6));
    expect(() => a.finish()).toThrow(/got 1 of 2/);
    expect(() => new DiscAnalyzer({ trackStarts: [10, 5], imageSamples: 20 })).toThrow(RangeError);
    expect(() => new DiscAnalyzer({ trackStarts: [0], imageSamples: -1 })).toThrow(RangeError);
  });
});

describe('waveform overview from the scan', () => {
  /** The analyser's overview of `bytes` pushed in chunks of the given sizes (cycled). */
  function overviewOf(bytes: Uint8Array, bins: number, plan: AnalysisPlan, chunkSizes: number[]): OverviewData {
    const analyzer = new DiscAnalyzer(plan, { overviewBins: bins });
    let at = 0;
    for (let k = 0; at < bytes.length; k++) {
      const size = chunkSizes[k % chunkSizes.length]!;
      analyzer.push(bytes.subarray(at, at + size));
      at += size;
    }
    analyzer.finish();
    return analyzer.overview()!;
  }

  /** WaveformOverview on its own (its tests check it against a plain reference). */
  function standalone(bytes: Uint8Array, bins: number): OverviewData {
    const overview = new WaveformOverview(bytes.length / 4, bins);
    overview.push(bytes);
    return overview.data();
  }

  it('equals the standalone overview for any chunking and bin count, pieces ending inside a 4-frame group included', () => {
    const bytes = mixedImage(50_003, 3);
    const plan = { trackStarts: [1001, 20_000, 33_333], imageSamples: 50_003 };
    for (const bins of [1, 7, 1200, 49_999]) {
      const expected = standalone(bytes, bins);
      expect(overviewOf(bytes, bins, plan, [bytes.length])).toEqual(expected);
      expect(overviewOf(bytes, bins, plan, [1, 4097 * 4 + 2, 13, 65_536])).toEqual(expected);
    }
  });

  it('keeps each channel\'s own extremes: a bin of all-positive left and all-negative right samples never shows 0', () => {
    // 10 frames per bin: pieces end inside 4-frame groups, whose missing frames must not count as zeros.
    const frames: [number, number][] = Array.from({ length: 30 }, (_, i) => [100 + i, -200 - i]);
    const data = overviewOf(bytesOf(frames), 3, { trackStarts: [0, 5, 17], imageSamples: 30 }, [8, 20, 4, 88]);
    expect(data.channels[0].min).toEqual([100, 110, 120]);
    expect(data.channels[0].max).toEqual([109, 119, 129]);
    expect(data.channels[1].min).toEqual([-209, -219, -229]);
    expect(data.channels[1].max).toEqual([-200, -210, -220]);
    expect(data).toEqual(standalone(bytesOf(frames), 3));
  });

  it('is exact at full scale: every square 2^30, summed without loss', () => {
    const frames: [number, number][] = Array.from({ length: 100_000 }, () => [-32768, -32768]);
    const data = overviewOf(bytesOf(frames), 2, { trackStarts: [0], imageSamples: 100_000 }, [65_536]);
    expect(data.channels).toEqual([
      { min: [-32768, -32768], max: [-32768, -32768], rms: [32768, 32768] },
      { min: [-32768, -32768], max: [-32768, -32768], rms: [32768, 32768] },
    ]);
  });

  it('is refused before finish(), and absent when not asked for', () => {
    const analyzer = new DiscAnalyzer({ trackStarts: [0], imageSamples: 1 }, { overviewBins: 1 });
    expect(() => analyzer.overview()).toThrow('analysis: overview() before finish()');
    const plain = new DiscAnalyzer({ trackStarts: [0], imageSamples: 1 });
    plain.push(new Uint8Array(4));
    plain.finish();
    expect(plain.overview()).toBeUndefined();
  });
});

describe('PCM in the analyser\'s own memory', () => {
  it('is analysed where it lies, never copied into the analysis\'s buffers, with the same figures', () => {
    const bytes = mixedImage(30_001, 8);
    const plan = { trackStarts: [700, 20_000], imageSamples: 30_001 };
    const expected = analyse(bytes, plan, [4099 * 4 + 2]);
    const memory = new WebAssembly.Memory({ initial: 4, maximum: 4, shared: true });
    const all = new Uint8Array(memory.buffer);
    const analyzer = new DiscAnalyzer(plan, { memory, overviewBins: 50 });
    all.fill(0x55, 0, 16384); // where a copy would go (the first 16 KiB of the analysis's page)
    const at = ANALYSIS_SCRATCH_BYTES + 2;
    for (let done = 0; done < bytes.length; done += 40_000) {
      const part = bytes.subarray(done, done + 40_000);
      all.set(part, at);
      analyzer.push(all.subarray(at, at + part.length));
    }
    expect(analyzer.finish()).toEqual(expected);
    expect(all.subarray(0, 16384).every((b) => b === 0x55)).toBe(true);
    const overview = new WaveformOverview(30_001, 50);
    overview.push(bytes);
    expect(analyzer.overview()).toEqual(overview.data());
  });

  it('refuses a memory smaller than the analysis\'s page', () => {
    expect(() => new DiscAnalyzer({ trackStarts: [0], imageSamples: 1 }, { memory: new WebAssembly.Memory({ initial: 0, maximum: 1 }) })).toThrow('analysis: the memory is smaller than the analysis needs');
  });
});

describe('CRC-32s from the caller', () => {
  it('leaves crc32 empty with crc: false, and addCrcs() fills in the parts and the whole', () => {
    const bytes = mixedImage(30_000, 4);
    const plan = { trackStarts: [500, 12_000], imageSamples: 30_000 };
    const own = analyse(bytes, plan);
    const analyzer = new DiscAnalyzer(plan, { crc: false });
    analyzer.push(bytes);
    const without = analyzer.finish();
    expect([without.disc.crc32, ...without.tracks.map((t) => t.crc32)]).toEqual(['', '', '']);
    const parts = new Crc32Parts([500 * 4, 12_000 * 4]);
    parts.update(bytes);
    expect(addCrcs(without, { parts: parts.parts(), whole: parts.whole() })).toEqual(own);
    expect(() => addCrcs(without, { parts: [1, 2], whole: 3 })).toThrow('analysis: 2 CRC-32 parts for 2 tracks (expected one more: the audio before track 1)');
  });
});

describe('loudness building blocks', () => {
  it('K-weighting recomputed at 48 kHz matches BS.1770-4 Annex 1, Tables 1 and 2', () => {
    const [shelf, highPass] = kWeighting(48000);
    expect(shelf.b0).toBeCloseTo(1.53512485958697, 12);
    expect(shelf.b1).toBeCloseTo(-2.69169618940638, 12);
    expect(shelf.b2).toBeCloseTo(1.19839281085285, 12);
    expect(shelf.a1).toBeCloseTo(-1.69065929318241, 12);
    expect(shelf.a2).toBeCloseTo(0.73248077421585, 12);
    expect([highPass.b0, highPass.b1, highPass.b2]).toEqual([1, -2, 1]);
    expect(highPass.a1).toBeCloseTo(-1.99004745483398, 12);
    expect(highPass.a2).toBeCloseTo(0.99007225036621, 12);
  });

  it('a 1 kHz sine at −23 dBFS in both channels measures −23.0 LUFS with no loudness range', () => {
    const frames = 20 * 44100;
    const pcm = new Int16Array(frames * 2);
    const a = 32768 * 10 ** (-23 / 20);
    for (let i = 0; i < frames; i++) pcm[2 * i] = pcm[2 * i + 1] = Math.round(a * Math.sin((2 * Math.PI * 1000 * i) / 44100));
    const { disc } = analyse(new Uint8Array(pcm.buffer));
    expect(Math.abs(disc.integratedLufs! + 23)).toBeLessThan(0.05);
    expect(disc.loudnessRangeLu).toBeCloseTo(0, 3);
  });

  it('gives a track none of the energy of the track before it: a −40 dBFS sine after full-scale noise reads −40.0 LUFS', () => {
    // The boundary lies off both 100 ms grids (1.03 s in), and the chunks cut across everything.
    const loud = Math.round(1.03 * 44100);
    const quiet = 10 * 44100;
    const pcm = new Int16Array((loud + quiet) * 2);
    const x = noise(loud * 2, 32767, 31);
    for (let i = 0; i < loud * 2; i++) pcm[i] = x[i]!;
    const amplitude = 32768 * 10 ** (-40 / 20);
    for (let i = 0; i < quiet; i++) pcm[2 * (loud + i)] = pcm[2 * (loud + i) + 1] = Math.round(amplitude * Math.sin((2 * Math.PI * 1000 * i) / 44100));
    const bytes = new Uint8Array(pcm.buffer);
    const alone = analyse(bytes.subarray(loud * 4), { trackStarts: [0], imageSamples: quiet });
    for (const chunks of [[bytes.length], [4099 * 4 + 2, 13, 65536]]) {
      const both = analyse(bytes, { trackStarts: [0, loud], imageSamples: loud + quiet }, chunks);
      expect(Math.abs(both.tracks[1]!.integratedLufs! - -40)).toBeLessThan(0.05);
      expect(Math.abs(both.tracks[1]!.integratedLufs! - alone.tracks[0]!.integratedLufs!)).toBeLessThan(0.01);
    }
  });

  it('has no loudness for a track shorter than one 400 ms block', () => {
    const frames: [number, number][] = Array.from({ length: 17000 }, (_, i) => [(i * 37) % 20000, 0]);
    const { disc } = analyse(bytesOf(frames));
    expect(disc.integratedLufs).toBeNull();
    expect(disc.samplePeakDbfs).toBeCloseTo(20 * Math.log10(19999 / 32768), 10);
  });
});

/** Seeded uniform integers in [−amplitude, amplitude). */
function noise(n: number, amplitude: number, seed = 3): Float64Array {
  const x = new Float64Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = Math.floor((s / 4294967296 - 0.5) * 2 * amplitude);
  }
  return x;
}

/** A PeakKernel over a fresh memory, its left channel filled from `x` (and the rest of the buffers poisoned). */
function kernelWith(x: Float64Array): PeakKernel {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const capacity = 4096;
  const size = channelBufferBytes(capacity);
  const kernel = new PeakKernel(memory, { left: 0, right: size, leftHalf: 2 * size, rightHalf: 3 * size }, capacity);
  // The loudest 16-bit sample everywhere else: a read outside the range shows at once.
  kernel.set(0, 0, new Array<number>(kernel.left.length).fill(-32768));
  kernel.set(0, 0, x);
  return kernel;
}

describe('true-peak interpolator', () => {
  it('the WebAssembly kernel equals the plain float64 loop to float32 precision, for any count of gaps', () => {
    const x = noise(4000, 32768);
    const kernel = kernelWith(x);
    for (const [from, to] of [[7, 3992], [20, 21], [20, 22], [20, 23], [20, 24], [20, 25], [1001, 1003], [3000, 3991]] as const) {
      const reference = interpolatedPeakReference(x, from, to);
      expect(Math.abs(kernel.peak(0, from, to) - reference)).toBeLessThan(reference * 2e-6);
    }
    expect(kernel.peak(0, 50, 50)).toBe(0);
  });

  it('reads nothing past the last gap: the masked lanes of the last vector stay out of the result', () => {
    const x = noise(200, 1000);
    const kernel = kernelWith(x);
    for (let to = 100; to < 104; to++) {
      kernel.set(0, to + HALF_TAPS, [30000]); // just past what the gaps before `to` read
      const reference = interpolatedPeakReference(x, 50, to);
      expect(Math.abs(kernel.peak(0, 50, to) - reference)).toBeLessThan(reference * 2e-6);
      kernel.set(0, to + HALF_TAPS, [x[to + HALF_TAPS]!]);
    }
  });

  it('peakAbove() finds the peak whenever it exceeds the floor, on quiet, smooth, dense and mixed material', () => {
    const n = 4000;
    const smooth = Float64Array.from({ length: n }, (_, i) => Math.round(20000 * Math.sin(i / 30) + 5000 * Math.sin(i / 7)));
    const mixed = noise(n, 30000, 5).map((v, i) => (Math.floor(i / 500) % 2 ? v : Math.round(v / 100)));
    for (const x of [noise(n, 300), smooth, noise(n, 30000, 9), mixed]) {
      const kernel = kernelWith(x);
      const exact = kernel.peak(0, 7, n - 8);
      for (const floor of [0, exact * 0.5, exact * 0.99, exact * 0.999999, exact * 1.01]) {
        const found = kernel.peakAbove(0, 7, n - 8, floor, Math.max(...x.map(Math.abs)));
        if (exact > floor) expect(found).toBe(exact);
        else expect(found).toBeLessThanOrEqual(floor);
      }
    }
  });

  it('peakAbove() finds the peak on full-scale material, where points pass 0 dBFS and the skip test\'s sums are largest', () => {
    const n = 4000;
    // fs/4 at 45°: every sample ±23170 or so, points up to √2 higher; a full-scale square; clipped loud noise.
    const quarter = Float64Array.from({ length: n }, (_, i) => Math.max(-32768, Math.min(32767, Math.round(46341 * Math.sin((Math.PI * i) / 2 + Math.PI / 4)))));
    const square = Float64Array.from({ length: n }, (_, i) => (Math.floor(i / 3) % 2 ? 32767 : -32768));
    const clipped = noise(n, 90000, 21).map((v) => Math.max(-32768, Math.min(32767, v)));
    for (const x of [quarter, square, clipped]) {
      const kernel = kernelWith(x);
      const exact = kernel.peak(0, 7, n - 8);
      expect(Math.abs(exact - interpolatedPeakReference(x, 7, n - 8))).toBeLessThan(exact * 2e-6);
      expect(exact).toBeGreaterThan(32768);
      for (const floor of [0, 32768, exact * 0.999, exact * 0.999999, exact * 1.01]) {
        const found = kernel.peakAbove(0, 7, n - 8, floor, 32768);
        if (exact > floor) expect(found).toBe(exact);
        else expect(found).toBeLessThanOrEqual(floor);
      }
    }
  });

  it('no point exceeds the bounds the skipping relies on (gain × largest input; the central pairs + the rest × largest input)', () => {
    const f = INTERPOLATOR;
    const tail = (from: number, term: (k: number) => number): number => f.plus.reduce((sum, _p, k) => (k >= from ? sum + term(k) : sum), 0);
    // The skip test sums the differences of one pair fewer: that pair's difference joins the tail.
    const tailQuarters = tail(CENTRAL_PAIRS, (k) => 2 * Math.max(Math.abs(f.plus[k]!), Math.abs(f.minus[k]!))) + 2 * Math.abs(f.minus[CENTRAL_DIFFERENCES]!);
    const tailHalf = tail(CENTRAL_PAIRS, (k) => 2 * Math.abs(f.half[k]!));
    const signals = [noise(3000, 32768, 11), Float64Array.from({ length: 3000 }, (_, i) => Math.round(30000 * Math.sin(i / 3) * Math.sin(i / 200)))];
    for (const x of signals) {
      for (let c = HALF_TAPS; c < x.length - HALF_TAPS - 1; c++) {
        let big = 0;
        for (let j = c - HALF_TAPS + 1; j <= c + HALF_TAPS; j++) big = Math.max(big, Math.abs(x[j]!));
        const point = interpolatedPeakReference(x, c, c + 1);
        expect(point).toBeLessThanOrEqual(f.gain * big * (1 + 1e-12));
        let p = 0;
        let m = 0;
        let h = 0;
        for (let k = 0; k < CENTRAL_PAIRS; k++) {
          p += f.plus[k]! * (x[c - k]! + x[c + 1 + k]!);
          if (k < CENTRAL_DIFFERENCES) m += f.minus[k]! * (x[c - k]! - x[c + 1 + k]!);
          h += f.half[k]! * (x[c - k]! + x[c + 1 + k]!);
        }
        expect(point).toBeLessThanOrEqual(Math.max(Math.abs(p) + Math.abs(m) + tailQuarters * big, Math.abs(h) + tailHalf * big) * (1 + 1e-12));
      }
    }
    expect(CENTRAL_PAIRS).toBe(3);
    expect(tailQuarters).toBeLessThan(0.23);
  });

  it('is flat within ±0.08 dB from DC to 16 kHz and ±0.125 dB to 18 kHz at 44.1 kHz, in every phase', () => {
    const f = designInterpolator();
    for (let hz = 0; hz <= 18000; hz += 250) {
      const w = (2 * Math.PI * hz) / 44100;
      // Gains of the points at ¼ (= ¾ mirrored) and ½ of the way between samples.
      let re = 0;
      let im = 0;
      let half = 0;
      f.plus.forEach((p, k) => {
        const m = f.minus[k]!;
        // The ¼ point weighs x[c−k] by p + m and x[c+1+k] by p − m.
        re += (p + m) * Math.cos(w * -k) + (p - m) * Math.cos(w * (k + 1));
        im += (p + m) * Math.sin(w * -k) + (p - m) * Math.sin(w * (k + 1));
        half += 2 * f.half[k]! * Math.cos(w * (k + 0.5));
      });
      const limit = hz <= 16000 ? 0.08 : 0.125;
      expect(Math.abs(20 * Math.log10(Math.hypot(re, im)))).toBeLessThan(limit);
      expect(Math.abs(20 * Math.log10(Math.abs(half)))).toBeLessThan(limit);
    }
    expect(INTERPOLATOR.gain).toBeGreaterThan(1);
  });

  it('per-track peaks: a quiet track after a loud one, and a loud one after a quiet one, each read their own true peak', () => {
    // Sines with intersample peaks; the running maxima are per track, so the quiet track's peak is not skipped.
    const frames = 3 * 44100;
    const pcm = new Int16Array(frames * 2);
    const level = (i: number): number => (i < 44100 ? 30000 : i < 88200 ? 3000 : 20000);
    for (let i = 0; i < frames; i++) pcm[2 * i] = pcm[2 * i + 1] = Math.round(level(i) * Math.sin((2 * Math.PI * 11025 * i) / 44100 + Math.PI / 4));
    const { tracks, disc } = analyse(new Uint8Array(pcm.buffer), { trackStarts: [0, 44100, 88200] }, [100003]);
    // The exact figures: the reference interpolator over each track's gaps of the continuous signal.
    const x = new Float64Array(frames + 2 * HALF_TAPS);
    for (let i = 0; i < frames; i++) x[HALF_TAPS + i] = pcm[2 * i]!;
    const bounds = [0, 44100, 88200, frames];
    tracks.forEach((t, k) => {
      const peak = interpolatedPeakReference(x, HALF_TAPS + bounds[k]!, HALF_TAPS + bounds[k + 1]!);
      expect(Math.abs(t.truePeakDbtp - 20 * Math.log10(peak / 32768))).toBeLessThan(1e-4);
    });
    expect(disc.truePeakDbtp).toBe(tracks[0]!.truePeakDbtp);
  });
});

describe('K-weighting kernel', () => {
  it('sums the same energy as two plain biquads in float64, however the audio is cut into calls', () => {
    const frames = 30000;
    const pcm = new Int16Array(frames * 2);
    const x = noise(frames * 2, 20000, 13);
    for (let i = 0; i < pcm.length; i++) pcm[i] = x[i]!;
    const memory = new WebAssembly.Memory({ initial: 1 });
    const view = new Int16Array(memory.buffer, 0, 2 * 8192);
    const filter = new KWeightingFilter(44100, memory, 65536 - K_WEIGHTING_STATE_BYTES);
    let at = 0;
    for (const n of [1, 2, 3, 4, 5, 4093, 8192, 7, 8192, 8192, 8192]) {
      const m = Math.min(n, frames - at);
      view.set(pcm.subarray(2 * at, 2 * (at + m)));
      filter.run(0, m, at % 3 === 0);
      at += m;
    }
    expect(at).toBe(frames);
    const [left, right] = filter.sums;
    const reference = kWeightedEnergyReference(pcm, 44100);
    expect(Math.abs((left! + right!) * filter.energyScale - reference) / reference).toBeLessThan(1e-9);
  });
});

describe('long digital silence', () => {
  it('gives the same figures however it is cut into chunks (the filter rests through silence)', () => {
    const frames = 6 * 44100;
    const pcm = new Int16Array(frames * 2);
    const x = noise(frames * 2, 12000, 19);
    for (let i = 0; i < frames; i++) {
      if (i < 44100 || (i >= 4 * 44100 && i < 5 * 44100)) {
        pcm[2 * i] = x[2 * i]!;
        pcm[2 * i + 1] = x[2 * i + 1]!;
      }
    }
    const bytes = new Uint8Array(pcm.buffer);
    const plan = { trackStarts: [0, 3 * 44100], imageSamples: frames };
    const whole = analyse(bytes, plan);
    expect(analyse(bytes, plan, [4 * 4410 * 4 + 4, 999, 123457])).toEqual(whole);
    expect(analyse(bytes, plan, [1 << 20])).toEqual(whole);
    expect(whole.tracks[1]!.silence.headSamples).toBe(44100);
    expect(whole.disc.integratedLufs).not.toBeNull();
  });
});
