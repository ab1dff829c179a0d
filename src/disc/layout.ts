// Album → Disc: where every index of every track falls, and which audio fills which samples of the image.
// Pure: no I/O. The rules are manifest.md's "Rules the tool enforces" and "Fine print".
import type { Problem } from '../errors.js';
import type { Album, AlbumTrack } from '../manifest/album.js';
import { framesCeil, framesFloor, framesToMsf, MAX_DISC_PREGAP, MAX_FRAMES, MIN_DISC_PREGAP, MIN_TRACK_FRAMES, pad2, SAMPLES_PER_FRAME } from '../time.js';
import { TEXT_FIELDS, type AudioSpan, type CdText, type Disc, type DiscTrack, type IndexPoint, type Ramp, type TextFields } from './model.js';


/** Result of laying out an album: the Disc (when the rules hold) and every problem found. */
export interface Layout {
  disc?: Disc | undefined;
  problems: Problem[];
}

/** Lays out the album on the disc and checks the Red Book rules. */
export function layOut(album: Album): Layout {
  const problems: Problem[] = [];
  const report = (t: AlbumTrack | undefined, key: string, message: string, severity: 'error' | 'warning' = 'error'): void => {
    problems.push({
      severity,
      code: 'rule',
      message,
      file: album.file,
      position: t ? (t.positions[key] ?? t.positions['']) : (album.positions[key] ?? album.positions['']),
      track: t ? { number: t.number, title: t.text.title } : undefined,
      key,
    });
  };

  const spans: AudioSpan[] = [];
  const tracks: DiscTrack[] = [];
  const first = album.tracks[0]!;
  let pos = first.gap * SAMPLES_PER_FRAME;
  if (album.hiddenTrack) {
    const h = album.hiddenTrack;
    spans.push({ start: pos, length: h.end - h.start, source: h.source, sourceStart: h.start, ramps: [], track: 0 });
    pos = framesCeil(pos + h.end - h.start) * SAMPLES_PER_FRAME;
  }
  const discPregap = pos / SAMPLES_PER_FRAME;
  if (discPregap < MIN_DISC_PREGAP) {
    const what = album.hiddenTrack ? 'gap plus hidden track' : 'gap';
    report(first, 'gap', `the disc pregap (track 1's ${what}) is ${framesToMsf(discPregap)}; the Red Book needs at least 00:02:00 (150 frames) before track 1's index 01`);
  }
  if (discPregap > MAX_DISC_PREGAP) {
    report(album.hiddenTrack ? undefined : first, album.hiddenTrack ? 'hidden_track' : 'gap', `the disc pregap is ${discPregap} frames (${framesToMsf(discPregap)}); a DDP fileset can describe at most ${MAX_DISC_PREGAP} frames (02:13:24)`);
  }

  let prevSpan: AudioSpan | undefined;
  album.tracks.forEach((t, i) => {
    const length = t.end - t.start;
    let audioStart: number;
    let index01: number;
    const indexes: IndexPoint[] = [];
    if (i === 0) {
      audioStart = pos;
      index01 = discPregap;
      indexes.push({ number: 0, frame: 0 });
    } else {
      if (t.crossfade) {
        audioStart = pos - t.crossfade.length;
        index01 = framesFloor(audioStart);
      } else if (t.gap > 0) {
        audioStart = (framesCeil(pos) + t.gap) * SAMPLES_PER_FRAME;
        index01 = audioStart / SAMPLES_PER_FRAME - t.pqOffset;
      } else {
        audioStart = pos;
        index01 = framesFloor(audioStart);
      }
      const pregap = t.pregap ?? t.gap;
      if (pregap > 0) {
        const index00 = framesFloor(audioStart) - pregap;
        const prev = tracks[i - 1]!;
        const prevIndex01 = prev.indexes.find((x) => x.number === 1)!.frame;
        if (index00 <= prevIndex01) {
          report(t, t.pregap !== undefined ? 'pregap' : 'gap', `index 00 would be at ${framesToMsf(Math.max(0, index00))}, not after track ${prev.number}'s index 01 at ${framesToMsf(prevIndex01)}: the pregap of ${framesToMsf(pregap)} reaches too far back`);
        } else if (index00 < index01) {
          indexes.push({ number: 0, frame: index00 });
        }
      }
    }
    indexes.push({ number: 1, frame: index01 });

    const ramps: Ramp[] = [];
    const fadeProblems = (key: string, what: string, fadeLength: number): void => {
      if (fadeLength > length) report(t, key, `${what} is ${seconds(fadeLength)} s, longer than the track's audio (${seconds(length)} s)`);
    };
    if (t.crossfade) {
      const cf = t.crossfade;
      fadeProblems('crossfade', 'crossfade', cf.length);
      if (prevSpan) {
        const prevTrack = album.tracks[i - 1]!;
        if (cf.length > prevSpan.length) report(t, 'crossfade', `crossfade is ${seconds(cf.length)} s, longer than track ${i}'s audio (${seconds(prevSpan.length)} s)`);
        else {
          const prevIn = prevTrack.crossfade?.length ?? 0;
          if (prevIn + cf.length > prevSpan.length) report(t, 'crossfade', `crossfade overlaps track ${i}'s own crossfade from track ${i - 1}: track ${i} is only ${seconds(prevSpan.length)} s long`);
          if (prevTrack.fadeOut) report(t, 'crossfade', `crossfade overlaps track ${i}'s fade_out; use one or the other`);
          prevSpan.ramps.push({ direction: 'out', offset: prevSpan.length - cf.length, length: cf.length, curve: cf.curve });
        }
      }
      ramps.push({ direction: 'in', offset: 0, length: cf.length, curve: cf.curve });
      if (t.fadeIn) report(t, 'fade_in', 'fade_in overlaps the crossfade at the head of the track; use one or the other');
    }
    if (t.fadeIn) {
      fadeProblems('fade_in', 'fade_in', t.fadeIn.length);
      ramps.push({ direction: 'in', offset: 0, length: t.fadeIn.length, curve: t.fadeIn.curve });
    }
    if (t.fadeOut) {
      fadeProblems('fade_out', 'fade_out', t.fadeOut.length);
      if (t.fadeIn && t.fadeIn.length + t.fadeOut.length > length) report(t, 'fade_out', `fade_in (${seconds(t.fadeIn.length)} s) and fade_out (${seconds(t.fadeOut.length)} s) overlap in a track of ${seconds(length)} s`);
      ramps.push({ direction: 'out', offset: length - t.fadeOut.length, length: t.fadeOut.length, curve: t.fadeOut.curve });
    }
    const span: AudioSpan = { start: audioStart, length, source: t.source, sourceStart: t.start, ramps, track: t.number };
    spans.push(span);
    prevSpan = span;

    t.indexes.forEach((rel, k) => {
      if (k + 2 > 99) {
        report(t, 'indexes', 'a track has at most index 99');
        return;
      }
      indexes.push({ number: k + 2, frame: index01 + rel });
    });
    tracks.push({ number: t.number, indexes, isrc: t.isrc, flags: { ...t.flags } });
    pos = audioStart + length;
  });
  const leadOut = framesCeil(pos);

  // Rules that need the whole disc: track lengths, index order, total length.
  tracks.forEach((track, i) => {
    const t = album.tracks[i]!;
    const start = track.indexes.find((x) => x.number === 1)!.frame;
    const next = tracks[i + 1];
    const end = next ? next.indexes.find((x) => x.number === 1)!.frame : leadOut;
    if (end - start < MIN_TRACK_FRAMES) {
      report(t, t.positions.end ? 'end' : 'file', `the track is ${framesToMsf(Math.max(0, end - start))} long (index 01 to the ${next ? `next track's index 01` : 'lead-out'}); the Red Book minimum is 4 s (00:04:00)`);
    }
    const limit = next ? next.indexes[0]!.frame : leadOut;
    let prev = start;
    for (const idx of track.indexes.filter((x) => x.number >= 2)) {
      const rel = framesToMsf(idx.frame - start);
      if (idx.frame <= prev) report(t, 'indexes', `index ${pad2(idx.number)} at ${rel} must come after index ${pad2(idx.number - 1)}: indexes must be strictly increasing`);
      else if (idx.frame >= limit) report(t, 'indexes', `index ${pad2(idx.number)} at ${rel} is outside the track: it must fall before ${next ? `track ${next.number}'s first index` : 'the lead-out'} (${framesToMsf(limit - start)} after index 01)`);
      prev = idx.frame;
    }
  });
  const maxLength = Math.min(album.maxLength, MAX_FRAMES);
  if (leadOut > maxLength) {
    report(undefined, 'max_length', `the disc is ${framesToMsf(leadOut)} long, over the limit of ${framesToMsf(maxLength)}${album.positions.max_length ? '' : ' (80-minute blank; set album.max_length to change)'}`);
  }

  if (problems.some((p) => p.severity === 'error')) return { problems };
  const disc: Disc = {
    tracks,
    leadOut,
    upc: album.upc,
    masterId: album.masterId,
    cdText: cdTextOf(album),
    spans: spans.sort((a, b) => a.start - b.start),
  };
  return { disc, problems };
}

/** CD-Text of the disc, or undefined when the manifest gives no text at all. */
export function cdTextOf(album: Album): CdText | undefined {
  const tracks: TextFields[] = album.tracks.map((t) => {
    const text: TextFields = { ...t.text };
    if (text.performer === undefined && album.text.performer !== undefined) text.performer = album.text.performer;
    return text;
  });
  const hasText = [album.text, ...tracks].some((f) => TEXT_FIELDS.some((k) => f[k] !== undefined));
  if (!hasText && album.discId === undefined && album.genre === undefined) return undefined;
  return { language: album.language, disc: { ...album.text }, tracks, discId: album.discId, genre: album.genre };
}

function seconds(samples: number): string {
  return (samples / 44100).toFixed(3).replace(/\.?0+$/, '');
}

