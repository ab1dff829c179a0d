// Streaming analysis of the rendered image for the disc report: loudness, loudness range, sample
// and true peak, clipping, DC offset, digital silence and CRC-32, per track and for the whole disc,
// in one pass over the 16-bit stereo PCM exactly as it goes into IMAGE.DAT.
//
// Memory is bounded: one 64 KiB WebAssembly page of buffers, plus for loudness the 100 ms energies
// of the disc and of each track, 2 × 10 doubles per second of audio (≈ 0.7 MB for a 74-minute disc).
//
// Speed (bench/analysis.ts): the per-sample work runs in small WebAssembly SIMD kernels — the scan
// below (peaks, sums, the waveform overview's figures, each channel's samples for the interpolator),
// the K-weighting (loudness.ts) and the true-peak interpolator (true-peak.ts). PCM is copied into the
// page a slice at a time, or, when it already lies in the analyser's memory (a shared memory the
// build renders into, see AnalysisWorker), read where it is. The CRC-32 is zlib's native one, once
// per track, the disc's combined from them, unless the caller's own pass gives them (the build's
// writer does). About 700 MB/s on noise, 430 on heavily clipped audio, 1 GB/s on music-like
// material, 3 GB/s on silence, on one core of the 2-core bench machine; results are identical
// however the audio is cut into chunks. AnalysisWorker (analysis-worker.ts) runs it on a worker thread.
//
// The audio is treated as one continuous signal, as a CD player plays it: the K-weighting filter
// and the true-peak interpolator run on across track boundaries instead of starting from silence
// at each track; a track's loudness blocks start at its own first sample.

import { crc32 as crc32Update, crc32Combine, crc32Hex } from '../checksum/digest.js';
import { BYTES_PER_SAMPLE, SAMPLE_RATE } from '../time.js';
import { K_WEIGHTING_STATE_BYTES, KWeightingFilter, LoudnessHistory } from './loudness.js';
import { HALF_TAPS, INTERPOLATOR, PeakKernel, channelBufferBytes, type PeakBuffers } from './true-peak.js';
import { FrameSlicer } from './frame-slicer.js';
import { MAX_L, MAX_R, MIN_L, MIN_R, SQ_L, SQ_R, WaveformOverview, type OverviewData } from './overview.js';
import { I32, Kernels, V128, op, type WasmFunction } from './wasm.js';

/**
 * Absolute sample-frame positions (44.1 kHz stereo) where each track's audio starts (index 01) —
 * track i spans [starts[i], starts[i+1]) and the last ends at imageSamples. Audio before the first
 * start (the pregap of track 1) counts for the disc only.
 */
export interface AnalysisPlan {
  trackStarts: number[];
  imageSamples: number;
}

/** Options of a DiscAnalyzer. */
export interface AnalyzerOptions {
  /**
   * Compute the CRC-32s (default true). False when the caller's own pass over the image computes them
   * (the fileset writer, with Crc32Parts cut at the track starts): the figures then have an empty crc32,
   * and addCrcs() fills it in.
   */
  crc?: boolean;
  /**
   * Parts of the analysis that can be left out, only to measure where the time goes (bench/analysis.ts):
   * the figures of a part left out are meaningless.
   */
  skip?: { kWeighting?: boolean; truePeak?: boolean };
  /** Also draw a waveform overview of the image in this many bins, from the same scan (see overview()). */
  overviewBins?: number | undefined;
  /**
   * The memory to work in (default: one page of its own). The analysis uses its first
   * ANALYSIS_SCRATCH_BYTES; chunks pushed as views of the rest of it are analysed where they are,
   * not copied: with a shared memory, another thread can fill them (AnalysisWorker and ChunkPool).
   */
  memory?: WebAssembly.Memory | undefined;
}

/** Runs of clipped samples in one stretch of audio. */
export interface ClippingStats {
  /** Runs of ≥ 3 consecutive samples of one channel at the same rail (+32767 or −32768), counted per channel. */
  runs: number;
  /** Samples (per channel, so a stereo frame can count twice) inside those runs. */
  samples: number;
  /** Absolute sample frames where the first runs start, at most 10, ascending; a frame where both channels start a run is listed once. */
  first: number[];
}

/**
 * What the report says about one track or the whole disc. Levels are relative to 16-bit full
 * scale (32768). −Infinity means "nothing there" (digital silence, or no DC at all): JSON.stringify
 * writes it as null, and whoever reads a report back must read null as −Infinity.
 */
