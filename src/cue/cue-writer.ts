// Cue sheet (CDRWIN) writer: the disc as one raw image file with its index points (formats.md, "CUE sheet").
//
// Layout: CATALOG, CDTEXTFILE, the disc's TITLE/PERFORMER/SONGWRITER, one `FILE "…" BINARY`, then per
// track `TRACK nn AUDIO` indented by 2 and its commands by 4 (the customary layout): TITLE, PERFORMER,
// SONGWRITER, ISRC, FLAGS (before INDEX, only when a flag is set), INDEX 00/01/02…. Upper-case
// commands, LF line ends, no BOM. BINARY means raw 16-bit little-endian samples, which IMAGE.DAT is.
//
// INDEX times are the PQ times (formats.md): absolute frames of the image, whose first frame is the
// start of track 1's pregap, so track 1 normally reads INDEX 00 00:00:00, INDEX 01 00:02:00.
// Readers take the FILE's first frame as disc LBA 0 (= 00:02:00 absolute) and add the 2-second pregap
// themselves: libcdio's cd-info lists track 1 at LSN 150 and cdrdao gives it a 2-second pregap from the
// file, so a disc burnt from this sheet starts 2 seconds later than the DDP (all distances are kept).
//
// Text: see escape.ts (`"` → `''`, at most 80 characters, empty text left out). Save the sheet as
// ISO 8859-1 (cueBytes): CDRWIN-style burners put its bytes into CD-Text as they are, and libcdio reads
// cue text as ISO 8859-1 (a UTF-8 "é" comes out as "Ã©").

import type { Disc, DiscTrack, TextField, TextFields } from '../disc/model.js';
import { framesToMsf, pad2 } from '../time.js';
import { cueFileName, cueText } from './escape.js';

/** The text commands a cue sheet has, in the order ddpkit writes them (the other CD-Text fields need CDTEXTFILE). */
const CUE_TEXT_FIELDS = ['title', 'performer', 'songwriter'] as const satisfies readonly TextField[];

/** Writes the CDRWIN cue sheet of a disc whose raw image is `imageFile` (a path relative to the cue's folder). */
export function writeCue(disc: Disc, opts: { imageFile: string; cdTextFile?: string | undefined }): string {
  const lines: string[] = [];
  if (disc.upc !== undefined) lines.push(`CATALOG ${disc.upc}`);
  if (opts.cdTextFile !== undefined) lines.push(`CDTEXTFILE ${cueFileName(opts.cdTextFile, 'CD-Text file')}`);
  lines.push(...textLines(disc.cdText?.disc, '', 'disc'));
  lines.push(`FILE ${cueFileName(opts.imageFile, 'image file')} BINARY`);
  disc.tracks.forEach((track, i) => {
    lines.push(`  TRACK ${pad2(track.number)} AUDIO`);
    lines.push(...textLines(disc.cdText?.tracks[i], '    ', `track ${track.number}`));
    if (track.isrc !== undefined) lines.push(`    ISRC ${track.isrc}`);
    const flags = flagWords(track);
    if (flags.length > 0) lines.push(`    FLAGS ${flags.join(' ')}`);
    for (const index of track.indexes) lines.push(`    INDEX ${pad2(index.number)} ${framesToMsf(index.frame)}`);
  });
  return `${lines.join('\n')}\n`;
}

/** The bytes to save a cue sheet as: ISO 8859-1, which CDRWIN-style burners and libcdio read it as. */
export function cueBytes(cue: string): Buffer {
  return Buffer.from(cue, 'latin1');
}

function textLines(text: TextFields | undefined, indent: string, what: string): string[] {
  if (!text) return [];
  const lines: string[] = [];
  for (const field of CUE_TEXT_FIELDS) {
    const value = text[field];
    // An empty string is what a disc without this text shows anyway; cdrdao refuses `""` in a cue sheet.
    if (value === undefined || value === '') continue;
    lines.push(`${indent}${field.toUpperCase()} ${cueText(value, `${what} ${field}`)}`);
  }
  return lines;
}

/** FLAGS words in CDRWIN order: DCP (digital copy permitted), PRE (pre-emphasis), SCMS. */
function flagWords(track: DiscTrack): string[] {
  const words: string[] = [];
  if (track.flags.copyPermitted) words.push('DCP');
  if (track.flags.preEmphasis) words.push('PRE');
  if (track.flags.scms) words.push('SCMS');
  return words;
}

