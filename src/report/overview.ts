// The waveform overview of the whole disc for the HTML report: a fixed number of bins over the image,
// each with the smallest and largest sample and the RMS of each channel, fed the same 16-bit stereo
// chunks as IMAGE.DAT. Memory is a few arrays of `bins` numbers whatever the disc; the result depends
// only on the samples, never on how the image was cut into chunks.
//
// Sample i (a stereo sample frame, absolute) falls in bin floor(i × bins / imageSamples), so bin b
// covers [ceil(b × N / bins), ceil((b + 1) × N / bins)): every bin holds ⌊N/bins⌋ or ⌈N/bins⌉ frames,
// and when the image is shorter than `bins` some bins are empty (min = max = rms = 0).

import { BYTES_PER_SAMPLE, HOST_LITTLE_ENDIAN } from '../time.js';
import { I32, V128, op, wasmModule, type WasmFunction } from './wasm.js';

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

/** Frames decoded per step on a big-endian host (which scans in plain JavaScript): bounds the scratch buffer. */
const SLICE_FRAMES = 4096;

// What scanBin() reports, as indexes into its output array (a plain function over typed arrays stays optimised).
const MIN_L = 0;
const MAX_L = 1;
const MIN_R = 2;
const MAX_R = 3;
const SQ_L = 4;
const SQ_R = 5;

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
  /** Bytes of a frame split across push() calls. */
  private readonly pending = new Uint8Array(BYTES_PER_SAMPLE);
  private pendingBytes = 0;
  /** Frames decoded here (a frame split across pushes, or everything on a big-endian host): one int32 per frame, L in the low half. */
  private readonly scratch = new Int32Array(SLICE_FRAMES);
  /** The SIMD scan, on little-endian hosts (where its memory can be read back through typed arrays). */
  private readonly kernel = HOST_LITTLE_ENDIAN ? new OverviewKernel() : undefined;
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
    const frames = Math.floor((this.pendingBytes + pcm.length) / BYTES_PER_SAMPLE);
    if (this.position + frames > this.imageSamples) throw new RangeError(`overview: more audio than the image's ${this.imageSamples} sample frames`);
    let offset = 0;
    if (this.pendingBytes > 0) {
      offset = Math.min(BYTES_PER_SAMPLE - this.pendingBytes, pcm.length);
      this.pending.set(pcm.subarray(0, offset), this.pendingBytes);
      this.pendingBytes += offset;
      if (this.pendingBytes < BYTES_PER_SAMPLE) return;
      this.take(this.frames(this.pending), 1);
      this.pendingBytes = 0;
    }
    const end = offset + Math.floor((pcm.length - offset) / BYTES_PER_SAMPLE) * BYTES_PER_SAMPLE;
    const kernel = this.kernel;
    if (kernel !== undefined) {
      // Copied into the kernel's memory a piece at a time (whatever the input's alignment), then scanned there.
      for (let at = offset; at < end; at += OVERVIEW_KERNEL_FRAMES * BYTES_PER_SAMPLE) {
        const piece = pcm.subarray(at, Math.min(end, at + OVERVIEW_KERNEL_FRAMES * BYTES_PER_SAMPLE));
        kernel.bytes.set(piece);
        this.take(kernel.frames, piece.length / BYTES_PER_SAMPLE, kernel);
      }
    } else {
      for (let at = offset; at < end; at += SLICE_FRAMES * BYTES_PER_SAMPLE) {
        const piece = pcm.subarray(at, Math.min(end, at + SLICE_FRAMES * BYTES_PER_SAMPLE));
        this.take(this.frames(piece), piece.length / BYTES_PER_SAMPLE);
      }
    }
    this.pending.set(pcm.subarray(end), 0);
    this.pendingBytes = pcm.length - end;
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

  /** Frames [0, n) of `pcm` (one int32 per frame, L in the low 16 bits), at the current position; `kernel` when `pcm` is its frames. */
  private take(pcm: Int32Array, n: number, kernel?: OverviewKernel): void {
    const out = this.out;
    let i = 0;
    while (i < n) {
      const j = Math.min(n, i + (this.binEnd - this.position));
      if (kernel !== undefined) kernel.scan(i, j, out);
      else scanBin(pcm, i, j, out);
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
 * [min L, max L, min R, max R, Σ L², Σ R²]: the plain JavaScript reference for the kernel, which also
 * scans the few frames at the end of a run that do not fill its vectors. The sums are of
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

// ---------------------------------------------------------------------------------------------
// The SIMD scan. Four stereo frames are one v128 of eight int16 lanes, L R L R L R L R: i16x8.min_s
// and max_s keep eight running extremes (the even lanes left, the odd ones right, split at the end).
// The squares come from i32x4.extmul of the low and high halves of each vector with themselves,
// [L0², R0², L1², R1²] + [L2², R2², L3², R3²]: each square is at most 32768² = 2^30, so each sum of
// two is at most 2^31, exact as an unsigned 32-bit lane (but not as a signed one, and adding a third
// could wrap), so each is widened unsigned into the i64x2 accumulators [ΣL², ΣR²] at once: exact
// for any run (they would need 2^32 vectors to overflow). Eight frames per turn of the loop; the
// few at the end of a run are left to scanBin. Since every sum is exact, the six results are
// exactly scanBin's, which the tests check.
// ---------------------------------------------------------------------------------------------

/** Frames of the kernel's buffer: the overview copies its input in pieces of this many (128 KiB). */
export const OVERVIEW_KERNEL_FRAMES = 32768;
/** Frames per iteration of the kernel's loop (two vectors); runs shorter than this, and what is left at their end, are scanned in JavaScript. */
const STEP_FRAMES = 8;
/** Where the kernel leaves its results: the eight minima (int16), the eight maxima, then ΣL² and ΣR² (int64). */
const RESULT_AT = 0;
/** Where the frames start in the kernel's memory. */
const FRAMES_AT = 64;
const PAGE = 65536;

/** scan(at, end): the frames at byte addresses [at, end), a whole number of STEP_FRAMES, results at RESULT_AT. */
function overviewScanFunction(): WasmFunction {
  const [AT, END, MIN, MAX, ACC0, ACC1, V, S] = [0, 1, 2, 3, 4, 5, 6, 7];
  const vector = (offset: number): number[] => [
    ...op.localGet(AT), ...op.load(offset), ...op.localTee(V),
    ...op.localGet(MIN), ...op.i16x8MinS, ...op.localSet(MIN),
    ...op.localGet(MAX), ...op.localGet(V), ...op.i16x8MaxS, ...op.localSet(MAX),
    ...op.localGet(V), ...op.localGet(V), ...op.i32x4ExtmulLowI16x8S,
    ...op.localGet(V), ...op.localGet(V), ...op.i32x4ExtmulHighI16x8S,
    ...op.i32x4Add, ...op.localTee(S),
    ...op.i64x2ExtendLowI32x4U, ...op.localGet(ACC0), ...op.i64x2Add, ...op.localSet(ACC0),
    ...op.localGet(S), ...op.i64x2ExtendHighI32x4U, ...op.localGet(ACC1), ...op.i64x2Add, ...op.localSet(ACC1),
  ];
  return {
    name: 'scan',
    params: [I32, I32],
    results: [],
    locals: [[6, V128]],
    body: [
      ...op.i16x8(32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767), ...op.localSet(MIN),
      ...op.i16x8(-32768, -32768, -32768, -32768, -32768, -32768, -32768, -32768), ...op.localSet(MAX),
      ...op.i32x4(0, 0, 0, 0), ...op.localTee(ACC0), ...op.localSet(ACC1),
      ...op.block, ...op.loop,
      ...op.localGet(AT), ...op.localGet(END), ...op.i32GeU, ...op.brIf(1),
      ...vector(0), ...vector(16),
      ...op.localGet(AT), ...op.i32Const(STEP_FRAMES * BYTES_PER_SAMPLE), ...op.i32Add, ...op.localSet(AT),
      ...op.br(0),
      ...op.end, ...op.end,
      ...op.i32Const(RESULT_AT), ...op.localGet(MIN), ...op.store(0),
      ...op.i32Const(RESULT_AT), ...op.localGet(MAX), ...op.store(16),
      ...op.i32Const(RESULT_AT), ...op.localGet(ACC0), ...op.localGet(ACC1), ...op.i64x2Add, ...op.store(32),
    ],
  };
}

const OVERVIEW_MODULE = wasmModule([overviewScanFunction()]);

/**
 * The overview's scan as a WebAssembly SIMD kernel over a buffer of OVERVIEW_KERNEL_FRAMES frames in
 * its own memory (little-endian hosts only: the frames and results are read through typed arrays).
 */
export class OverviewKernel {
  /** The buffer as bytes (copy little-endian PCM in here) and as frames (one int32 per frame, L in the low half). */
  readonly bytes: Uint8Array;
  readonly frames: Int32Array;
  private readonly scanAt: (at: number, end: number) => void;
  private readonly extremes: Int16Array;
  private readonly sums: Uint32Array;
  private readonly tail = new Float64Array(6);

  constructor() {
    const memory = new WebAssembly.Memory({ initial: Math.ceil((FRAMES_AT + OVERVIEW_KERNEL_FRAMES * BYTES_PER_SAMPLE) / PAGE) });
    this.scanAt = new WebAssembly.Instance(OVERVIEW_MODULE, { env: { memory } }).exports.scan as (at: number, end: number) => void;
    this.bytes = new Uint8Array(memory.buffer, FRAMES_AT, OVERVIEW_KERNEL_FRAMES * BYTES_PER_SAMPLE);
    this.frames = new Int32Array(memory.buffer, FRAMES_AT, OVERVIEW_KERNEL_FRAMES);
    this.extremes = new Int16Array(memory.buffer, RESULT_AT, 16);
    this.sums = new Uint32Array(memory.buffer, RESULT_AT + 32, 4);
  }

  /** What scanBin(this.frames, from, to, out) gives (0 ≤ from < to ≤ OVERVIEW_KERNEL_FRAMES), the whole vectors by the kernel. */
  scan(from: number, to: number, out: Float64Array): void {
    const split = to - ((to - from) % STEP_FRAMES);
    if (split === from) {
      scanBin(this.frames, from, to, out);
      return;
    }
    this.scanAt(FRAMES_AT + from * BYTES_PER_SAMPLE, FRAMES_AT + split * BYTES_PER_SAMPLE);
    const e = this.extremes;
    const s = this.sums;
    out[MIN_L] = Math.min(e[0]!, e[2]!, e[4]!, e[6]!);
    out[MIN_R] = Math.min(e[1]!, e[3]!, e[5]!, e[7]!);
    out[MAX_L] = Math.max(e[8]!, e[10]!, e[12]!, e[14]!);
    out[MAX_R] = Math.max(e[9]!, e[11]!, e[13]!, e[15]!);
    out[SQ_L] = s[0]! + s[1]! * 2 ** 32;
    out[SQ_R] = s[2]! + s[3]! * 2 ** 32;
    if (split < to) {
      const t = this.tail;
      scanBin(this.frames, split, to, t);
      if (t[MIN_L]! < out[MIN_L]) out[MIN_L] = t[MIN_L]!;
      if (t[MAX_L]! > out[MAX_L]) out[MAX_L] = t[MAX_L]!;
      if (t[MIN_R]! < out[MIN_R]) out[MIN_R] = t[MIN_R]!;
      if (t[MAX_R]! > out[MAX_R]) out[MAX_R] = t[MAX_R]!;
      out[SQ_L] = out[SQ_L] + t[SQ_L]!;
      out[SQ_R] = out[SQ_R] + t[SQ_R]!;
    }
  }
}
