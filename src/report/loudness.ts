// Programme loudness (ITU-R BS.1770-4, EBU R 128) and loudness range (EBU Tech 3342) for
// 16-bit stereo, streamed. Both are computed from a history of 100 ms K-weighted energies, so the
// memory a measurement needs is 10 numbers per second of audio (80 bytes/s).

import { I32, Kernels, V128, op, type WasmFunction } from './wasm.js';

/** One second-order section, normalised so that a0 = 1. */
export interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

// K-weighting as analog prototypes (BS.1770-4 Annex 1 gives the two stages only as 48 kHz
// coefficients, Tables 1 and 2; these centre frequencies, gain and Qs reproduce them, and are what
// lets the filters be recomputed for 44.1 kHz by the bilinear transform with pre-warping).
/** Stage 1 (head shelf) centre frequency, Hz. */
const SHELF_F0 = 1681.974450955533;
/** Stage 1 high-frequency gain, dB (≈ +4 dB). */
const SHELF_GAIN_DB = 3.999843853973347;
/** Stage 1 Q. */
const SHELF_Q = 0.7071752369554196;
/** Stage 1: exponent giving the mid-band gain (Vb = Vh^this). */
const SHELF_VB_EXPONENT = 0.4996667741545416;
/** Stage 2 (RLB high-pass) corner frequency, Hz. */
const HIGHPASS_F0 = 38.13547087602444;
/** Stage 2 Q. */
const HIGHPASS_Q = 0.5003270373238773;

/** The two K-weighting stages (BS.1770-4 Annex 1, Tables 1 and 2) for a sample rate: [shelf, high-pass]. */
export function kWeighting(rate: number): [Biquad, Biquad] {
  let k = Math.tan((Math.PI * SHELF_F0) / rate);
  const vh = Math.pow(10, SHELF_GAIN_DB / 20);
  const vb = Math.pow(vh, SHELF_VB_EXPONENT);
  let a0 = 1 + k / SHELF_Q + k * k;
  const shelf: Biquad = {
    b0: (vh + (vb * k) / SHELF_Q + k * k) / a0,
    b1: (2 * (k * k - vh)) / a0,
    b2: (vh - (vb * k) / SHELF_Q + k * k) / a0,
    a1: (2 * (k * k - 1)) / a0,
    a2: (1 - k / SHELF_Q + k * k) / a0,
  };
  k = Math.tan((Math.PI * HIGHPASS_F0) / rate);
  a0 = 1 + k / HIGHPASS_Q + k * k;
  // Table 2 keeps the numerator at 1, −2, 1 (not normalised to unit pass-band gain); so do we.
  const highPass: Biquad = { b0: 1, b1: -2, b2: 1, a1: (2 * (k * k - 1)) / a0, a2: (1 - k / HIGHPASS_Q + k * k) / a0 };
  return [shelf, highPass];
}

/** The −0.691 dB of the loudness formula (BS.1770-4 Annex 1): it cancels the K-filter's gain at 997 Hz. */
const LOUDNESS_OFFSET = -0.691;
/** Absolute gate, LUFS (BS.1770-4 Annex 1, gating; also EBU Tech 3342). */
export const ABSOLUTE_GATE = -70;
/** Relative gate for integrated loudness, LU below the absolute-gated loudness (BS.1770-4 Annex 1, gating). */
export const RELATIVE_GATE = -10;
/** Relative gate for loudness range, LU (EBU Tech 3342). */
export const LRA_RELATIVE_GATE = -20;
/** Lower and upper percentiles of the loudness range (EBU Tech 3342). */
export const LRA_PERCENTILES = [0.1, 0.95] as const;
/** The 100 ms step at 44.1 kHz: gating blocks are 400 ms with 75 % overlap (BS.1770-4 Annex 1, gating). */
export const SEGMENT_FRAMES = 4410;
/** Segments in a gating block (400 ms; BS.1770-4 Annex 1). */
export const BLOCK_SEGMENTS = 4;
/**
 * Segments in a short-term window (3 s, the short-term loudness of EBU Tech 3341 that Tech 3342
 * ranges over). Windows step by one segment (100 ms), the rate ffmpeg uses; libebur128 steps by 1 s.
 */
export const SHORT_TERM_SEGMENTS = 30;

/** Loudness of a mean square: L = −0.691 + 10·log10(Σ G·z) (BS.1770-4 Annex 1; G = 1 for L and R, Table 3). */
export function loudnessOf(meanSquare: number): number {
  return LOUDNESS_OFFSET + 10 * Math.log10(meanSquare);
}

