// The normalised Album: the manifest with every time in samples or frames, defaults applied, paths resolved.
import type { Position } from '../errors.js';
import type { Curve, Source, TextFields, TrackFlags } from '../disc/model.js';

/** A fade or crossfade: length in samples and curve. */
export interface Fade {
  length: number;
  curve: Curve;
}

/** Positions of a track's keys (value positions), for layout-rule messages. */
export type KeyPositions = Record<string, Position | undefined>;

/** One track, normalised. */
export interface AlbumTrack {
  number: number;
  source: Source;
  /** The `file` value as written in the manifest (for messages). */
  fileAsWritten: string;
  /** Source sample frames used: [start, end). */
  start: number;
  end: number;
  text: TextFields;
  isrc?: string | undefined;
  /** Silence before the track, in frames. */
  gap: number;
  /** Index 00 this many frames before the audio's first frame; undefined = the gap. */
  pregap?: number | undefined;
  /** Index 01 this many frames before the audio (already clamped to the gap). */
  pqOffset: number;
  crossfade?: Fade | undefined;
  fadeIn?: Fade | undefined;
  fadeOut?: Fade | undefined;
  /** Index 02, 03, … in frames relative to index 01. */
  indexes: number[];
  flags: TrackFlags;
  positions: KeyPositions;
}

/** Hidden track one audio (in track 1's pregap). */
export interface HiddenTrack {
  source: Source;
  fileAsWritten: string;
  start: number;
  end: number;
  positions: KeyPositions;
}

/** The whole album, normalised: input to the layout. */
export interface Album {
  /** The manifest path as the user gave it (for messages). */
  file: string;
  /** Folder that relative paths are resolved against. */
  dir: string;
  text: TextFields;
  discId?: string | undefined;
  genre?: { code: number; text: string } | undefined;
  /** 13 digits. */
  upc?: string | undefined;
  language: string;
  masterId?: string | undefined;
  /** Frames. */
  maxLength: number;
  hiddenTrack?: HiddenTrack | undefined;
  tracks: AlbumTrack[];
  positions: KeyPositions;
}
