// The Disc: the one model every writer writes from and every reader reads into (DESIGN.md).
// Positions are absolute from the first sample/frame of the image (track 1 index 00 = 00:00:00).

/** CD-Text fields that carry one string for the disc and one per track (pack types 0x80–0x85). */
export interface TextFields {
  title?: string | undefined;
  performer?: string | undefined;
  songwriter?: string | undefined;
  composer?: string | undefined;
  arranger?: string | undefined;
  message?: string | undefined;
}

/** The names of the per-track CD-Text fields in pack-type order 0x80..0x85. */
export const TEXT_FIELDS = ['title', 'performer', 'songwriter', 'composer', 'arranger', 'message'] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

/** The fields that are there, in pack-type order, without undefined values (so JSON round-trips). */
export function presentText(text: TextFields | undefined): TextFields {
  const out: TextFields = {};
  for (const field of TEXT_FIELDS) {
    const value = text?.[field];
    if (value !== undefined) out[field] = value;
  }
  return out;
}

/** CD-Text of the disc: block 0 only (format 1 supports one language, ISO 8859-1). */
export interface CdText {
  /** Language code as in the manifest (`en`, `de`, …). */
  language: string;
  disc: TextFields;
  /** One entry per track, in track order (index 0 = track 1). */
  tracks: TextFields[];
  /** 0x86 disc identification. */
  discId?: string | undefined;
  /** 0x87 genre: code 1..27 (1 = not defined) and free text. */
  genre?: { code: number; text: string } | undefined;
}

/** One index point of a track: its number (0–99) and absolute frame. */
export interface IndexPoint {
  number: number;
  frame: number;
}

/** PQ control bits of a track (formats.md, "Q-channel control nibble"). */
export interface TrackFlags {
  copyPermitted: boolean;
  preEmphasis: boolean;
  scms: boolean;
}

/** One track of the disc. */
export interface DiscTrack {
  number: number;
  /** Ascending by number; index 00 present only when the track has a pregap; index 01 always. */
  indexes: IndexPoint[];
  isrc?: string | undefined;
  flags: TrackFlags;
}

/** Fade curve shapes (manifest.md, track keys). */
export type Curve = 'linear' | 'equal-power' | 's-curve';

/** A gain ramp over part of an audio span, in samples relative to the span's first sample. */
export interface Ramp {
  /** 'in' rises from 0 to 1, 'out' falls from 1 to 0. */
  direction: 'in' | 'out';
  offset: number;
  length: number;
  curve: Curve;
}

/** Where a WAV source's samples are and how they are encoded (read from its header). */
export interface SourceFormat {
  /** 1 = integer PCM, 3 = IEEE float (after resolving WAVE_FORMAT_EXTENSIBLE). */
  sampleFormat: 'int' | 'float';
  bitsPerSample: number;
  channels: number;
  sampleRate: number;
  /** Byte offset of the first sample in the file. */
  dataOffset: number;
  /** Bytes of sample data. */
  dataLength: number;
  /** Bytes per sample frame (all channels). */
  blockAlign: number;
  /** Sample frames in the file. */
  frameCount: number;
}

/** A source file and its format. */
export interface Source {
  path: string;
  format: SourceFormat;
}

/** A stretch of the image filled from a source. Spans may overlap (crossfades: their samples add). */
export interface AudioSpan {
  /** First image sample (stereo sample frame, absolute). */
  start: number;
  length: number;
  source: Source;
  /** First sample frame in the source. */
  sourceStart: number;
  ramps: Ramp[];
  /** Track this audio belongs to (0 for the hidden track, which sits in track 1's pregap). */
  track: number;
}

/** The disc: everything the fileset, cue, TOC and report are written from. */
export interface Disc {
  tracks: DiscTrack[];
  /** Image length in frames = lead-out address. */
  leadOut: number;
  /** 13-digit EAN (UPC-A already widened). */
  upc?: string | undefined;
  masterId?: string | undefined;
  cdText?: CdText | undefined;
  /** Audio placed in the image; everything not covered is digital silence. Sorted by start. */
  spans: AudioSpan[];
}

/** Frame of a track's index `n`, if it has one. */
export function indexFrame(track: DiscTrack, n: number): number | undefined {
  return track.indexes.find((i) => i.number === n)?.frame;
}

/** Frame of a track's index 01 (every track has one). */
export function trackStart(track: DiscTrack): number {
  const f = indexFrame(track, 1);
  if (f === undefined) throw new Error(`track ${track.number} has no index 01`);
  return f;
}

/** Frame of a track's first index (00 if present, else 01). */
export function trackFirstFrame(track: DiscTrack): number {
  return track.indexes[0]?.frame ?? trackStart(track);
}

/** Track length in frames: index 01 to the next track's index 01, or the lead-out. */
export function trackLength(disc: Disc, i: number): number {
  const t = disc.tracks[i]!;
  const next = disc.tracks[i + 1];
  return (next ? trackStart(next) : disc.leadOut) - trackStart(t);
}

/** The Q-channel control nibble of a track: 2 copy permitted, 1 pre-emphasis. */
export function controlNibble(flags: TrackFlags): number {
  return (flags.copyPermitted ? 2 : 0) | (flags.preEmphasis ? 1 : 0);
}