export interface AudioStats {
  /** Integrated loudness, LUFS (ITU-R BS.1770-4); null when every block is gated (silence, or shorter than 400 ms). */
  integratedLufs: number | null;
  /** Loudness range, LU (EBU Tech 3342); null when every short-term window is gated (or shorter than 3 s). */
  loudnessRangeLu: number | null;
  /** Largest |sample| over both channels, dBFS; −Infinity for digital silence. */
  samplePeakDbfs: number;
  /** Largest |sample| of the 4× oversampled signal (BS.1770-4 Annex 2), dBTP; ≥ the sample peak; −Infinity for digital silence. */
  truePeakDbtp: number;
  clipping: ClippingStats;
  /** |mean| of each channel, dBFS; −Infinity when the mean is exactly 0. */
  dcOffsetDbfs: { left: number; right: number };
  /** Sample frames of digital silence (both channels exactly 0) at the start and at the end; both equal the length when all silent. */
  silence: { headSamples: number; tailSamples: number };
  /** CRC-32 (zlib polynomial) of the audio bytes, 8 upper-case hex digits, as EAC's "Copy CRC" ('' until addCrcs() when the analyser did not compute it). */
  crc32: string;
}

/** The analysis of every track (in order) and of the whole image. */
export interface DiscAnalysis {
  tracks: AudioStats[];
  disc: AudioStats;
}

/** 16-bit full scale: −32768 is 0 dBFS (and +32767 is −0.0003 dBFS). */
const FULL_SCALE = 32768;
/** Consecutive samples at a rail that count as clipping. */
const CLIP_RUN = 3;
/** How many run positions the report lists. */
const CLIP_FIRST = 10;
/**
 * Frames handled at once (93 ms, 16 KiB of PCM): bounds the buffers whatever chunk size the caller
 * pushes, and is the step of the coarse true-peak check (no point can exceed the interpolator's gain
 * × the slice's peak, so quiet slices skip the interpolator altogether).
 */
const SLICE_FRAMES = 4096;
/** Input samples kept from one slice to the next for the interpolator. */
const HISTORY = 2 * HALF_TAPS;


// The analysis's WebAssembly memory (one 64 KiB page per analyser), in bytes: the slice's PCM,
// what the scan found, the two channels as int16 for the interpolator (HISTORY frames of the
// previous slice first) and the same halved, the K-weighting's state, and the list of groups with
// a sample at a rail.
const PCM_AT = 0;
const STATS_AT = PCM_AT + SLICE_FRAMES * BYTES_PER_SAMPLE + 16;
const CHANNEL_SAMPLES = HISTORY + SLICE_FRAMES;
const CHANNEL_BYTES = channelBufferBytes(CHANNEL_SAMPLES);
const PEAK_BUFFERS: PeakBuffers = {
  left: STATS_AT + 128,
  right: STATS_AT + 128 + CHANNEL_BYTES,
  leftHalf: STATS_AT + 128 + 2 * CHANNEL_BYTES,
  rightHalf: STATS_AT + 128 + 3 * CHANNEL_BYTES,
};
const FILTER_AT = STATS_AT + 128 + 4 * CHANNEL_BYTES;
const RAILS_AT = FILTER_AT + K_WEIGHTING_STATE_BYTES;
/** Bytes of its memory the analysis uses itself (one 64 KiB page); the rest may hold PCM to analyse in place. */
export const ANALYSIS_SCRATCH_BYTES = 65536;
if (RAILS_AT + (SLICE_FRAMES / 4 + 1) * 4 > ANALYSIS_SCRATCH_BYTES) throw new Error('analysis: the buffers outgrow one WebAssembly page');
// What scan() leaves at STATS_AT, in bytes from there: int16 lanes of the largest and smallest
// sample (L, R, L, R, …), int32 lanes of the sums (L, R, L, R), and int64 lanes of the sums of
// squares (L, R).
const STAT_HIGH = 0;
const STAT_LOW = 16;
const STAT_SUMS = 32;
const STAT_SQUARES = 48;

/**
 * scan(pcm, from, to): one pass over frames [from, to) of the slice's PCM (at byte address `pcm`), four frames (one vector of
 * eight int16) at a time: the largest and smallest sample and the sum and sum of squares of each
 * channel, and each channel's samples, as they are and halved, into the interpolator's buffers. In
 * a last group of fewer than four frames the missing frames count as zeros for the sums (which
 * changes none of them), and as copies of the group's first frame for the extremes (it also writes
 * zeros into the channel buffers past `to`, which the next piece overwrites and nothing reads).
 * The sums of squares are exact: each square ≤ 2^30, two summed as unsigned 32-bit, widened into
 * 64-bit lanes.
 */
