// Small hand-made Disc values for the cue and TOC tests.
import type { CdText, Disc, DiscTrack } from '../../src/disc/model.js';

/** A track from its index frames (`{ 0: 0, 1: 150 }`), ISRC and flag letters (c = copy, p = pre-emphasis, s = SCMS). */
export function track(number: number, indexes: Record<number, number>, isrc?: string, flags = ''): DiscTrack {
  return {
    number,
    indexes: Object.entries(indexes).map(([n, frame]) => ({ number: Number(n), frame })),
    isrc,
    flags: { copyPermitted: flags.includes('c'), preEmphasis: flags.includes('p'), scms: flags.includes('s') },
  };
}

/** A disc of those tracks, with no audio spans. */
export function disc(tracks: DiscTrack[], leadOut: number, extra: Partial<Disc> = {}): Disc {
  return { tracks, leadOut, spans: [], ...extra };
}

/** CD-Text in English. */
export const text = (discText: CdText['disc'], tracks: CdText['tracks'], more: Partial<CdText> = {}): CdText => ({ language: 'en', disc: discText, tracks, ...more });
