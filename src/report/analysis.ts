// Streaming analysis of the rendered image for the disc report: loudness, loudness range, sample
// and true peak, clipping, DC offset, digital silence and CRC-32, per track and for the whole disc,
// in one pass over the 16-bit stereo PCM exactly as it goes into IMAGE.DAT.
//
// Memory is bounded: fixed buffers of about 0.35 MB, plus for loudness the 100 ms energies of the
// disc and of each track, 2 × 10 doubles per second of audio (≈ 0.7 MB for a 74-minute disc).
//
// The audio is treated as one continuous signal, as a CD player plays it: the K-weighting filter
// and the true-peak interpolator run on across track boundaries instead of starting from silence
// at each track; a track's loudness blocks start at its own first sample.

import CRC32 from 'crc-32';
import * as zlib from 'node:zlib';
import { BYTES_PER_SAMPLE, SAMPLE_RATE } from '../time.js';
import { KWeightingFilter, LoudnessHistory } from './loudness.js';
import { HALF_TAPS, INTERPOLATOR, interpolatedPeak } from './true-peak.js';

/**
 * Absolute sample-frame positions (44.1 kHz stereo) where each track's audio starts (index 01) —
 * track i spans [starts[i], starts[i+1]) and the last ends at imageSamples. Audio before the first
 * start (the pregap of track 1) counts for the disc only.
 */
export interface AnalysisPlan {
  trackStarts: number[];
  imageSamples: number;
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
  /** CRC-32 (zlib polynomial) of the audio bytes, 8 upper-case hex digits, as EAC's "Copy CRC". */
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
 * pushes, and is the step at which true-peak interpolation is skipped where it cannot raise the peak.
 */
const SLICE_FRAMES = 4096;
/** Input samples kept from one slice to the next for the interpolator. */
const HISTORY = 2 * HALF_TAPS;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

// Node's zlib.crc32 (20.15+) is native and twice as fast; the crc-32 package is the fallback.
const zlibCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
const crc32Update: (data: Uint8Array, value: number) => number =
  typeof zlibCrc32 === 'function' ? (data, value) => zlibCrc32(data, value) : (data, value) => CRC32.buf(data, value) >>> 0;

// What scanFrames() reports, as indexes into its output array. The hot loops are plain functions
// over typed arrays: V8 keeps them optimised, where a method touching objects after its loop was
// deoptimised again and again.
const SCAN_HIGH = 0;
const SCAN_LOW = 1;
const SCAN_SUM_LEFT = 2;
const SCAN_SUM_RIGHT = 3;
const SCAN_FIRST_SOUND = 4;
const SCAN_LAST_SOUND = 5;
const SCAN_RAIL_SAMPLES = 6;
const SCAN_FIELDS = 7;

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

  /** The finished figures. */
  stats(): AudioStats {
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
      crc32: (this.crc >>> 0).toString(16).toUpperCase().padStart(8, '0'),
    };
  }
}

function dbfs(magnitude: number): number {
  return magnitude === 0 ? -Infinity : 20 * Math.log10(magnitude / FULL_SCALE);
}

/** Analyses the image as it streams past: push() the PCM in order, then finish(). */
export class DiscAnalyzer {
  private readonly imageSamples: number;
  /** [before track 1, track 1, …, track n]; the first may be empty. */
  private readonly stretches: Stretch[];
  private readonly disc: Stretch;
  private readonly filter = new KWeightingFilter(SAMPLE_RATE);
  /** Sample frames taken so far. */
  private position = 0;
  private stretchIndex = 0;
  /** Bytes of a frame split across push() calls. */
  private readonly pending = new Uint8Array(BYTES_PER_SAMPLE);
  private pendingBytes = 0;
  private finished = false;
  /** Per channel: [HISTORY frames of the previous slice, this slice] as numbers, for the interpolator. */
  private readonly left = new Float64Array(HISTORY + SLICE_FRAMES);
  private readonly right = new Float64Array(HISTORY + SLICE_FRAMES);
  /** The running energy sums of a stretch's and the disc's current 100 ms segment, for the filter. */
  private readonly sums = new Float64Array(2);
  /** What scanFrames() found in the last piece. */
  private readonly scanned = new Float64Array(SCAN_FIELDS);
  /** For input that is not 2-byte aligned (or a big-endian host). */
  private readonly scratch = new Int16Array(2 * SLICE_FRAMES);
  /** The next gap (between frame c and c + 1) to interpolate, and the stretch it belongs to. */
  private nextGap = 0;
  private gapStretch = 0;
  /** Largest |sample| of the previous slice, whose last frames the interpolator still reads. */
  private previousReach = 0;
  /** Per channel: where the current run at a rail began (−1: none) and which rail. */
  private runLeft = -1;
  private railLeft = 0;
  private runRight = -1;
  private railRight = 0;