function scanFunction(): WasmFunction {
  const [PCM, FROM, TO, I, END, V, HIGH, LOW, SUMS, A, B, W, SQUARES, EXTREMES] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
  /** One group; the extremes come from EXTREMES when `masked` (the last, partial group), else from V. */
  const group = (masked: boolean): number[] => [
    ...op.localGet(HIGH), ...op.localGet(masked ? EXTREMES : V), ...op.i16x8MaxS, ...op.localSet(HIGH),
    ...op.localGet(LOW), ...op.localGet(masked ? EXTREMES : V), ...op.i16x8MinS, ...op.localSet(LOW),
    ...op.localGet(V), ...op.i32x4ExtendLowI16x8S, ...op.localSet(A), // L0 R0 L1 R1
    ...op.localGet(V), ...op.i32x4ExtendHighI16x8S, ...op.localSet(B), // L2 R2 L3 R3
    ...op.localGet(SUMS), ...op.localGet(A), ...op.i32x4Add, ...op.localGet(B), ...op.i32x4Add, ...op.localSet(SUMS),
    // Squares: [L0² + L2², R0² + R2², L1² + L3², R1² + R3²] as unsigned, widened and added as [ΣL², ΣR²].
    ...op.localGet(V), ...op.localGet(V), ...op.i32x4ExtmulLowI16x8S, ...op.localGet(V), ...op.localGet(V), ...op.i32x4ExtmulHighI16x8S, ...op.i32x4Add, ...op.localTee(W),
    ...op.i64x2ExtendLowI32x4U, ...op.localGet(W), ...op.i64x2ExtendHighI32x4U, ...op.i64x2Add, ...op.localGet(SQUARES), ...op.i64x2Add, ...op.localSet(SQUARES),
    // The channels: W = [L0 L1 L2 L3 R0 R1 R2 R3]; the low half to the left buffers, the high half to the right.
    ...op.localGet(V), ...op.localGet(V), ...op.shuffle(0, 1, 4, 5, 8, 9, 12, 13, 2, 3, 6, 7, 10, 11, 14, 15), ...op.localSet(W),
    ...op.localGet(I), ...op.i32Const(2), ...op.i32Mul, ...op.localGet(W), ...op.store64Lane(PEAK_BUFFERS.left + 2 * HISTORY, 0),
    ...op.localGet(I), ...op.i32Const(2), ...op.i32Mul, ...op.localGet(W), ...op.store64Lane(PEAK_BUFFERS.right + 2 * HISTORY, 1),
    ...op.localGet(W), ...op.i32Const(1), ...op.i16x8ShrS, ...op.localSet(W),
    ...op.localGet(I), ...op.i32Const(2), ...op.i32Mul, ...op.localGet(W), ...op.store64Lane(PEAK_BUFFERS.leftHalf + 2 * HISTORY, 0),
    ...op.localGet(I), ...op.i32Const(2), ...op.i32Mul, ...op.localGet(W), ...op.store64Lane(PEAK_BUFFERS.rightHalf + 2 * HISTORY, 1),
  ];
  const frameAt = [...op.localGet(I), ...op.i32Const(BYTES_PER_SAMPLE), ...op.i32Mul, ...op.localGet(PCM), ...op.i32Add];
  const load = [...frameAt, ...op.load(0), ...op.localSet(V)];
  const stat = (at: number, local: number, store: (offset: number) => number[]): number[] => [...op.i32Const(0), ...op.localGet(local), ...store(STATS_AT + at)];
  return {
    name: 'scan',
    params: [I32, I32, I32],
    results: [],
    locals: [[2, I32], [9, V128]],
    body: [
      ...op.i16x8(-32768, -32768, -32768, -32768, -32768, -32768, -32768, -32768), ...op.localSet(HIGH),
      ...op.i16x8(32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767), ...op.localSet(LOW),
      ...op.localGet(FROM), ...op.localSet(I),
      ...op.localGet(FROM), ...op.localGet(TO), ...op.localGet(FROM), ...op.i32Sub, ...op.i32Const(-4), ...op.i32And, ...op.i32Add, ...op.localSet(END),
      ...op.block, ...op.loop,
      ...op.localGet(I), ...op.localGet(END), ...op.i32GeU, ...op.brIf(1),
      ...load, ...group(false),
      ...op.localGet(I), ...op.i32Const(4), ...op.i32Add, ...op.localSet(I),
      ...op.br(0),
      ...op.end, ...op.end,
      ...op.localGet(TO), ...op.localGet(I), ...op.i32Sub, ...op.if,
      // The int16 lanes of the frames before TO: lane < 2 · (TO − I); the others 0, or the first frame's for the extremes.
      ...load,
      ...op.i16x8(0, 1, 2, 3, 4, 5, 6, 7), ...op.localGet(TO), ...op.localGet(I), ...op.i32Sub, ...op.i32Const(2), ...op.i32Mul, ...op.i16x8Splat, ...op.i16x8LtS, ...op.localSet(W),
      ...op.localGet(V), ...frameAt, ...op.i32Load(0), ...op.i32x4Splat, ...op.localGet(W), ...op.bitselect, ...op.localSet(EXTREMES),
      ...op.localGet(V), ...op.localGet(W), ...op.and, ...op.localSet(V),
      ...group(true),
      ...op.end,
      ...stat(STAT_HIGH, HIGH, op.store), ...stat(STAT_LOW, LOW, op.store), ...stat(STAT_SUMS, SUMS, op.store), ...stat(STAT_SQUARES, SQUARES, op.store),
    ],
  };
}

