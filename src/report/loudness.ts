// Programme loudness (ITU-R BS.1770-4, EBU R 128) and loudness range (EBU Tech 3342) for
// 16-bit stereo, streamed. Both are computed from a history of 100 ms K-weighted energies, so the
// memory a measurement needs is 10 numbers per second of audio (80 bytes/s).

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

/** Streaming K-weighting of interleaved 16-bit stereo, both channels weighted 1.0 (BS.1770-4 Table 3). */
export class KWeightingFilter {
  private readonly s1: Biquad;
  private readonly s2: Biquad;
  // Transposed direct form II states: [shelf z1, z2, high-pass z1, z2] for left, then right.
  private readonly z = new Float64Array(8);

  /** Makes the filter pair for a sample rate. */
  constructor(rate: number) {
    [this.s1, this.s2] = kWeighting(rate);
  }

  /**
   * Filters frames [from, to) of `pcm` (L, R int16) and adds each frame's yL² + yR² (16-bit units)
   * to both running sums in `sums`, one sample at a time, so that the sums do not depend on how the
   * audio was cut into calls.
   */
  run(pcm: Int16Array, from: number, to: number, sums: Float64Array): void {
    const { b0, b1, b2, a1, a2 } = this.s1;
    const c1 = this.s2.a1;
    const c2 = this.s2.a2;
    const z = this.z;
    let l1 = z[0]!, l2 = z[1]!, l3 = z[2]!, l4 = z[3]!;
    let r1 = z[4]!, r2 = z[5]!, r3 = z[6]!, r4 = z[7]!;
    let sumA = sums[0]!;
    let sumB = sums[1]!;
    for (let i = from * 2, end = to * 2; i < end; i += 2) {
      const xl = pcm[i]!;
      const xr = pcm[i + 1]!;
      const sl = b0 * xl + l1;
      l1 = b1 * xl - a1 * sl + l2;
      l2 = b2 * xl - a2 * sl;
      const sr = b0 * xr + r1;
      r1 = b1 * xr - a1 * sr + r2;
      r2 = b2 * xr - a2 * sr;
      // High-pass numerator 1, −2, 1.
      const yl = sl + l3;
      l3 = -2 * sl - c1 * yl + l4;
      l4 = sl - c2 * yl;
      const yr = sr + r3;
      r3 = -2 * sr - c1 * yr + r4;
      r4 = sr - c2 * yr;
      const e = yl * yl + yr * yr;
      sumA += e;
      sumB += e;
    }
    sums[0] = sumA;
    sums[1] = sumB;
    z[0] = l1; z[1] = l2; z[2] = l3; z[3] = l4;
    z[4] = r1; z[5] = r2; z[6] = r3; z[7] = r4;
    for (let i = 0; i < 8; i++) if (z[i]! < DENORMAL_FLOOR && z[i]! > -DENORMAL_FLOOR) z[i] = 0;
  }
}

/**
 * The 100 ms K-weighted energies of one stretch of audio (a track or the disc), on a grid that
 * starts at the stretch's first sample, and what BS.1770 and Tech 3342 derive from them.
 */
export class LoudnessHistory {
  private readonly segments: Float64Array;
  private count = 0;
  private sum = 0;
  private filled = 0;

  /** Makes room for the whole segments of a stretch of `frames` sample frames. */
  constructor(frames: number) {
    this.segments = new Float64Array(Math.floor(frames / SEGMENT_FRAMES));
  }

  /** Frames still needed to complete the current 100 ms segment. */
  get room(): number {
    return SEGMENT_FRAMES - this.filled;
  }

  /** Σ(yL² + yR²) of the current segment so far, for the filter to add to. */
  get energy(): number {
    return this.sum;
  }

  /** Records that `frames` more frames were added, bringing the segment's sum to `energy`; never crosses a segment boundary. */
  advance(frames: number, energy: number): void {
    this.sum = energy;
    this.filled += frames;
    if (this.filled === SEGMENT_FRAMES) {
      if (this.count < this.segments.length) this.segments[this.count++] = this.sum / (SEGMENT_FRAMES * FULL_SCALE_SQUARED);
      this.sum = 0;
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
    const kept: number[] = [];
    for (const z of windows) if (z > threshold) kept.push(loudnessOf(z));
    if (kept.length === 0) return null;
    kept.sort((a, b) => a - b);
    // Tech 3342's percentile: the sorted value at round((n − 1) × p).
    const at = (p: number): number => kept[Math.round((kept.length - 1) * p)]!;
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
