// `info`: what a DDP player lists for a fileset (level, codes, track list with indexes, CD-Text, files),
// as JSON-friendly data and as text for a 100-column terminal. Built from readFileset's result only:
// the image is never read, so info is instant whatever the disc.
import { TEXT_FIELDS, indexFrame, presentText, trackLength, trackStart, type Disc, type TextFields } from '../disc/model.js';
import type { FileRef, FilesetRead } from '../ddp/read-fileset.js';
import { framesToMsf, pad2 } from '../time.js';
import { flagsText } from './plan.js';

/** An index point with its time. */
export interface IndexInfo {
  number: number;
  /** Absolute frame from the start of the image. */
  frame: number;
  /** The frame as MM:SS:FF. */
  time: string;
}

/** One track as a DDP player lists it. */
export interface TrackInfo {
  number: number;
  /** Index 01: absolute frame and MM:SS:FF. */
  startFrame: number;
  start: string;
  /** Index 01 to the next track's index 01 (or the lead-out). */
  lengthFrames: number;
  length: string;
  /** Index 01 − index 00, or null when the track has no index 00. */
  pregapFrames: number | null;
  pregap: string | null;
  indexes: IndexInfo[];
  isrc: string | null;
  /** `DCP`, `PRE`, `SCMS` or `-` (flagsText). */
  flags: string;
  /** The track's CD-Text; only the fields the disc has. */
  text: TextFields;
}

/** The disc-wide CD-Text. */
export interface CdTextInfo {
  language: string;
  /** Only the fields the disc has. */
  disc: TextFields;
  discId: string | null;
  genre: { code: number; text: string } | null;
}

/** A file of the fileset folder. */
export interface FileInfo {
  name: string;
  size: number;
  /** What the file is in the fileset. */
  role: 'identifier' | 'map' | 'cd-text' | 'pq' | 'image' | 'other';
}

/** What `info` shows; plain JSON values only (the CLI prints it with --json). */
export interface FilesetInfo {
  /** DDPID level (`DDP 2.00`), or null without a readable DDPID. */
  level: string | null;
  upc: string | null;
  masterId: string | null;
  trackCount: number;
  /** Lead-out frame = total length, or null when the track layout could not be read. */
  leadOutFrame: number | null;
  totalLength: string | null;
  tracks: TrackInfo[];
  cdText: CdTextInfo | null;
  files: FileInfo[];
  findings: { errors: number; warnings: number; notes: number };
}

/** The listing of a fileset as read (readFileset), as JSON-friendly data. */
export function infoOf(read: FilesetRead): FilesetInfo {
  const disc = read.disc;
  const text = disc?.cdText;
  const count = (s: 'error' | 'warning' | 'note'): number => read.findings.filter((f) => f.severity === s).length;
  return {
    level: read.ddpid?.level ?? null,
    upc: disc?.upc ?? read.ddpid?.upc ?? null,
    masterId: disc?.masterId ?? read.ddpid?.masterId ?? null,
    trackCount: disc?.tracks.length ?? 0,
    leadOutFrame: disc?.leadOut ?? null,
    totalLength: disc ? framesToMsf(disc.leadOut) : null,
    tracks: disc ? trackInfos(disc) : [],
    cdText: text
      ? {
          language: text.language,
          disc: presentText(text.disc),
          discId: text.discId ?? null,
          genre: text.genre ? { code: text.genre.code, text: text.genre.text } : null,
        }
      : null,
    files: fileInfos(read),
    findings: { errors: count('error'), warnings: count('warning'), notes: count('note') },
  };
}

function trackInfos(disc: Disc): TrackInfo[] {
  return disc.tracks.map((t, i) => {
    const start = trackStart(t);
    const length = trackLength(disc, i);
    const zero = indexFrame(t, 0);
    const pregap = zero === undefined ? null : start - zero;
    return {
      number: t.number,
      startFrame: start,
      start: framesToMsf(start),
      lengthFrames: length,
      length: framesToMsf(length),
      pregapFrames: pregap,
      pregap: pregap === null ? null : framesToMsf(pregap),
      indexes: t.indexes.map((x) => ({ number: x.number, frame: x.frame, time: framesToMsf(x.frame) })),
      isrc: t.isrc ?? null,
      flags: flagsText(t.flags),
      text: presentText(disc.cdText?.tracks[i]),
    };
  });
}

/** The fileset's own files in checksum order (DDPID, DDPMS, CD-Text, PQ, image), then the others by name. */
function fileInfos(read: FilesetRead): FileInfo[] {
  const f = read.files;
  const parts: [FileRef | undefined, FileInfo['role']][] = [
    [f.ddpid, 'identifier'],
    [f.ddpms, 'map'],
    [f.cdtext, 'cd-text'],
    [f.pq, 'pq'],
    [f.image, 'image'],
    ...f.others.map((o): [FileRef, FileInfo['role']] => [o, 'other']),
  ];
  const seen = new Set<string>();
  const out: FileInfo[] = [];
  for (const [ref, role] of parts) {
    // One file may hold several streams (DDPMS OFS): list it once, under its first role.
    if (!ref || seen.has(ref.name)) continue;
    seen.add(ref.name);
    out.push({ name: ref.name, size: ref.size, role });
  }
  return out;
}

/** Terminal width the text is laid out for. */
const WIDTH = 100;
const ROLE_LABELS: Record<FileInfo['role'], string> = {
  identifier: 'DDP identifier',
  map: 'DDP map stream',
  'cd-text': 'CD-Text',
  pq: 'PQ description',
  image: 'audio image',
  other: '',
};