/**
 * rails(pcm, from, to): lists at RAILS_AT the first frame of each 4-frame group of [from, to) with a
 * sample at a rail (−32768 or +32767), and returns how many there are: only called for a piece whose
 * extremes reach a rail, so that the scan of every other piece does no work for clipping. A last
 * group of fewer than four frames is read whole; clipping() stops at `to`, so what lies beyond
 * (the slice's next frames, or older ones) only makes the group listed, never counted.
 */
function railsFunction(): WasmFunction {
  const [PCM, FROM, TO, I, COUNT, V] = [0, 1, 2, 3, 4, 5];
  return {
    name: 'rails',
    params: [I32, I32, I32],
    results: [I32],
    locals: [[2, I32], [1, V128]],
    body: [
      ...op.localGet(FROM), ...op.localSet(I),
      ...op.block, ...op.loop,
      ...op.localGet(I), ...op.localGet(TO), ...op.i32GeU, ...op.brIf(1),
      ...op.localGet(I), ...op.i32Const(BYTES_PER_SAMPLE), ...op.i32Mul, ...op.localGet(PCM), ...op.i32Add, ...op.load(0), ...op.localSet(V),
      // Always written; counted only when a sample sits at a rail.
      ...op.localGet(COUNT), ...op.i32Const(4), ...op.i32Mul, ...op.localGet(I), ...op.i32Store(RAILS_AT),
      ...op.localGet(V), ...op.i16x8(32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767), ...op.i16x8Eq,
      ...op.localGet(V), ...op.i16x8(-32768, -32768, -32768, -32768, -32768, -32768, -32768, -32768), ...op.i16x8Eq, ...op.or,
      ...op.anyTrue, ...op.localGet(COUNT), ...op.i32Add, ...op.localSet(COUNT),
      ...op.localGet(I), ...op.i32Const(4), ...op.i32Add, ...op.localSet(I),
      ...op.br(0),
      ...op.end, ...op.end,
      ...op.localGet(COUNT),
    ],
  };
}

const SCAN_KERNELS = new Kernels(() => [scanFunction(), railsFunction()]);

/** Running results for one stretch of the image: a track, the part before track 1, or the disc. */
class Stretch {
  crc = 0;
  /** Largest |sample| so far, 16-bit units. */
  peak = 0;
  /** Largest |interpolated point| so far, 16-bit units. */
  interpolated = 0;
  sumLeft = 0;
  sumRight = 0;
  firstSound = -1;
  lastSound = -1;
  clipRuns = 0;
  clipSamples = 0;
  readonly clipFirst: number[] = [];
  readonly loudness: LoudnessHistory;

  constructor(
    readonly start: number,
    readonly end: number,
  ) {
    this.loudness = new LoudnessHistory(end - start);
  }

  /** Adds what scanFrames() found in a piece of this stretch. */
  take(peak: number, sumLeft: number, sumRight: number, firstSound: number, lastSound: number, sound: boolean): void {
    if (peak > this.peak) this.peak = peak;
    this.sumLeft += sumLeft;
    this.sumRight += sumRight;
    if (sound) {
      if (this.firstSound < 0) this.firstSound = firstSound;
      this.lastSound = lastSound;
    }
  }

  /** Counts a sample of a run that began at `runStart` (absolute), now `length` long inside this stretch. */
  clip(runStart: number, pos: number): void {
    const start = Math.max(runStart, this.start);
    const length = pos - start + 1;
    if (length === CLIP_RUN) {
      this.clipRuns++;
      this.clipSamples += CLIP_RUN;
      const n = this.clipFirst.length;
      if (n < CLIP_FIRST && this.clipFirst[n - 1] !== start) this.clipFirst.push(start);
    } else if (length > CLIP_RUN) {
      this.clipSamples++;
    }
  }

