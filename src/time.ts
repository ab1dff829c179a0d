// Red Book units and the one parser for time strings (manifest.md, "Times"; formats.md, "Red Book basics").

/** Samples per second of Red Book audio. */
export const SAMPLE_RATE = 44100;
/** CD frames (sectors) per second. */
export const FRAMES_PER_SECOND = 75;
/** Stereo sample frames in one CD frame. */
export const SAMPLES_PER_FRAME = 588;
/** Bytes of 16-bit stereo PCM in one CD frame. */
export const BYTES_PER_FRAME = 2352;
/** Bytes of one 16-bit stereo sample frame. */
export const BYTES_PER_SAMPLE = 4;
/** Largest address a disc can have: 99:59:74. */
export const MAX_FRAMES = (99 * 60 + 59) * FRAMES_PER_SECOND + 74;
/** At most 99 tracks on a disc. */
export const MAX_TRACKS = 99;
/** The minimum disc pregap: track 1 index 01 at 00:02:00 or later. */
export const MIN_DISC_PREGAP = 150;
/** The minimum track length, index 01 to the next index 01 (or the lead-out): 4 s. */
export const MIN_TRACK_FRAMES = 4 * FRAMES_PER_SECOND;
/** The longest disc pregap a DDPMS can describe: PRE2 has 4 digits (formats.md, Red Book basics). */
export const MAX_DISC_PREGAP = 9999;
/** True on little-endian hosts, where an Int16Array view over Red Book PCM reads the samples directly. */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Frames → `MM:SS:FF` (the mastering convention). */
export function framesToMsf(frames: number): string {
  const ff = frames % FRAMES_PER_SECOND;
  const totalSeconds = Math.floor(frames / FRAMES_PER_SECOND);
  const ss = totalSeconds % 60;
  const mm = Math.floor(totalSeconds / 60);
  return `${pad2(mm)}:${pad2(ss)}:${pad2(ff)}`;
}

/** Frames → `MMSSFF` without separators (PQDESCR time field). */
export function framesToMsfDigits(frames: number): string {
  return framesToMsf(frames).replaceAll(':', '');
}

/** `MM`,`SS`,`FF` → frames. */
export function msfToFrames(mm: number, ss: number, ff: number): number {
  return (mm * 60 + ss) * FRAMES_PER_SECOND + ff;
}

/** Samples → frames, rounded to the nearest frame with halves rounded up (manifest.md, "Fine print"). */
export function samplesToNearestFrames(samples: number): number {
  return Math.floor((samples + SAMPLES_PER_FRAME / 2) / SAMPLES_PER_FRAME);
}

/** The frame boundary at or after a sample position, in frames. */
export function framesCeil(samples: number): number {
  return Math.ceil(samples / SAMPLES_PER_FRAME);
}

/** The frame boundary at or before a sample position, in frames. */
export function framesFloor(samples: number): number {
  return Math.floor(samples / SAMPLES_PER_FRAME);
}

/** Frames → `M:SS.mmm`-free seconds, for display. */
export function framesToSeconds(frames: number): number {
  return frames / FRAMES_PER_SECOND;
}

/** Two digits, zero-padded (`7` → `07`), as MSF fields, track and index numbers are written. */
export function pad2(n: number): string {
  return n.toString().padStart(2, '0');
}

/** A time parsed from the manifest: samples at the given rate. */
export type TimeParse = { ok: true; samples: number } | { ok: false; message: string };

const SECONDS_RE = /^(\d+(?:\.\d+)?)s$/; // 2s, 0.25s
const FRAMES_RE = /^(\d+)f$/; // 150f (whole frames only)
const SAMPLES_RE = /^(\d+)smp$/; // 88200smp (whole samples only)
const MSF_RE = /^(\d+):(\d{1,2}):(\d{1,2})$/; // MM:SS:FF
const MIN_SEC_RE = /^(\d+):(\d{1,2})\.(\d+)$/; // MM:SS.sss

/** What a time may look like, for error messages. */
export const TIME_SYNTAX = 'a time like 2s, 0.25s, 150f, 88200smp, "4:10:37" (MM:SS:FF) or "4:10.500" (MM:SS.sss)';

/**
 * Parses a manifest time (a YAML number of seconds or one of the strings in manifest.md) into samples at
 * `rate`, rounding seconds to the nearest sample with halves up. Frames are always CD frames (1/75 s).
 */
export function parseTime(value: unknown, rate: number = SAMPLE_RATE): TimeParse {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return { ok: false, message: `must be ${TIME_SYNTAX}, not ${String(value)}` };
    return { ok: true, samples: secondsToSamples(value, rate) };
  }
  if (typeof value !== 'string') return { ok: false, message: `must be ${TIME_SYNTAX}` };
  const text = value.trim();
  let m: RegExpExecArray | null;
  if ((m = SECONDS_RE.exec(text))) return { ok: true, samples: secondsToSamples(Number(m[1]), rate) };
  if ((m = FRAMES_RE.exec(text))) return { ok: true, samples: framesToSourceSamples(Number(m[1]), rate) };
  if ((m = SAMPLES_RE.exec(text))) return { ok: true, samples: Number(m[1]) };
  if ((m = MSF_RE.exec(text))) {
    const ss = Number(m[2]);
    const ff = Number(m[3]);
    if (ss >= 60) return { ok: false, message: `"${value}": seconds must be 00-59 in MM:SS:FF` };
    if (ff >= FRAMES_PER_SECOND) return { ok: false, message: `"${value}": frames must be 00-74 in MM:SS:FF` };
    return { ok: true, samples: framesToSourceSamples(msfToFrames(Number(m[1]), ss, ff), rate) };
  }
  if ((m = MIN_SEC_RE.exec(text))) {
    const ss = Number(m[2]);
    if (ss >= 60) return { ok: false, message: `"${value}": seconds must be 00-59 in MM:SS.sss` };
    return { ok: true, samples: secondsToSamples(Number(m[1]) * 60 + Number(`${m[2]}.${m[3]}`), rate) };
  }
  return { ok: false, message: `"${value}" must be ${TIME_SYNTAX}` };
}

function secondsToSamples(seconds: number, rate: number): number {
  // Scale in integer-friendly steps so that 0.25s × 44100 is exactly 11025 and halves round up.
  return Math.floor(seconds * rate + 0.5 + 1e-9);
}

function framesToSourceSamples(frames: number, rate: number): number {
  return rate === SAMPLE_RATE ? frames * SAMPLES_PER_FRAME : secondsToSamples(frames / FRAMES_PER_SECOND, rate);
}
