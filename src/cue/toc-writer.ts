// cdrdao TOC writer (formats.md, "cdrdao TOC"; grammar: cdrdao trackdb/TocParser.g, man page "TOC FILES").
//
// Decisions, each checked against cdrdao 1.2.4:
// - Byte order. cdrdao reads a FILE whose name does not end in ".wav" as raw samples in big-endian order
//   (man page: "MSBLeft LSBLeft MSBRight LSBRight"); IMAGE.DAT is little-endian. The FILE statement's
//   SWAP keyword (TocParser.g, subTrack) reverses the expected order for that file only, so ddpkit writes
//   `FILE "IMAGE.DAT" SWAP <start> <length>` and the TOC burns correctly without `--swap` (which would
//   swap a second time). `cdrdao show-data` prints the samples as cdrdao will send them.
// - Positions. cdrdao always writes the first 150 frames of the disc (the Red Book's 2-second pregap,
//   LBA -150..-1) as silence itself, and a TOC position 0 is disc frame 150 (00:02:00 absolute). So track 1
//   starts at image frame 150 and has `START <index 01 − 150>` only when its pregap is longer than 2 s
//   (a hidden track or a longer gap). Every other track's FILE part starts at its index 00 (or index 01 if
//   it has none) with `START <index 01 − index 00>`; each part ends where the next track's begins, the
//   last at the lead-out. INDEX lines are index 02, 03, … relative to index 01. `toc2cddb` lists the
//   resulting absolute track offsets.
// - Audio in the image's first 150 frames (a hidden track after a gap shorter than 2 s) cannot be written
//   by cdrdao; the TOC then starts with a comment saying so, and the disc gets silence there.
// - CD-Text: a text type (TITLE … MESSAGE) that has any non-empty string is written for the disc and every
//   track, "" where there is none (cdrdao requires a type on all tracks once it is on one; the same rule
//   as CDTEXT.BIN in formats.md). DISC_ID and GENRE go in the disc block only; GENRE is binary data
//   `{ code high byte, code low byte, text bytes…, 0 }`, the layout cdrdao's genre item has
//   (CdTextItem.cc). UPC_EAN and ISRC items (pack 0x8E) are not written, as in CDTEXT.BIN: the codes are
//   in the subcode (CATALOG, ISRC), and cdrdao refuses a disc UPC_EAN item without an ISRC item on every
//   track. cdrdao warns when a disc with CD-Text has no TITLE or PERFORMER at all; that is left to it.
// - Flags: PRE_EMPHASIS/NO PRE_EMPHASIS, then COPY/NO COPY, are always written, in that order: cdrdao
//   1.2.4's parser reports "syntax error at "PRE_EMPHASIS" missing Copy" for `NO PRE_EMPHASIS` directly
//   before FILE (its grammar reads `NO` as the start of `NO COPY` there), while `NO COPY` parses anywhere.
//   cdrdao cannot write SCMS; a track asking for it gets NO COPY and a comment.
// - Strings are escaped by tocString (escape.ts): the TOC is pure ASCII.

import { languageCode } from '../cdtext/languages.js';
import { fail } from '../errors.js';
import { TEXT_FIELDS, trackFirstFrame, trackStart, type CdText, type Disc, type TextField } from '../disc/model.js';
import { framesToMsf, SAMPLES_PER_FRAME } from '../time.js';
import { tocBytes, tocString } from './escape.js';

/** The frames cdrdao itself writes before TOC position 0: the disc's 2-second pregap. */
const CDRDAO_IMPLICIT_PREGAP = 150;