  /** The finished figures; `withCrc` when the CRC-32 was computed here (else crc32 is '', for addCrcs()). */
  stats(withCrc: boolean): AudioStats {
    const length = this.end - this.start;
    const silent = this.firstSound < 0;
    return {
      integratedLufs: this.loudness.integrated(),
      loudnessRangeLu: this.loudness.range(),
      samplePeakDbfs: dbfs(this.peak),
      // A digitally silent stretch reads −Infinity, though its neighbours' ringing reaches into it.
      truePeakDbtp: silent ? -Infinity : dbfs(Math.max(this.peak, this.interpolated)),
      clipping: { runs: this.clipRuns, samples: this.clipSamples, first: [...this.clipFirst] },
      dcOffsetDbfs: {
        left: length === 0 ? -Infinity : dbfs(Math.abs(this.sumLeft / length)),
        right: length === 0 ? -Infinity : dbfs(Math.abs(this.sumRight / length)),
      },
      silence: {
        headSamples: silent ? length : this.firstSound - this.start,
        tailSamples: silent ? length : this.end - 1 - this.lastSound,
      },
      crc32: withCrc ? crc32Hex(this.crc) : '',
    };
  }
}

function dbfs(magnitude: number): number {
  return magnitude === 0 ? -Infinity : 20 * Math.log10(magnitude / FULL_SCALE);
}

/**
 * The analysis with the CRC-32s a pass over the image computed elsewhere: `parts` as Crc32Parts gives
 * them when cut at the track starts (the audio before track 1, then each track), `whole` the image's.
 */
export function addCrcs(analysis: DiscAnalysis, crcs: { parts: readonly number[]; whole: number }): DiscAnalysis {
  if (crcs.parts.length !== analysis.tracks.length + 1) {
    throw new RangeError(`analysis: ${crcs.parts.length} CRC-32 parts for ${analysis.tracks.length} tracks (expected one more: the audio before track 1)`);
  }
  return {
    tracks: analysis.tracks.map((t, i) => ({ ...t, crc32: crc32Hex(crcs.parts[i + 1]!) })),
    disc: { ...analysis.disc, crc32: crc32Hex(crcs.whole) },
  };
}

/** Throws a RangeError unless the image length is a whole number ≥ 0 and the track starts ascend within it. */
export function checkPlan(plan: AnalysisPlan): void {
  const { trackStarts, imageSamples } = plan;
  if (!Number.isSafeInteger(imageSamples) || imageSamples < 0) throw new RangeError(`analysis: bad image length ${imageSamples}`);
  let previous = 0;
  for (const start of trackStarts) {
    if (!Number.isSafeInteger(start) || start < previous || start > imageSamples) {
      throw new RangeError(`analysis: track starts must ascend within the image (0…${imageSamples}), got ${trackStarts.join(', ')}`);
    }
    previous = start;
  }
}

/** Analyses the image as it streams past: push() the PCM in order, then finish(). */
export class DiscAnalyzer {
  private readonly imageSamples: number;
  /** [before track 1, track 1, …, track n]; the first may be empty. */
  private readonly stretches: Stretch[];
  private readonly disc: Stretch;
  /** Sample frames taken so far. */
  private position = 0;
  private stretchIndex = 0;
  /** The pushed PCM as slices of whole frames (a frame split across push() calls assembled). */
  private readonly frames = new FrameSlicer(SLICE_FRAMES);
  private finished = false;
  /**
   * This analyser's WebAssembly memory: its first ANALYSIS_SCRATCH_BYTES are the analysis's (see
   * PCM_AT and what follows); PCM elsewhere in it is analysed where it is. Views of it follow.
   */
  private readonly memory: WebAssembly.Memory;
  private readonly bytes: Uint8Array;
  /** The whole memory as int16: the slice's samples, interleaved L, R, from index pcmAt / 2. */
  private readonly samples: Int16Array;
  /** Byte address of the current slice's first frame: PCM_AT, or where the pushed chunk lies in the memory. */
  private pcmAt = PCM_AT;
  private readonly stats16: Int16Array;
  private readonly stats32: Int32Array;
  private readonly statsU32: Uint32Array;
  private readonly rails: Int32Array;
  private readonly scanAt: (pcm: number, from: number, to: number) => void;
  private readonly railsAt: (pcm: number, from: number, to: number) => number;
  /** Per channel: [HISTORY frames of the previous slice, this slice] as int16 (and halved), for the interpolator. */
  private readonly kernel: PeakKernel;
  /** The waveform overview, drawn from the scan's figures when asked for. */
  private readonly waveform: WaveformOverview | undefined;
  /** The overview's figures of one piece (indexed by MIN_L … SQ_R of overview.ts). */
  private readonly figures = new Float64Array(6);
  private readonly filter: KWeightingFilter;
  /** The next gap (between frame c and c + 1) to interpolate, and the stretch it belongs to. */
  private nextGap = 0;
  private gapStretch = 0;
  /** Largest |sample| of this slice and of the previous one, whose last frames the interpolator still reads. */
  private reach = 0;
  private previousReach = 0;
  /** Per channel: where the current run at a rail began (−1: none) and which rail. */
  private runLeft = -1;
  private railLeft = 0;
  private runRight = -1;
  private railRight = 0;