const FULL_SCALE_SQUARED = 32768 * 32768;
/** States below this (in 16-bit units) are flushed to 0 so long digital silence never runs on denormals. */
const DENORMAL_FLOOR = 1e-20;

// The filter's state in its memory, in bytes from `stateAt`: vectors of [left, right].
const X1 = 0; // int32 lanes: x[n − 1] (lanes 0 and 1)
const X2 = 16; // int32 lanes: x[n − 2]
const D1 = 32; // f64x2: the second difference d[n − 1]
const D2 = 48; // d[n − 2]
const W1 = 64; // f64x2: after the shelf's poles, w[n − 1]
const W2 = 80; // w[n − 2]
const Y1 = 96; // f64x2: the output y[n − 1]
const Y2 = 112; // y[n − 2]
const SUM = 128; // f64x2: Σ y² per channel, the running sum
/** Bytes of state a filter needs in its memory. */
export const K_WEIGHTING_STATE_BYTES = 144;

/**
 * kweight(at, n, state): filters the n stereo int16 frames at byte `at` with both stages, left and
 * right in two lanes, and adds each y² to the running sum in the state, one frame at a time. The cascade is rearranged (the stages commute) so that as little as
 * possible runs in floating point and the loop-carried dependencies are one multiply and one
 * subtraction each:
 *   d[n] = x[n] − 2·x[n−1] + x[n−2]                      the high-pass's numerator, exact in int32
 *   u[n] = d[n] + (b1/b0)·d[n−1] + (b2/b0)·d[n−2]        the shelf's numerator, over b0
 *   w[n] = u[n] − a2·w[n−2] − a1·w[n−1]                 the shelf's poles
 *   y[n] = w[n] − c2·y[n−2] − c1·y[n−1]                 the high-pass's poles
 * Leaving b0 out of the numerator saves a multiply: w and y come out 1/b0 of their true values, and
 * the energies 1/b0² (KWeightingFilter.energyScale puts it back). Everything lives in locals inside
 * the loop; the state goes back to memory at the end, so the results do not depend on how the audio
 * was cut into calls.
 */
function kWeightFunction(shelf: Biquad, highPass: Biquad): WasmFunction {
  const [AT, N, ST, END, X, X1_, X2_, D_, D1_, D2_, W_, W1_, W2_, Y_, Y1_, Y2_, A_] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
  const state: [number, number][] = [[X1_, X1], [X2_, X2], [D1_, D1], [D2_, D2], [W1_, W1], [W2_, W2], [Y1_, Y1], [Y2_, Y2], [A_, SUM]];
  const times = (coefficient: number, local: number): number[] => [...op.localGet(local), ...op.f64x2(coefficient), ...op.f64x2Mul];
  const shift = (from: number, to: number): number[] => [...op.localGet(from), ...op.localSet(to)];
  /** One frame at byte AT + offset. */
  const frame = (offset: number): number[] => [
    // x = the frame's two int16 samples as int32 lanes; d = (x + x2) − (x1 + x1) as f64x2.
    ...op.localGet(AT), ...op.load32Zero(offset), ...op.i32x4ExtendLowI16x8S, ...op.localTee(X),
    ...op.localGet(X2_), ...op.i32x4Add, ...op.localGet(X1_), ...op.localGet(X1_), ...op.i32x4Add, ...op.i32x4Sub,
    ...op.f64x2ConvertLowI32x4S, ...op.localSet(D_),
    // w = ((d + b1/b0·d1) + (b2/b0·d2 − a2·w2)) − a1·w1: everything after the shelf's numerator is 1/b0 of the true value
    ...op.localGet(D_), ...times(shelf.b1 / shelf.b0, D1_), ...op.f64x2Add,
    ...times(shelf.b2 / shelf.b0, D2_), ...times(shelf.a2, W2_), ...op.f64x2Sub, ...op.f64x2Add,
    ...times(shelf.a1, W1_), ...op.f64x2Sub, ...op.localSet(W_),
    // y = (w − c2·y2) − c1·y1
    ...op.localGet(W_), ...times(highPass.a2, Y2_), ...op.f64x2Sub, ...times(highPass.a1, Y1_), ...op.f64x2Sub, ...op.localSet(Y_),
    ...shift(X1_, X2_), ...shift(X, X1_), ...shift(D1_, D2_), ...shift(D_, D1_),
    ...shift(W1_, W2_), ...shift(W_, W1_), ...shift(Y1_, Y2_), ...shift(Y_, Y1_),
    ...op.localGet(Y_), ...op.localGet(Y_), ...op.f64x2Mul, ...op.localGet(A_), ...op.f64x2Add, ...op.localSet(A_),
  ];
  return {
    name: 'kweight',
    params: [I32, I32, I32],
    results: [],
    locals: [[1, I32], [13, V128]],
    body: [
      ...state.flatMap(([local, at]) => [...op.localGet(ST), ...op.load(at), ...op.localSet(local)]),
      // Four frames per turn of the loop, then the last n mod 4 one by one.
      ...op.localGet(AT), ...op.localGet(N), ...op.i32Const(-4), ...op.i32And, ...op.i32Const(4), ...op.i32Mul, ...op.i32Add, ...op.localSet(END),
      ...op.block, ...op.loop,
      ...op.localGet(AT), ...op.localGet(END), ...op.i32GeU, ...op.brIf(1),
      ...frame(0), ...frame(4), ...frame(8), ...frame(12),
      ...op.localGet(AT), ...op.i32Const(16), ...op.i32Add, ...op.localSet(AT),
      ...op.br(0),
      ...op.end, ...op.end,
      ...op.localGet(END), ...op.localGet(N), ...op.i32Const(3), ...op.i32And, ...op.i32Const(4), ...op.i32Mul, ...op.i32Add, ...op.localSet(END),
      ...op.block, ...op.loop,
      ...op.localGet(AT), ...op.localGet(END), ...op.i32GeU, ...op.brIf(1),
      ...frame(0),
      ...op.localGet(AT), ...op.i32Const(4), ...op.i32Add, ...op.localSet(AT),
      ...op.br(0),
      ...op.end, ...op.end,
      ...state.flatMap(([local, at]) => [...op.localGet(ST), ...op.localGet(local), ...op.store(at)]),
    ],
  };
}

