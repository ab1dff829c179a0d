// Quoting text for cue sheets and cdrdao TOC files (formats.md, "CUE sheet" and "cdrdao TOC").
//
// Cue sheets have no escape mechanism. What the readers do with a `"` inside a quoted string:
// - libcdio (lib/driver/image/bincue.c) takes a CD-Text value up to the next `"`, so the rest is lost;
// - cdrdao 1.2.4 (trackdb/Cue2Toc.cc, get_string) does the same, and stops with "String too long" on
//   text over 80 characters and with "Empty string" on `""`;
// - CDRWIN itself allows at most 80 characters.
// So ddpkit writes a `"` in cue text as two apostrophes `''` (plain ASCII, what most rippers write, and
// every reader keeps it), cuts cue text to 80 characters (the full text still reaches the disc through
// CDTEXTFILE or the DDP's CDTEXT.BIN), and leaves empty text out. A file name with a `"` cannot be
// written at all and is refused.
//
// cdrdao's TOC strings do have escapes (trackdb/TocParser.g, lexclass STRING): `\"` is a quote and
// `\ooo` (three octal digits) any byte. ddpkit writes `\"`, writes `\` as `\134` (a lone backslash only
// works when no quote or digits follow it), and every byte outside printable ASCII as `\ooo`, so a TOC
// is pure ASCII whatever encoding it is saved in and cdrdao receives the ISO 8859-1 bytes of CD-Text.
//
// Characters beyond ISO 8859-1 cannot reach CD-Text (format 1 supports only ISO 8859-1) and are refused.

import { fail } from '../errors.js';

/** The longest CD-Text string CDRWIN-style cue readers accept. */
export const CUE_TEXT_MAX = 80;

/** `"text"` for a cue sheet TITLE/PERFORMER/SONGWRITER: `"` → `''`, cut to 80 characters. */
export function cueText(text: string, what: string): string {
  checkLatin1(text, what);
  let out = '';
  for (const ch of text) {
    const piece = ch === '"' ? "''" : CONTROL_RE.test(ch) ? ' ' : ch;
    if (out.length + piece.length > CUE_TEXT_MAX) {
      out = out.trimEnd(); // a cut text should not end in a blank
      break;
    }
    out += piece;
  }
  return `"${out}"`;
}

/** `"name"` for a cue sheet FILE or CDTEXTFILE; a name a cue sheet cannot hold is refused. */
export function cueFileName(name: string, what: string): string {
  if (name.includes('"') || CONTROL_RE.test(name)) {
    fail('usage', `${what} "${name}" cannot be named in a cue sheet (it contains a quote or a control character)`);
  }
  return `"${name}"`;
}

/** `"text"` for a cdrdao TOC file, with `\"`, `\134` and `\ooo` escapes: the result is pure ASCII. */
export function tocString(text: string, what: string): string {
  checkLatin1(text, what);
  let out = '"';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\134';
    else if (code >= 0x20 && code <= 0x7e) out += ch;
    else out += `\\${code.toString(8).padStart(3, '0')}`;
  }
  return `${out}"`;
}

/** The ISO 8859-1 bytes of a text as the comma-separated numbers of a TOC binary item. */
export function tocBytes(text: string, what: string): number[] {
  checkLatin1(text, what);
  return Array.from(Buffer.from(text, 'latin1'));
}

// TAB, CR, LF and the other C0/C1 controls: a line break inside a quoted string would end the line.
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f]/;

function checkLatin1(text: string, what: string): void {
  for (const ch of text) {
    if (ch.codePointAt(0)! > 0xff) {
      fail('cdtext', `${what}: "${ch}" (U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}) is not an ISO 8859-1 character; CD-Text can only carry ISO 8859-1`);
    }
  }
}