  /** Checks the plan and sets up one running result per track and one for the disc. */
  constructor(plan: AnalysisPlan) {
    const { trackStarts, imageSamples } = plan;
    if (!Number.isSafeInteger(imageSamples) || imageSamples < 0) throw new RangeError(`analysis: bad image length ${imageSamples}`);
    let previous = 0;
    for (const start of trackStarts) {
      if (!Number.isSafeInteger(start) || start < previous || start > imageSamples) {
        throw new RangeError(`analysis: track starts must ascend within the image (0…${imageSamples}), got ${trackStarts.join(', ')}`);
      }
      previous = start;
    }
    this.imageSamples = imageSamples;
    const bounds = [0, ...trackStarts, imageSamples];
    this.stretches = [];
    for (let i = 0; i + 1 < bounds.length; i++) this.stretches.push(new Stretch(bounds[i]!, bounds[i + 1]!));
    this.disc = new Stretch(0, imageSamples);
  }

  /** Feed the next chunk of the image: interleaved L,R int16 samples (little-endian bytes, as in IMAGE.DAT), in order from sample 0. */
  push(pcm: Uint8Array): void {
    if (this.finished) throw new Error('analysis: push() after finish()');
    const frames = Math.floor((this.pendingBytes + pcm.length) / BYTES_PER_SAMPLE);
    if (this.position + frames > this.imageSamples) {
      throw new RangeError(`analysis: more audio than the plan's ${this.imageSamples} sample frames`);
    }
    let offset = 0;
    if (this.pendingBytes > 0) {
      offset = Math.min(BYTES_PER_SAMPLE - this.pendingBytes, pcm.length);
      this.pending.set(pcm.subarray(0, offset), this.pendingBytes);
      this.pendingBytes += offset;
      if (this.pendingBytes < BYTES_PER_SAMPLE) return;
      this.slice(this.pending);
      this.pendingBytes = 0;
    }
    const end = offset + Math.floor((pcm.length - offset) / BYTES_PER_SAMPLE) * BYTES_PER_SAMPLE;
    for (let at = offset; at < end; at += SLICE_FRAMES * BYTES_PER_SAMPLE) {
      this.slice(pcm.subarray(at, Math.min(end, at + SLICE_FRAMES * BYTES_PER_SAMPLE)));
    }
    this.pending.set(pcm.subarray(end), 0);
    this.pendingBytes = pcm.length - end;
  }

  /** Ends the analysis (the whole image must have been pushed) and returns the figures. */
  finish(): DiscAnalysis {
    if (this.finished) throw new Error('analysis: finish() called twice');
    if (this.pendingBytes !== 0 || this.position !== this.imageSamples) {
      throw new RangeError(`analysis: got ${this.position} of ${this.imageSamples} sample frames (+${this.pendingBytes} bytes)`);
    }
    this.finished = true;
    // The signal after the last sample is silence: interpolate the last gaps against zeros.
    this.left.fill(0, HISTORY, HISTORY + HALF_TAPS);
    this.right.fill(0, HISTORY, HISTORY + HALF_TAPS);
    this.interpolate(this.position - HISTORY, this.imageSamples, this.previousReach);
    return { tracks: this.stretches.slice(1).map((s) => s.stats()), disc: this.disc.stats() };
  }

  /** Analyses whole frames: at most SLICE_FRAMES of them. */
  private slice(bytes: Uint8Array): void {
    const n = bytes.length / BYTES_PER_SAMPLE;
    const first = this.position;
    const pcm = this.samples(bytes);
    this.disc.crc = crc32Update(bytes, this.disc.crc);
    let reach = 0;
    let i = 0;
    while (i < n) {
      while (this.stretches[this.stretchIndex]!.end <= first + i) this.stretchIndex++;
      const stretch = this.stretches[this.stretchIndex]!;
      const j = Math.min(n, stretch.end - first);
      stretch.crc = crc32Update(bytes.subarray(i * BYTES_PER_SAMPLE, j * BYTES_PER_SAMPLE), stretch.crc);
      reach = Math.max(reach, this.scan(pcm, i, j, first, stretch));
      this.weigh(pcm, i, j, stretch);
      i = j;
    }
    this.position += n;
    this.interpolate(first - HISTORY, this.position - HALF_TAPS, Math.max(reach, this.previousReach));
    this.previousReach = reach;
    this.left.copyWithin(0, n, n + HISTORY);
    this.right.copyWithin(0, n, n + HISTORY);
  }