/** Writes the cdrdao TOC file of a disc whose raw image is `imageFile` (resolved by cdrdao relative to the TOC). */
export function writeToc(disc: Disc, opts: { imageFile: string }): string {
  const out: string[] = [];
  const firstAudio = disc.spans.find((s) => s.length > 0)?.start;
  if (firstAudio !== undefined && firstAudio < CDRDAO_IMPLICIT_PREGAP * SAMPLES_PER_FRAME) {
    out.push(
      `// Note: the image's first ${CDRDAO_IMPLICIT_PREGAP} frames hold audio from ${framesToMsf(Math.floor(firstAudio / SAMPLES_PER_FRAME))} on,`,
      '// but cdrdao always writes the first 2 seconds of a disc as silence: that audio is not burnt.',
    );
  }
  out.push('CD_DA');
  if (disc.upc !== undefined) out.push(`CATALOG ${tocString(disc.upc, 'UPC/EAN')}`);

  const text = disc.cdText;
  const fields = text ? presentFields(text) : [];
  const discOnly = text ? discOnlyLines(text) : [];
  if (text && (fields.length > 0 || discOnly.length > 0)) {
    const code = languageCode(text.language);
    if (code === undefined) fail('cdtext', `CD-Text language "${text.language}" has no CD-Text language code`);
    out.push('', 'CD_TEXT {', '  LANGUAGE_MAP {', `    0 : ${code}`, '  }', '  LANGUAGE 0 {');
    for (const field of fields) out.push(`    ${field.toUpperCase()} ${tocString(text.disc[field] ?? '', `disc ${field}`)}`);
    out.push(...discOnly.map((l) => `    ${l}`), '  }', '}');
  }

  const imageFile = tocString(opts.imageFile, 'image file');
  disc.tracks.forEach((track, i) => {
    const index01 = trackStart(track);
    const next = disc.tracks[i + 1];
    const partEnd = next ? trackFirstFrame(next) : disc.leadOut;
    let partStart = trackFirstFrame(track);
    if (i === 0) {
      if (index01 < CDRDAO_IMPLICIT_PREGAP) fail('rule', `track 1's index 01 is at ${framesToMsf(index01)}; a disc needs it at 00:02:00 or later`);
      partStart = CDRDAO_IMPLICIT_PREGAP;
    }
    out.push('', `// Track ${track.number}`, 'TRACK AUDIO');
    if (track.flags.scms) out.push('// SCMS requested: cdrdao cannot write SCMS, the track is written as copy not permitted');
    out.push(track.flags.preEmphasis ? 'PRE_EMPHASIS' : 'NO PRE_EMPHASIS');
    out.push(track.flags.copyPermitted && !track.flags.scms ? 'COPY' : 'NO COPY');
    if (track.isrc !== undefined) out.push(`ISRC ${tocString(track.isrc, `track ${track.number} ISRC`)}`);
    if (text && fields.length > 0) {
      const trackText = text.tracks[i] ?? {};
      out.push('CD_TEXT {', '  LANGUAGE 0 {');
      for (const field of fields) out.push(`    ${field.toUpperCase()} ${tocString(trackText[field] ?? '', `track ${track.number} ${field}`)}`);
      out.push('  }', '}');
    }
    out.push(`FILE ${imageFile} SWAP ${framesToMsf(partStart)} ${framesToMsf(partEnd - partStart)}`);
    if (index01 > partStart) out.push(`START ${framesToMsf(index01 - partStart)}`);
    for (const index of track.indexes) {
      if (index.number >= 2) out.push(`INDEX ${framesToMsf(index.frame - index01)}`);
    }
  });
  return `${out.join('\n')}\n`;
}

/** The text types that have a non-empty string on the disc or any track, in pack-type order. */
function presentFields(text: CdText): TextField[] {
  return TEXT_FIELDS.filter((f) => nonEmpty(text.disc[f]) || text.tracks.some((t) => nonEmpty(t[f])));
}

/** DISC_ID and GENRE items of the disc block. */
function discOnlyLines(text: CdText): string[] {
  const lines: string[] = [];
  if (nonEmpty(text.discId)) lines.push(`DISC_ID ${tocString(text.discId, 'disc_id')}`);
  if (text.genre) {
    const { code, text: genreText } = text.genre;
    const bytes = [(code >> 8) & 0xff, code & 0xff, ...tocBytes(genreText, 'genre'), 0];
    lines.push(`GENRE { ${bytes.join(', ')} }`);
  }
  return lines;
}

function nonEmpty(s: string | undefined): s is string {
  return s !== undefined && s !== '';
}
