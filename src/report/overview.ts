// The waveform overview of the whole disc for the HTML report: a fixed number of bins over the image,
// each with the smallest and largest sample and the RMS of each channel, fed the same 16-bit stereo
// chunks as IMAGE.DAT. Memory is a few arrays of `bins` numbers whatever the disc; the result depends
// only on the samples, never on how the image was cut into chunks.
//
// The disc analysis draws it from its own scan (DiscAnalyzer's overviewBins: add() per piece); push()
// scans the PCM itself, plainly in JavaScript, for use on its own and as the tests' reference.
//
// Sample i (a stereo sample frame, absolute) falls in bin floor(i × bins / imageSamples), so bin b
// covers [ceil(b × N / bins), ceil((b + 1) × N / bins)): every bin holds ⌊N/bins⌋ or ⌈N/bins⌉ frames,
// and when the image is shorter than `bins` some bins are empty (min = max = rms = 0).

import { BYTES_PER_SAMPLE } from '../time.js';
import { FrameSlicer } from './frame-slicer.js';

/** One channel's figures per bin, in 16-bit sample units (−32768…32767). */
export interface OverviewChannel {
  /** Smallest sample of each bin (0 for an empty bin). */
  min: number[];
  /** Largest sample of each bin (0 for an empty bin). */
  max: number[];
  /** RMS of each bin, rounded to a whole 16-bit unit (0 for an empty bin). */
  rms: number[];
}

/** The overview as plain JSON values: what the report stores and the HTML draws. */
export interface OverviewData {
  /** Stereo sample frames of the whole image (lead-out × 588). */
  imageSamples: number;
  bins: number;
  /** [left, right]. */
  channels: [OverviewChannel, OverviewChannel];
}

/** Frames decoded per step: bounds the scratch buffer. */
const SLICE_FRAMES = 4096;

// A piece's figures (what scanBin() reports and add() takes), as indexes into an array: a plain
// function over typed arrays stays optimised.
export const MIN_L = 0;
export const MAX_L = 1;
export const MIN_R = 2;
export const MAX_R = 3;
export const SQ_L = 4;
export const SQ_R = 5;

/** Builds the waveform overview as the image streams past: push() the PCM in order, then data(). */
export class WaveformOverview {
  readonly imageSamples: number;
  readonly bins: number;
  private readonly minL: Int16Array;
  private readonly maxL: Int16Array;
  private readonly minR: Int16Array;
  private readonly maxR: Int16Array;
  private readonly sqL: Float64Array;
  private readonly sqR: Float64Array;
  /** Sample frames taken so far. */
  private position = 0;
  /** The bin being filled and the absolute frame where it ends. */
  private bin = 0;
  private currentEnd = 0;
  /** Whether the current bin has any samples yet (its min/max start from the first one). */
  private binStarted = false;
  /** The pushed PCM as pieces of whole frames (a frame split across push() calls assembled). */
  private readonly slicer = new FrameSlicer(SLICE_FRAMES);
  /** Frames decoded here: one int32 per frame, L in the low half. */
  private readonly scratch = new Int32Array(SLICE_FRAMES);
  private readonly out = new Float64Array(6);

  /** An overview of an image of `imageSamples` stereo sample frames in `bins` bins (e.g. 1200). */
  constructor(imageSamples: number, bins = 1200) {
    if (!Number.isSafeInteger(imageSamples) || imageSamples < 0) throw new RangeError(`overview: bad image length ${imageSamples}`);
    if (!Number.isSafeInteger(bins) || bins < 1 || bins > 1_000_000) throw new RangeError(`overview: bins must be 1…1000000, not ${bins}`);
    if (!Number.isSafeInteger(imageSamples * bins)) throw new RangeError('overview: image too long for that many bins');
    this.imageSamples = imageSamples;
    this.bins = bins;
    this.minL = new Int16Array(bins);
    this.maxL = new Int16Array(bins);
    this.minR = new Int16Array(bins);
    this.maxR = new Int16Array(bins);
    this.sqL = new Float64Array(bins);
    this.sqR = new Float64Array(bins);
    this.currentEnd = this.endOf(0);
  }

  /** Feed the next chunk of the image: interleaved L,R int16 samples (little-endian bytes, as in IMAGE.DAT), in order from sample 0. */
  push(pcm: Uint8Array): void {
    if (this.position + this.slicer.framesWith(pcm) > this.imageSamples) throw new RangeError(`overview: more audio than the image's ${this.imageSamples} sample frames`);
    this.slicer.push(pcm, (piece) => this.take(this.frames(piece), piece.length / BYTES_PER_SAMPLE));
  }

  /** Stereo sample frames taken so far. */
  get samplesDone(): number {
    return this.position;
  }