  /** Whether the CRC-32s are computed here (AnalyzerOptions.crc). */
  private readonly computeCrc: boolean;
  /** Parts left out (AnalyzerOptions; for measurements only). */
  private readonly skipK: boolean;
  private readonly skipTp: boolean;

  /** Checks the plan and sets up one running result per track and one for the disc. */
  constructor(plan: AnalysisPlan, options: AnalyzerOptions = {}) {
    this.skipK = options.skip?.kWeighting ?? false;
    this.skipTp = options.skip?.truePeak ?? false;
    this.computeCrc = options.crc !== false;
    checkPlan(plan);
    const { trackStarts, imageSamples } = plan;
    this.imageSamples = imageSamples;
    const memory = options.memory ?? new WebAssembly.Memory({ initial: 1, maximum: 1 });
    if (memory.buffer.byteLength < ANALYSIS_SCRATCH_BYTES) throw new RangeError('analysis: the memory is smaller than the analysis needs');
    this.memory = memory;
    this.bytes = new Uint8Array(memory.buffer);
    this.samples = new Int16Array(memory.buffer, 0, memory.buffer.byteLength >> 1);
    this.stats16 = new Int16Array(memory.buffer, STATS_AT, 64);
    this.stats32 = new Int32Array(memory.buffer, STATS_AT, 32);
    this.statsU32 = new Uint32Array(memory.buffer, STATS_AT, 32);
    this.rails = new Int32Array(memory.buffer, RAILS_AT, SLICE_FRAMES / 4 + 1);
    const scan = SCAN_KERNELS.exports(memory);
    this.scanAt = scan.scan as typeof this.scanAt;
    this.railsAt = scan.rails as typeof this.railsAt;
    this.kernel = new PeakKernel(memory, PEAK_BUFFERS, CHANNEL_SAMPLES);
    this.filter = new KWeightingFilter(SAMPLE_RATE, memory, FILTER_AT);
    this.waveform = options.overviewBins === undefined ? undefined : new WaveformOverview(imageSamples, options.overviewBins);
    const bounds = [0, ...trackStarts, imageSamples];
    this.stretches = [];
    for (let i = 0; i + 1 < bounds.length; i++) this.stretches.push(new Stretch(bounds[i]!, bounds[i + 1]!));
    this.disc = new Stretch(0, imageSamples);
  }

  /** Feed the next chunk of the image: interleaved L,R int16 samples (little-endian bytes, as in IMAGE.DAT), in order from sample 0. */
  push(pcm: Uint8Array): void {
    if (this.finished) throw new Error('analysis: push() after finish()');
    if (this.position + this.frames.framesWith(pcm) > this.imageSamples) {
      throw new RangeError(`analysis: more audio than the plan's ${this.imageSamples} sample frames`);
    }
    this.frames.push(pcm, (piece) => this.slice(piece));
  }

  /** Ends the analysis (the whole image must have been pushed) and returns the figures. */
  finish(): DiscAnalysis {
    if (this.finished) throw new Error('analysis: finish() called twice');
    if (this.frames.partialBytes !== 0 || this.position !== this.imageSamples) {
      throw new RangeError(`analysis: got ${this.position} of ${this.imageSamples} sample frames (+${this.frames.partialBytes} bytes)`);
    }
    this.finished = true;
    // The signal after the last sample is silence: interpolate the last gaps against zeros.
    this.kernel.silence(HISTORY, HISTORY + HALF_TAPS);
    this.previousReach = this.reach;
    this.reach = 0;
    if (!this.skipTp) this.interpolate(this.position - HISTORY, this.imageSamples);
    let crc = 0;
    for (const s of this.stretches) crc = crc32Combine(crc, s.crc, (s.end - s.start) * BYTES_PER_SAMPLE);
    this.disc.crc = crc;
    return { tracks: this.stretches.slice(1).map((s) => s.stats(this.computeCrc)), disc: this.disc.stats(this.computeCrc) };
  }

  /** The waveform overview (when asked for with overviewBins), once finish() was called. */
  overview(): OverviewData | undefined {
    if (!this.finished) throw new Error('analysis: overview() before finish()');
    return this.waveform?.data();
  }