/** The listing as text: a header block, the track table (every index), CD-Text and the files. */
export function infoText(info: FilesetInfo): string {
  const lines: string[] = [];
  const head = (label: string, value: string): void => {
    lines.push(`${label.padEnd(14)}${value}`);
  };
  head('DDP level', info.level ?? 'unknown (no readable DDPID)');
  head('UPC/EAN', info.upc ?? 'none');
  head('Master ID', info.masterId ?? 'none');
  head('Tracks', String(info.trackCount));
  head('Total length', info.totalLength === null ? 'unknown' : `${info.totalLength} (${info.leadOutFrame} frames)`);
  head('Findings', findingsText(info.findings));

  lines.push('');
  if (info.leadOutFrame === null) {
    lines.push('No track list: the PQ description could not be read (ddpkit verify says why).');
  } else {
    lines.push(...trackTable(info));
  }

  if (info.cdText) {
    lines.push('', `CD-Text (language ${info.cdText.language})`);
    const disc: [string, string][] = textRows(info.cdText.disc);
    if (info.cdText.discId !== null) disc.push(['disc ID', info.cdText.discId]);
    if (info.cdText.genre) {
      const g = info.cdText.genre;
      disc.push(['genre', g.text === '' ? `(code ${g.code})` : `${g.text} (code ${g.code})`]);
    }
    lines.push(...textBlock('Disc', disc));
    for (const t of info.tracks) lines.push(...textBlock(`Track ${pad2(t.number)}`, textRows(t.text)));
  }

  lines.push('', 'Files');
  const nameWidth = Math.max(4, ...info.files.map((f) => f.name.length));
  const sizes = info.files.map((f) => withSeparators(f.size));
  const sizeWidth = Math.max(...sizes.map((s) => s.length), 1);
  info.files.forEach((f, i) => {
    lines.push(`  ${f.name.padEnd(nameWidth)}  ${sizes[i]!.padStart(sizeWidth)} bytes  ${ROLE_LABELS[f.role]}`.trimEnd());
  });
  return `${lines.join('\n')}\n`;
}

/** Column layout of the track table: 68 columns before the title, which gets the rest of the 100. */
const COLUMNS = [
  ['TRACK', 7],
  ['INDEX', 7],
  ['START', 10],
  ['LENGTH', 10],
  ['PREGAP', 10],
  ['ISRC', 14],
  ['FLAGS', 10],
] as const;
const TITLE_WIDTH = WIDTH - COLUMNS.reduce((n, [, w]) => n + w, 0);

/** One row per index; the index 01 row carries the track's length, pregap, ISRC, flags and title. */
function trackTable(info: FilesetInfo): string[] {
  const row = (cells: string[]): string => cells.map((c, i) => (i < COLUMNS.length ? c.padEnd(COLUMNS[i]![1]) : c)).join('').trimEnd();
  const lines = [row([...COLUMNS.map(([name]) => name), 'TITLE'])];
  for (const t of info.tracks) {
    for (const x of t.indexes) {
      if (x.number !== 1) {
        lines.push(row([pad2(t.number), pad2(x.number), x.time]));
        continue;
      }
      lines.push(row([pad2(t.number), '01', t.start, t.length, t.pregap ?? 'none', t.isrc ?? '-', t.flags, cut(t.text.title ?? '', TITLE_WIDTH)]));
    }
  }
  lines.push(`${'LEAD-OUT'.padEnd(COLUMNS[0][1] + COLUMNS[1][1])}${info.totalLength ?? ''}`);
  return lines;
}

function textRows(text: TextFields): [string, string][] {
  const rows: [string, string][] = [];
  for (const field of TEXT_FIELDS) {
    const value = text[field];
    // An empty string is how CD-Text says "none" for a track when other tracks have that field.
    if (value !== undefined && value !== '') rows.push([field, value]);
  }
  return rows;
}

/** `  Disc      title       Café Nuit`: the owner once, then label and value, long values wrapped. */
function textBlock(owner: string, rows: [string, string][]): string[] {
  const lines: string[] = [];
  const indent = 24;
  rows.forEach(([label, value], i) => {
    const prefix = `  ${(i === 0 ? owner : '').padEnd(10)}${label.padEnd(12)}`;
    wrap(value, WIDTH - indent).forEach((piece, j) => lines.push(`${j === 0 ? prefix : ' '.repeat(indent)}${piece}`.trimEnd()));
  });
  return lines;
}

/** Splits text into lines of at most `width` characters, at blanks where there is one. */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > width) {
    const blank = rest.lastIndexOf(' ', width);
    const at = blank > 0 ? blank : width;
    out.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  out.push(rest);
  return out;
}

/** A title cut to the table's width with `…`, the full text being in the CD-Text block. */
function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1).trimEnd()}…`;
}

function findingsText(f: FilesetInfo['findings']): string {
  const parts: string[] = [];
  const add = (n: number, word: string): void => {
    if (n > 0) parts.push(`${n} ${word}${n === 1 ? '' : 's'}`);
  };
  add(f.errors, 'error');
  add(f.warnings, 'warning');
  add(f.notes, 'note');
  return parts.length === 0 ? 'none' : `${parts.join(', ')} (ddpkit verify lists them)`;
}

/** 4148928 → `4,148,928`, the same in every locale. */
function withSeparators(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