  /** The overview so far (bins not reached yet are empty); normally called after the whole image was pushed. */
  data(): OverviewData {
    const channel = (min: Int16Array, max: Int16Array, sq: Float64Array): OverviewChannel => {
      const rms: number[] = [];
      for (let b = 0; b < this.bins; b++) {
        const n = this.endOf(b) - this.startOf(b);
        const done = Math.min(n, Math.max(0, this.position - this.startOf(b)));
        rms.push(done > 0 ? Math.round(Math.sqrt(sq[b]! / done)) : 0);
      }
      return { min: Array.from(min), max: Array.from(max), rms };
    };
    return {
      imageSamples: this.imageSamples,
      bins: this.bins,
      channels: [channel(this.minL, this.maxL, this.sqL), channel(this.minR, this.maxR, this.sqR)],
    };
  }

  /** First frame of bin b. */
  private startOf(b: number): number {
    return Math.ceil((b * this.imageSamples) / this.bins);
  }

  /** Frame after the last of bin b. */
  private endOf(b: number): number {
    return Math.ceil(((b + 1) * this.imageSamples) / this.bins);
  }

  /** Frames [0, n) of `pcm` (one int32 per frame, L in the low 16 bits), at the current position. */
  private take(pcm: Int32Array, n: number): void {
    const out = this.out;
    let i = 0;
    while (i < n) {
      const j = Math.min(n, i + (this.binEnd - this.position));
      scanBin(pcm, i, j, out);
      this.add(j - i, out);
      i = j;
    }
  }

  /**
   * The frame where the current bin ends (absolute): a piece given to add() must not cross it.
   * Bins that hold no frames (images shorter than the bin count) are passed over.
   */
  get binEnd(): number {
    while (this.currentEnd <= this.position && this.bin < this.bins - 1) {
      this.bin++;
      this.currentEnd = this.endOf(this.bin);
      this.binStarted = false;
    }
    return this.currentEnd;
  }

  /**
   * Adds the figures of the next `frames` frames, all inside the current bin, as
   * [min L, max L, min R, max R, Σ L², Σ R²] (what scanBin gives): for a caller that scans the
   * audio itself (the disc analysis does, in the same pass as its own figures).
   */
  add(frames: number, figures: ArrayLike<number>): void {
    if (frames <= 0) return;
    if (this.position + frames > this.binEnd) throw new RangeError('overview: a piece crosses the end of its bin');
    const b = this.bin;
    if (!this.binStarted) {
      this.minL[b] = figures[MIN_L]!;
      this.maxL[b] = figures[MAX_L]!;
      this.minR[b] = figures[MIN_R]!;
      this.maxR[b] = figures[MAX_R]!;
      this.binStarted = true;
    } else {
      if (figures[MIN_L]! < this.minL[b]!) this.minL[b] = figures[MIN_L]!;
      if (figures[MAX_L]! > this.maxL[b]!) this.maxL[b] = figures[MAX_L]!;
      if (figures[MIN_R]! < this.minR[b]!) this.minR[b] = figures[MIN_R]!;
      if (figures[MAX_R]! > this.maxR[b]!) this.maxR[b] = figures[MAX_R]!;
    }
    this.sqL[b] = this.sqL[b]! + figures[SQ_L]!;
    this.sqR[b] = this.sqR[b]! + figures[SQ_R]!;
    this.position += frames;
  }

  /** Decodes little-endian frames (any alignment, any host) into the scratch buffer, one int32 per frame as a view would read them. */
  private frames(bytes: Uint8Array): Int32Array {
    const out = this.scratch;
    for (let k = 0; k < bytes.length >> 2; k++) {
      const b = 4 * k;
      out[k] = bytes[b]! | (bytes[b + 1]! << 8) | (bytes[b + 2]! << 16) | (bytes[b + 3]! << 24);
    }
    return out;
  }
}

/**
 * Min, max and sum of squares of each channel over frames [from, to) (to > from), into `out` as
 * [min L, max L, min R, max R, Σ L², Σ R²], plainly in JavaScript. The sums are of
 * integers below 2^53 while a bin holds fewer than 8 million frames (3 minutes), so they are exact
 * and adding them piece by piece gives the same result however the image was chunked.
 */
export function scanBin(frames: Int32Array, from: number, to: number, out: Float64Array): void {
  let minL = 32767;
  let maxL = -32768;
  let minR = 32767;
  let maxR = -32768;
  let sqL = 0;
  let sqR = 0;
  for (let i = from; i < to; i++) {
    const v = frames[i]!;
    const l = (v << 16) >> 16;
    const r = v >> 16;
    if (l < minL) minL = l;
    if (l > maxL) maxL = l;
    if (r < minR) minR = r;
    if (r > maxR) maxR = r;
    sqL += l * l;
    sqR += r * r;
  }
  out[MIN_L] = minL;
  out[MAX_L] = maxL;
  out[MIN_R] = minR;
  out[MAX_R] = maxR;
  out[SQ_L] = sqL;
  out[SQ_R] = sqR;
}