  /** Analyses whole frames: at most SLICE_FRAMES of them. */
  private slice(bytes: Uint8Array): void {
    const n = bytes.length / BYTES_PER_SAMPLE;
    const first = this.position;
    // Frames already in the memory (a pooled chunk another thread filled) are analysed where they are;
    // others are copied in. WebAssembly memory is little-endian, as IMAGE.DAT: the bytes go in as they are.
    // (The kernels read whole vectors: up to 16 bytes past the last frame must be in the memory.)
    if (bytes.buffer === this.memory.buffer && bytes.byteOffset >= ANALYSIS_SCRATCH_BYTES && bytes.byteOffset % 2 === 0 && bytes.byteOffset + bytes.length + 16 <= this.bytes.length) {
      this.pcmAt = bytes.byteOffset;
    } else {
      this.bytes.set(bytes, PCM_AT);
      this.pcmAt = PCM_AT;
    }
    const pcm = this.samples.subarray(this.pcmAt >> 1, (this.pcmAt >> 1) + 2 * n);
    this.previousReach = this.reach;
    this.reach = 0;
    let i = 0;
    while (i < n) {
      while (this.stretches[this.stretchIndex]!.end <= first + i) this.stretchIndex++;
      const stretch = this.stretches[this.stretchIndex]!;
      // Pieces end where a stretch ends, and where a bin of the overview does.
      const j = Math.min(n, stretch.end - first, this.waveform ? this.waveform.binEnd - first : n);
      if (this.computeCrc) stretch.crc = crc32Update(bytes.subarray(i * BYTES_PER_SAMPLE, j * BYTES_PER_SAMPLE), stretch.crc);
      const sound = this.scan(pcm, i, j, first, stretch);
      if (!this.skipK) this.weigh(i, j, stretch, sound, first + j === stretch.end);
      i = j;
    }
    this.position += n;
    if (!this.skipTp) this.interpolate(first - HISTORY, this.position - HALF_TAPS);
    this.kernel.keep(n, HISTORY);
  }

  /** Peaks, DC, silence and clipping of frames [from, to) of the slice, all inside one stretch (and one bin of the overview). */
  private scan(pcm: Int16Array, from: number, to: number, first: number, stretch: Stretch): boolean {
    this.scanAt(this.pcmAt, from, to);
    const s16 = this.stats16;
    const s32 = this.stats32;
    // Even lanes are the left channel, odd lanes the right.
    let highL = -32768;
    let highR = -32768;
    let lowL = 32767;
    let lowR = 32767;
    for (let k = 0; k < 8; k += 2) {
      const hl = s16[STAT_HIGH / 2 + k]!;
      const hr = s16[STAT_HIGH / 2 + k + 1]!;
      const ll = s16[STAT_LOW / 2 + k]!;
      const lr = s16[STAT_LOW / 2 + k + 1]!;
      if (hl > highL) highL = hl;
      if (hr > highR) highR = hr;
      if (ll < lowL) lowL = ll;
      if (lr < lowR) lowR = lr;
    }
    const high = highL > highR ? highL : highR;
    const low = lowL < lowR ? lowL : lowR;
    const peak = high > -low ? high : -low;
    if (peak > this.reach) this.reach = peak;
    if (this.waveform) {
      const f = this.figures;
      const u = this.statsU32;
      f[MIN_L] = lowL;
      f[MAX_L] = highL;
      f[MIN_R] = lowR;
      f[MAX_R] = highR;
      f[SQ_L] = u[STAT_SQUARES / 4]! + u[STAT_SQUARES / 4 + 1]! * 2 ** 32;
      f[SQ_R] = u[STAT_SQUARES / 4 + 2]! + u[STAT_SQUARES / 4 + 3]! * 2 ** 32;
      this.waveform.add(to - from, f);
    }
    const sumLeft = s32[STAT_SUMS / 4]! + s32[STAT_SUMS / 4 + 2]!;
    const sumRight = s32[STAT_SUMS / 4 + 1]! + s32[STAT_SUMS / 4 + 3]!;
    // Sound is any non-zero sample: the piece has some unless its peak is 0; the first and the last
    // frame with sound are found from the ends (at once, unless the piece starts or ends in silence).
    const sound = peak > 0;
    let firstSound = -1;
    let lastSound = -1;
    if (sound) {
      firstSound = from;
      while ((pcm[2 * firstSound]! | pcm[2 * firstSound + 1]!) === 0) firstSound++;
      lastSound = to - 1;
      while ((pcm[2 * lastSound]! | pcm[2 * lastSound + 1]!) === 0) lastSound--;
    }
    stretch.take(peak, sumLeft, sumRight, first + firstSound, first + lastSound, sound);
    this.disc.take(peak, sumLeft, sumRight, first + firstSound, first + lastSound, sound);
    // Runs at the rails: only the groups with a rail sample are looked at; between them no sample is at a rail, so the runs end.
    const atRail = high === 32767 || low === -32768;
    const groups = atRail ? this.railsAt(this.pcmAt, from, to) : 0;
    let next = from;
    for (let k = 0; k < groups; k++) {
      const group = this.rails[k]!;
      if (group > next) this.runLeft = this.runRight = -1;
      next = group + 4 < to ? group + 4 : to;
      this.clipping(pcm, group, next, first, stretch);
    }
    if (next < to) this.runLeft = this.runRight = -1;
    return sound;
  }