/** The kernels of each sample rate. */
const kernels = new Map<number, Kernels>();

/**
 * Streaming K-weighting of interleaved 16-bit stereo in a WebAssembly memory, both channels
 * weighted 1.0 (BS.1770-4 Table 3), with the energies summed per channel.
 */
export class KWeightingFilter {
  /** The running sum of y², per channel: [left, right], in units of 1/energyScale; run() adds to it, the caller reads and resets it. */
  readonly sums: Float64Array;
  /** What `sums` are multiplied by to give Σ y² in 16-bit units (b0² of the shelf: see kWeightFunction). */
  readonly energyScale: number;
  private readonly state: Float64Array;
  private readonly kweight: (at: number, n: number, state: number) => void;

  /** Makes the filter pair for a sample rate, with its state at byte `stateAt` of `memory` (K_WEIGHTING_STATE_BYTES). */
  constructor(
    rate: number,
    memory: WebAssembly.Memory,
    private readonly stateAt: number,
  ) {
    const [shelf, highPass] = kWeighting(rate);
    this.energyScale = shelf.b0 * shelf.b0;
    let forRate = kernels.get(rate);
    if (!forRate) {
      forRate = new Kernels(() => [kWeightFunction(shelf, highPass)]);
      kernels.set(rate, forRate);
    }
    this.kweight = forRate.exports(memory).kweight as (at: number, n: number, state: number) => void;
    this.state = new Float64Array(memory.buffer, stateAt, K_WEIGHTING_STATE_BYTES / 8);
    this.state.fill(0);
    this.sums = this.state.subarray(SUM / 8, SUM / 8 + 2);
  }

  /** True when every state is exactly 0: silence in gives exactly 0 out, so it need not be filtered. */
  get atRest(): boolean {
    const z = this.state;
    for (let i = 0; i < SUM / 8; i++) if (z[i] !== 0) return false;
    return true;
  }

  /**
   * Filters the `frames` frames (L, R int16) at byte `at` of the memory and adds each frame's y²
   * (16-bit units) per channel to the running sum. `flush` sets states that have decayed
   * to nearly nothing to 0, so that long digital silence never runs on denormals; call it at
   * positions that do not depend on how the audio was cut into calls.
   */
  run(at: number, frames: number, flush: boolean): void {
    this.kweight(at, frames, this.stateAt);
    if (flush) {
      const z = this.state;
      for (let i = W1 / 8; i < SUM / 8; i++) if (z[i]! < DENORMAL_FLOOR && z[i]! > -DENORMAL_FLOOR) z[i] = 0;
    }
  }
}