  /** The slice as int16 samples: a view when it can be, else decoded into the scratch buffer. */
  private samples(bytes: Uint8Array): Int16Array {
    if (LITTLE_ENDIAN && (bytes.byteOffset & 1) === 0) return new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length >> 1);
    const out = this.scratch;
    for (let k = 0; k < bytes.length >> 1; k++) out[k] = ((bytes[2 * k]! | (bytes[2 * k + 1]! << 8)) << 16) >> 16;
    return out;
  }

  /** Peaks, DC, silence and clipping of frames [from, to) of the slice, all inside one stretch; returns the largest |sample|. */
  private scan(pcm: Int16Array, from: number, to: number, first: number, stretch: Stretch): number {
    const out = this.scanned;
    scanFrames(pcm, from, to, this.left, this.right, out);
    const peak = Math.max(out[SCAN_HIGH]!, -out[SCAN_LOW]!);
    const firstSound = out[SCAN_FIRST_SOUND]!;
    for (const s of [stretch, this.disc]) {
      if (peak > s.peak) s.peak = peak;
      s.sumLeft += out[SCAN_SUM_LEFT]!;
      s.sumRight += out[SCAN_SUM_RIGHT]!;
      if (firstSound >= 0) {
        if (s.firstSound < 0) s.firstSound = first + firstSound;
        s.lastSound = first + out[SCAN_LAST_SOUND]!;
      }
    }
    if (out[SCAN_RAIL_SAMPLES]! > 0) {
      this.clipping(pcm, from, to, first, stretch);
    } else {
      this.runLeft = -1;
      this.runRight = -1;
    }
    return peak;
  }

  /** Follows runs at the rails through frames [from, to); only called when there are any. */
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

  /** K-weighted energy of frames [from, to) into the 100 ms grids of the stretch and of the disc. */
  private weigh(pcm: Int16Array, from: number, to: number, stretch: Stretch): void {
    const sums = this.sums;
    let i = from;
    while (i < to) {
      const j = Math.min(to, i + stretch.loudness.room, i + this.disc.loudness.room);
      sums[0] = stretch.loudness.energy;
      sums[1] = this.disc.loudness.energy;
      this.filter.run(pcm, i, j, sums);
      stretch.loudness.advance(j - i, sums[0]);
      this.disc.loudness.advance(j - i, sums[1]);
      i = j;
    }
  }

  /**
   * True peak of the gaps [nextGap, end) (the gap c lies between frames c and c + 1 and belongs to
   * c's stretch); `base` is the absolute frame of left[0] / right[0], and `reach` the largest
   * |sample| the interpolator reads for these gaps.
   */
  private interpolate(base: number, end: number, reach: number): void {
    let c = this.nextGap;
    while (c < end) {
      while (this.stretches[this.gapStretch]!.end <= c) this.gapStretch++;
      const stretch = this.stretches[this.gapStretch]!;
      const pieceEnd = Math.min(end, stretch.end);
      // No point can exceed the interpolator's gain times the largest input it reads: skip what
      // cannot raise the stretch's peak (quiet passages, gaps between tracks).
      if (reach * INTERPOLATOR.gain > Math.max(stretch.peak, stretch.interpolated)) {
        const from = c - base;
        const to = pieceEnd - base;
        const peak = Math.max(interpolatedPeak(this.left, from, to), interpolatedPeak(this.right, from, to));
        if (peak > stretch.interpolated) stretch.interpolated = peak;
        if (peak > this.disc.interpolated) this.disc.interpolated = peak;
      }
      c = pieceEnd;
    }
    if (end > this.nextGap) this.nextGap = end;
  }
}

/**
 * One pass over frames [from, to): copies them to `left`/`right` (after the interpolator's history)
 * and reports the extremes, channel sums, first and last non-silent frame (−1: none; relative to
 * the slice) and how many samples sit at a rail.
 */
function scanFrames(pcm: Int16Array, from: number, to: number, left: Float64Array, right: Float64Array, out: Float64Array): void {
  let hi = 0;
  let lo = 0;
  let sumLeft = 0;
  let sumRight = 0;
  let firstSound = -1;
  let lastSound = -1;
  let rail = 0;
  for (let i = from; i < to; i++) {
    const l = pcm[2 * i]!;
    const r = pcm[2 * i + 1]!;
    left[HISTORY + i] = l;
    right[HISTORY + i] = r;
    sumLeft += l;
    sumRight += r;
    if (l > hi) hi = l;
    else if (l < lo) lo = l;
    if (r > hi) hi = r;
    else if (r < lo) lo = r;
    if ((l | r) !== 0) {
      if (firstSound < 0) firstSound = i;
      lastSound = i;
    }
    // ((v + 32769) & 0xffff) is 0 for +32767 and 1 for −32768: one test for both rails.
    if (((l + 32769) & 0xffff) <= 1) rail++;
    if (((r + 32769) & 0xffff) <= 1) rail++;
  }
  out[SCAN_HIGH] = hi;
  out[SCAN_LOW] = lo;
  out[SCAN_SUM_LEFT] = sumLeft;
  out[SCAN_SUM_RIGHT] = sumRight;
  out[SCAN_FIRST_SOUND] = firstSound;
  out[SCAN_LAST_SOUND] = lastSound;
  out[SCAN_RAIL_SAMPLES] = rail;
}