  /**
   * Follows runs at the rails through frames [from, to); only called when there are any. The two
   * channels are written out: a loop over them measured 7 % slower on heavily clipped audio
   * (bench/analysis.ts, clipped pink noise).
   */
  private clipping(pcm: Int16Array, from: number, to: number, first: number, stretch: Stretch): void {
    const disc = this.disc;
    let runLeft = this.runLeft;
    let railLeft = this.railLeft;
    let runRight = this.runRight;
    let railRight = this.railRight;
    for (let i = from; i < to; i++) {
      const pos = first + i;
      const l = pcm[2 * i]!;
      const r = pcm[2 * i + 1]!;
      if (l === 32767 || l === -32768) {
        if (runLeft < 0 || railLeft !== l) {
          runLeft = pos;
          railLeft = l;
        }
        stretch.clip(runLeft, pos);
        disc.clip(runLeft, pos);
      } else {
        runLeft = -1;
      }
      if (r === 32767 || r === -32768) {
        if (runRight < 0 || railRight !== r) {
          runRight = pos;
          railRight = r;
        }
        stretch.clip(runRight, pos);
        disc.clip(runRight, pos);
      } else {
        runRight = -1;
      }
    }
    this.runLeft = runLeft;
    this.railLeft = railLeft;
    this.runRight = runRight;
    this.railRight = railRight;
  }

  /** K-weighted energy of frames [from, to) into the 100 ms grids of the stretch and of the disc; `sound` is false when they are all digital silence. */
  private weigh(from: number, to: number, stretch: Stretch, sound: boolean, stretchEnds: boolean): void {
    const sums = this.filter.sums;
    const track = stretch.loudness;
    const disc = this.disc.loudness;
    let i = from;
    while (i < to) {
      // The filter sums y² over a piece between two boundaries of either 100 ms grid (the track's
      // starts at its first sample, the disc's at 0) or of the stretches, across calls; each piece's
      // energy is added to both grids' segments when it ends. Pieces lie where they lie whatever the
      // chunking, and so do the flushes (at the disc's boundaries): the results do not depend on it.
      const discRoom = disc.room;
      const room = Math.min(track.room, discRoom);
      const j = Math.min(to, i + room);
      // Digital silence into a filter at rest gives every y exactly 0: nothing to filter.
      if (sound || !this.filter.atRest) this.filter.run(this.pcmAt + i * BYTES_PER_SAMPLE, j - i, j - i === discRoom);
      if (j - i === room || (stretchEnds && j === to)) {
        const left = sums[0]! * this.filter.energyScale;
        const right = sums[1]! * this.filter.energyScale;
        sums[0] = 0;
        sums[1] = 0;
        track.advance(j - i, left, right);
        disc.advance(j - i, left, right);
      } else {
        track.advance(j - i, 0, 0);
        disc.advance(j - i, 0, 0);
      }
      i = j;
    }
  }

  /**
   * True peak of the gaps [nextGap, end) (the gap c lies between frames c and c + 1 and belongs to
   * c's stretch); `base` is the absolute frame of left[0] / right[0].
   *
   * Only points that could raise the stretch's true peak so far are computed. That peak already
   * includes the sample peak of the whole slice just scanned, and it is never above the disc's
   * (the disc has seen every sample and every point the stretch has), so a point skipped for the
   * stretch could not have raised the disc's either. Each stretch keeps its own running maximum:
   * a loud track does not make the next, quieter one skip its peaks.
   */
  private interpolate(base: number, end: number): void {
    const reach = this.reach > this.previousReach ? this.reach : this.previousReach;
    let c = this.nextGap;
    while (c < end) {
      while (this.stretches[this.gapStretch]!.end <= c) this.gapStretch++;
      const stretch = this.stretches[this.gapStretch]!;
      const pieceEnd = Math.min(end, stretch.end);
      let floor = stretch.peak > stretch.interpolated ? stretch.peak : stretch.interpolated;
      // First the whole piece: no point exceeds the interpolator's gain times the largest input it
      // reads (quiet passages and silence cost nothing); then groups of gaps, finer.
      if (reach * INTERPOLATOR.gain > floor) {
        const from = c - base;
        const to = pieceEnd - base;
        const left = this.kernel.peakAbove(0, from, to, floor, reach);
        if (left > floor) floor = left;
        const right = this.kernel.peakAbove(1, from, to, floor, reach);
        const peak = left > right ? left : right;
        if (peak > stretch.interpolated) stretch.interpolated = peak;
        if (peak > this.disc.interpolated) this.disc.interpolated = peak;
      }
      c = pieceEnd;
    }
    if (end > this.nextGap) this.nextGap = end;
  }
}