/** K-weighted energy Σ(yL² + yR²) of interleaved 16-bit stereo, plainly in JavaScript, for tests: the two biquads of kWeighting() in turn. */
export function kWeightedEnergyReference(pcm: Int16Array, rate: number): number {
  const [shelf, highPass] = kWeighting(rate);
  let energy = 0;
  for (let ch = 0; ch < 2; ch++) {
    let x1 = 0, x2 = 0, s1 = 0, s2 = 0, y1 = 0, y2 = 0;
    for (let i = ch; i < pcm.length; i += 2) {
      const x = pcm[i]!;
      const s = shelf.b0 * x + shelf.b1 * x1 + shelf.b2 * x2 - shelf.a1 * s1 - shelf.a2 * s2;
      const y = highPass.b0 * s + highPass.b1 * s1 + highPass.b2 * s2 - highPass.a1 * y1 - highPass.a2 * y2;
      energy += y * y;
      x2 = x1; x1 = x; s2 = s1; s1 = s; y2 = y1; y1 = y;
    }
  }
  return energy;
}

/**
 * The 100 ms K-weighted energies of one stretch of audio (a track or the disc), on a grid that
 * starts at the stretch's first sample, and what BS.1770 and Tech 3342 derive from them.
 */
export class LoudnessHistory {
  private readonly segments: Float64Array;
  private count = 0;
  private left = 0;
  private right = 0;
  private filled = 0;

  /** Makes room for the whole segments of a stretch of `frames` sample frames. */
  constructor(frames: number) {
    this.segments = new Float64Array(Math.floor(frames / SEGMENT_FRAMES));
  }

  /** Frames still needed to complete the current 100 ms segment. */
  get room(): number {
    return SEGMENT_FRAMES - this.filled;
  }

  /** Records `frames` more frames, with energy Σ yL², Σ yR² (the K-weighted y, 16-bit units) added to the segment's; never crosses a segment boundary. */
  advance(frames: number, left: number, right: number): void {
    this.left += left;
    this.right += right;
    this.filled += frames;
    if (this.filled === SEGMENT_FRAMES) {
      if (this.count < this.segments.length) this.segments[this.count++] = (this.left + this.right) / (SEGMENT_FRAMES * FULL_SCALE_SQUARED);
      this.left = 0;
      this.right = 0;
      this.filled = 0;
    }
  }

  /** Mean squares (zL + zR) of the windows of `width` segments, one per 100 ms step. */
  private windows(width: number): Float64Array {
    const n = Math.max(0, this.count - width + 1);
    const out = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let i = j; i < j + width; i++) sum += this.segments[i]!;
      out[j] = sum / width;
    }
    return out;
  }

  /** Gated integrated loudness in LUFS (BS.1770-4 Annex 1), or null when no block passes the gates. */
  integrated(): number | null {
    const blocks = this.windows(BLOCK_SEGMENTS);
    const absoluteGated = gatedMean(blocks, meanSquareOf(ABSOLUTE_GATE));
    if (absoluteGated === null) return null;
    const relative = meanSquareOf(loudnessOf(absoluteGated) + RELATIVE_GATE);
    const gated = gatedMean(blocks, Math.max(relative, meanSquareOf(ABSOLUTE_GATE)));
    return gated === null ? null : loudnessOf(gated);
  }

  /** Loudness range in LU (EBU Tech 3342), or null when no short-term window passes the gates. */
  range(): number | null {
    const windows = this.windows(SHORT_TERM_SEGMENTS);
    const absoluteGated = gatedMean(windows, meanSquareOf(ABSOLUTE_GATE));
    if (absoluteGated === null) return null;
    const threshold = Math.max(meanSquareOf(loudnessOf(absoluteGated) + LRA_RELATIVE_GATE), meanSquareOf(ABSOLUTE_GATE));
    // The windows' mean squares, sorted as numbers: loudness rises with them, so only the two
    // percentiles need turning into loudness.
    const kept = windows.filter((z) => z > threshold).sort();
    if (kept.length === 0) return null;
    // Tech 3342's percentile: the sorted value at round((n − 1) × p).
    const at = (p: number): number => loudnessOf(kept[Math.round((kept.length - 1) * p)]!);
    return at(LRA_PERCENTILES[1]) - at(LRA_PERCENTILES[0]);
  }
}

/** The mean square whose loudness is `lufs`. */
function meanSquareOf(lufs: number): number {
  return Math.pow(10, (lufs - LOUDNESS_OFFSET) / 10);
}

/** Mean of the values strictly above `threshold` (gating in the mean-square domain), or null if none. */
function gatedMean(values: Float64Array, threshold: number): number | null {
  let sum = 0;
  let n = 0;
  for (const z of values) {
    if (z > threshold) {
      sum += z;
      n++;
    }
  }
  return n === 0 ? null : sum / n;
}
