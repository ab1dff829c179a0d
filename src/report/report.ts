// The disc report: the PQ sheet a plant asks for with the master, the track list a client approves
// and the last check of loudness, peaks and clipping an engineer makes. One JSON-friendly value
// (ReportData) is built from the Disc, its analysis and (after a build) the fileset's checksums; the
// text, JSON and HTML views are written from it. Deterministic: no dates, no host names.
//
// Warning rules (all computed on the unrounded figures):
//  - true-peak:     a track's true peak is above −1.0 dBTP (exactly −1.0 passes).
//  - clipping:      a track has one or more clipping runs (≥ 3 consecutive samples of one channel at a
//                   rail, as DiscAnalyzer counts them).
//  - loudness-jump: a track's integrated loudness is more than 3.0 LU above that of each measurable
//                   neighbour (the track before and the track after), i.e. more than 3.0 LU above the
//                   louder of them. Neighbours without a measurable loudness (digital silence, shorter
//                   than 400 ms) are left out; a track with no measurable neighbour is not compared.
//                   Exactly 3.0 LU passes (differences within 1e-9 LU of 3 count as 3, so float
//                   noise in the subtraction cannot decide the boundary).
// Audio before track 1's index 01 (a hidden track in the disc pregap) belongs to no track: when the
// disc's figures break the true-peak or clipping rule and no track's do, one warning without a track
// says so. (A clipping run split by a track boundary with fewer than 3 samples on each side counts
// for the disc only, and is reported the same way.)

import { crc32Hex } from '../checksum/digest.js';
import { TEXT_FIELDS, indexFrame, presentText, trackLength, trackStart, type Disc, type TextFields } from '../disc/model.js';
import { BYTES_PER_FRAME, SAMPLE_RATE, SAMPLES_PER_FRAME, framesToMsf, pad2 } from '../time.js';
import type { AudioStats, DiscAnalysis } from './analysis.js';
import type { OverviewData } from './overview.js';
import { flagsText } from './plan.js';

/** True peaks above this (dBTP) are flagged. */
export const TRUE_PEAK_LIMIT_DBTP = -1.0;
/** A track louder than each neighbour by more than this (LU) is flagged. */
export const LOUDNESS_JUMP_LU = 3.0;
const JUMP_EPSILON = 1e-9;

/** The disc facts at the head of the report. */
export interface ReportDisc {
  /** CD-Text album title and performer (null without CD-Text). */
  title: string | null;
  performer: string | null;
  upc: string | null;
  masterId: string | null;
  trackCount: number;
  /** Lead-out address in frames = image length = total length. */
  leadOutFrame: number;
  /** The lead-out as MM:SS:FF. */
  leadOut: string;
  /** Track 1's index 01 (the disc pregap), frames and MM:SS:FF. */
  pregapFrames: number;
  pregap: string;
  /** Bytes of IMAGE.DAT (lead-out × 2352). */
  imageBytes: number;
  /** MD5 of IMAGE.DAT (lower-case hex), or null when there is no image yet. */
  imageMd5: string | null;
}

/** One file of the fileset with its checksums. */
export interface ReportFile {
  name: string;
  bytes: number;
  md5: string;
  /** CRC-32 as 8 upper-case hex digits. */
  crc32: string;
}

/** One row of the PQ list: one index of one track. */
export interface PqRow {
  track: number;
  index: number;
  /** Absolute frame and MM:SS:FF. */
  frame: number;
  time: string;
  /** On index 01 rows: index 01 to the next track's index 01 (or the lead-out); null on other rows. */
  lengthFrames: number | null;
  length: string | null;
  /** On index 01 rows: index 01 − index 00 (0 without an index 00); null on other rows. */
  pregapFrames: number | null;
  pregap: string | null;
  /** On index 01 rows: the ISRC (null when the track has none); null on other rows. */
  isrc: string | null;
  /** On index 01 rows: `DCP`, `PRE`, `SCMS` or `-` (flagsText); null on other rows. */
  flags: string | null;
}

/** The disc's CD-Text (block 0). Only the fields that are there. */
export interface ReportCdText {
  language: string;
  disc: TextFields;
  /** One per track, in track order. */
  tracks: TextFields[];
  discId: string | null;
  genre: { code: number; text: string } | null;
}

/** AudioStats with every −Infinity ("no level": silence, no DC) written as null. */
export interface ReportStats {
  integratedLufs: number | null;
  loudnessRangeLu: number | null;
  samplePeakDbfs: number | null;
  truePeakDbtp: number | null;
  clipping: { runs: number; samples: number; first: number[] };
  dcOffsetDbfs: { left: number | null; right: number | null };
  silence: { headSamples: number; tailSamples: number };
  crc32: string;
}

/** Something the engineer should look at before the master goes out. */
export interface ReportWarning {
  level: 'warning';
  /** The track; absent for audio before track 1's index 01. */
  track?: number;
  code: 'true-peak' | 'clipping' | 'loudness-jump';
  message: string;
}

/** The figures of one track, with its number. */
export interface ReportTrackStats extends ReportStats {
  track: number;
}

/** Everything the report shows, as plain JSON values (no −Infinity, no undefined). */
export interface ReportData {
  tool: { name: string; version: string };
  /** The manifest or fileset the report was made from, as given. */
  source: string;
  disc: ReportDisc;
  /** The fileset's files in checksum order, or null when the report was made without a fileset. */
  files: ReportFile[] | null;
  pq: PqRow[];
  cdText: ReportCdText | null;
  /** Per track in track order (the same order as cdText.tracks), and for the whole image. */
  analysis: { tracks: ReportTrackStats[]; disc: ReportStats };
  overview: OverviewData | null;
  warnings: ReportWarning[];
}

/** A written file as the fileset writer describes it (WrittenFile). */
export interface ReportFileInput {
  name: string;
  bytes: number;
  md5: string;
  crc32: number;
}

/** What reportData() is made from. */
export interface ReportInput {
  disc: Disc;
  analysis: DiscAnalysis;
  overview?: OverviewData | undefined;
  files?: readonly ReportFileInput[] | undefined;
  /** MD5 of IMAGE.DAT; defaults to the IMAGE.DAT entry of `files`. */
  imageMd5?: string | undefined;
  source: string;
  tool: { name: string; version: string };
}

/** Builds the report's data from the Disc, its analysis and (optionally) the fileset's checksums. */
export function reportData(input: ReportInput): ReportData {
  const { disc, analysis } = input;
  if (analysis.tracks.length !== disc.tracks.length) {
    throw new RangeError(`report: ${analysis.tracks.length} analysed tracks for a disc of ${disc.tracks.length}`);
  }
  const first = disc.tracks[0];
  const pregap = first ? trackStart(first) : 0;
  const imageMd5 = input.imageMd5 ?? input.files?.find((f) => f.name === 'IMAGE.DAT')?.md5 ?? null;
  const text = disc.cdText;
  return {
    tool: { name: input.tool.name, version: input.tool.version },
    source: input.source,
    disc: {
      title: text?.disc.title ?? null,
      performer: text?.disc.performer ?? null,
      upc: disc.upc ?? null,
      masterId: disc.masterId ?? null,
      trackCount: disc.tracks.length,
      leadOutFrame: disc.leadOut,
      leadOut: framesToMsf(disc.leadOut),
      pregapFrames: pregap,
      pregap: framesToMsf(pregap),
      imageBytes: disc.leadOut * BYTES_PER_FRAME,
      imageMd5,
    },
    files: input.files ? input.files.map((f) => ({ name: f.name, bytes: f.bytes, md5: f.md5, crc32: crc32Hex(f.crc32) })) : null,
    pq: pqRows(disc),
    cdText: text
      ? {
          language: text.language,
          disc: presentText(text.disc),
          tracks: disc.tracks.map((_, i) => presentText(text.tracks[i])),
          discId: text.discId ?? null,
          genre: text.genre ? { code: text.genre.code, text: text.genre.text } : null,
        }
      : null,
    analysis: { tracks: analysis.tracks.map((s, i) => ({ track: disc.tracks[i]!.number, ...reportStats(s) })), disc: reportStats(analysis.disc) },
    overview: input.overview ?? null,
    warnings: reportWarnings(disc, analysis),
  };
}

/** The PQ list: every index of every track, in disc order. */
export function pqRows(disc: Disc): PqRow[] {
  const rows: PqRow[] = [];
  disc.tracks.forEach((t, i) => {
    const start = trackStart(t);
    const zero = indexFrame(t, 0);
    for (const idx of t.indexes) {
      const main = idx.number === 1;
      const length = main ? trackLength(disc, i) : null;
      const gap = main ? start - (zero ?? start) : null;
      rows.push({
        track: t.number,
        index: idx.number,
        frame: idx.frame,
        time: framesToMsf(idx.frame),
        lengthFrames: length,
        length: length === null ? null : framesToMsf(length),
        pregapFrames: gap,
        pregap: gap === null ? null : framesToMsf(gap),
        isrc: main ? (t.isrc ?? null) : null,
        flags: main ? flagsText(t.flags) : null,
      });
    }
  });
  return rows;
}

/** AudioStats as JSON-friendly values: −Infinity becomes null. */
export function reportStats(s: AudioStats): ReportStats {
  return {
    integratedLufs: level(s.integratedLufs),
    loudnessRangeLu: level(s.loudnessRangeLu),
    samplePeakDbfs: level(s.samplePeakDbfs),
    truePeakDbtp: level(s.truePeakDbtp),
    clipping: { runs: s.clipping.runs, samples: s.clipping.samples, first: [...s.clipping.first] },
    dcOffsetDbfs: { left: level(s.dcOffsetDbfs.left), right: level(s.dcOffsetDbfs.right) },
    silence: { headSamples: s.silence.headSamples, tailSamples: s.silence.tailSamples },
    crc32: s.crc32,
  };
}

function level(v: number | null): number | null {
  return v === null || !Number.isFinite(v) ? null : v;
}

/** The warnings of the rules at the top of this file, in track order (true peak, clipping, loudness jump per track). */
export function reportWarnings(disc: Disc, analysis: DiscAnalysis): ReportWarning[] {
  const out: ReportWarning[] = [];
  const n = analysis.tracks.length;
  const number = (i: number): number => disc.tracks[i]?.number ?? i + 1;
  const loudness = analysis.tracks.map((t) => level(t.integratedLufs));
  let trackPeak = false;
  let trackClip = false;
  for (let i = 0; i < n; i++) {
    const t = analysis.tracks[i]!;
    const label = `Track ${pad2(number(i))}`;
    if (t.truePeakDbtp > TRUE_PEAK_LIMIT_DBTP) {
      trackPeak = true;
      out.push({ level: 'warning', track: number(i), code: 'true-peak', message: `${label}: true peak ${peakText(t.truePeakDbtp)} dBTP is above ${TRUE_PEAK_LIMIT_DBTP.toFixed(1)} dBTP` });
    }
    if (t.clipping.runs > 0) {
      trackClip = true;
      out.push({ level: 'warning', track: number(i), code: 'clipping', message: `${label}: ${clippingText(t.clipping)}` });
    }
    const own = loudness[i];
    if (own !== null && own !== undefined) {
      const neighbours = [i - 1, i + 1].filter((k) => k >= 0 && k < n && loudness[k] !== null);
      if (neighbours.length > 0) {
        const louder = neighbours.reduce((a, b) => (loudness[b]! > loudness[a]! ? b : a));
        const jump = own - loudness[louder]!;
        if (jump > LOUDNESS_JUMP_LU + JUMP_EPSILON) {
          const which = neighbours.length === 1 ? 'its neighbour' : 'the louder neighbour';
          out.push({
            level: 'warning',
            track: number(i),
            code: 'loudness-jump',
            message: `${label}: integrated loudness ${lufsText(own)} LUFS is ${jump.toFixed(1)} LU above ${which} (track ${pad2(number(louder))}, ${lufsText(loudness[louder]!)} LUFS)`,
          });
        }
      }
    }
  }
  const d = analysis.disc;
  if (!trackPeak && d.truePeakDbtp > TRUE_PEAK_LIMIT_DBTP) {
    out.push({ level: 'warning', code: 'true-peak', message: `Before track 01 (disc pregap): true peak ${peakText(d.truePeakDbtp)} dBTP is above ${TRUE_PEAK_LIMIT_DBTP.toFixed(1)} dBTP` });
  }
  if (!trackClip && d.clipping.runs > 0) {
    // Either audio before track 1, or runs too short on each side of a track boundary to count in either track.
    const first = disc.tracks[0] ? trackStart(disc.tracks[0]) * SAMPLES_PER_FRAME : 0;
    const where = (d.clipping.first[0] ?? 0) < first ? 'Before track 01 (disc pregap)' : 'Across a track boundary';
    out.push({ level: 'warning', code: 'clipping', message: `${where}: ${clippingText(d.clipping)}` });
  }
  return out;
}

function clippingText(c: AudioStats['clipping']): string {
  const where = c.first[0] === undefined ? '' : `, first at ${framesToMsf(Math.floor(c.first[0] / SAMPLES_PER_FRAME))}`;
  return `${c.runs} clipping run${c.runs === 1 ? '' : 's'} (${c.samples} sample${c.samples === 1 ? '' : 's'} at full scale)${where}`;
}

/** The report as JSON (2-space indented, with a final newline). */
export function reportJson(data: ReportData): string {
  return JSON.stringify(data, null, 2) + '\n';
}

// ---- Formatting shared by the text and HTML views ------------------------------------------------

/**
 * A peak level (dBFS / dBTP) with two decimals, rounded up: a shown peak never understates the real
 * one, so "−1.00" really is at or below −1 dBTP. "-inf" for no level.
 */
export function peakText(v: number | null): string {
  if (v === null || v === -Infinity) return '-inf';
  const hundredths = Math.ceil(v * 100 - 1e-9);
  return signed((hundredths / 100).toFixed(2));
}

/** A loudness (LUFS) with one decimal; "-" when not measurable. */
export function lufsText(v: number | null): string {
  return v === null || !Number.isFinite(v) ? '-' : signed(v.toFixed(1));
}

/** A loudness range (LU) with one decimal; "-" when not measurable. */
export function luText(v: number | null): string {
  return v === null || !Number.isFinite(v) ? '-' : signed(v.toFixed(1));
}

/** The larger DC offset of the two channels (dBFS, one decimal), or "-inf" when both means are exactly 0. */
export function dcText(dc: { left: number | null; right: number | null }): string {
  const values = [dc.left, dc.right].filter((v): v is number => v !== null && Number.isFinite(v));
  return values.length === 0 ? '-inf' : signed(Math.max(...values).toFixed(1));
}

/** Sample frames as seconds with three decimals (44.1 kHz). */
export function secondsText(samples: number): string {
  return (samples / SAMPLE_RATE).toFixed(3);
}


/** Byte counts in groups of three: 1 234 567. */
export function bytesText(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

/** Text field labels as the report shows them. */
export const TEXT_LABELS: Record<keyof TextFields, string> = {
  title: 'Title',
  performer: 'Performer',
  songwriter: 'Songwriter',
  composer: 'Composer',
  arranger: 'Arranger',
  message: 'Message',
};

/** The CD-Text fields any of the disc or its tracks has, in pack-type order. */
export function usedTextFields(text: ReportCdText): (keyof TextFields)[] {
  return TEXT_FIELDS.filter((f) => text.disc[f] !== undefined || text.tracks.some((t) => t[f] !== undefined));
}

/** Which analysis figures of a track carry a warning, for highlighting. */
export function warnedFields(data: ReportData, track: number): Set<ReportWarning['code']> {
  return new Set(data.warnings.filter((w) => w.track === track).map((w) => w.code));
}

function signed(s: string): string {
  return /^-0(\.0+)?$/.test(s) ? s.slice(1) : s;
}


// ---- Text ---------------------------------------------------------------------------------------

type Align = 'left' | 'right';

/** Columns padded to their widest cell (header included), two spaces apart, trailing spaces trimmed. */
function table(header: string[], rows: string[][], align: Align[]): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, c) => (align[c] === 'right' ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/** The report as plain text: disc facts, fileset, PQ list, CD-Text, analysis and warnings. */
export function reportText(data: ReportData): string {
  const d = data.disc;
  const lines: string[] = [];
  lines.push(`DISC REPORT (${data.tool.name} ${data.tool.version})`, '');
  const facts: [string, string][] = [
    ['Source', data.source],
    ['Title', d.title ?? '-'],
    ['Performer', d.performer ?? '-'],
    ['UPC/EAN', d.upc ?? 'none'],
    ['Master ID', d.masterId ?? 'none'],
    ['Tracks', String(d.trackCount)],
    ['Total length', `${d.leadOut} (${d.leadOutFrame} frames, disc pregap ${d.pregap})`],
    ['Image', `${bytesText(d.imageBytes)} bytes`],
    ['Image MD5', d.imageMd5 ?? 'none (no fileset)'],
  ];
  for (const [k, v] of facts) lines.push(`${k.padEnd(14)}${v}`);

  lines.push('', 'FILESET');
  if (data.files === null) {
    lines.push('  none: this report was made without a fileset');
  } else {
    lines.push(
      ...table(
        ['FILE', 'BYTES', 'MD5', 'CRC32'],
        data.files.map((f) => [f.name, bytesText(f.bytes), f.md5, f.crc32]),
        ['left', 'right', 'left', 'left'],
      ).map((l) => `  ${l}`),
    );
  }

  lines.push('', 'PQ LIST');
  const numbers = data.analysis.tracks.map((t) => t.track);
  const titles = data.cdText?.tracks;
  const pq = data.pq.map((r) => {
    const title = r.index === 1 ? (titles?.[numbers.indexOf(r.track)]?.title ?? '') : '';
    return [pad2(r.track), pad2(r.index), r.time, String(r.frame), r.length ?? '', r.pregap ?? '', r.isrc ?? '', r.flags ?? '', title];
  });
  pq.push(['AA', '01', d.leadOut, String(d.leadOutFrame), '', '', '', '', '(lead-out)']);
  lines.push(
    ...table(['TRACK', 'INDEX', 'START', 'FRAME', 'LENGTH', 'PREGAP', 'ISRC', 'FLAGS', 'TITLE'], pq, ['left', 'left', 'left', 'right', 'left', 'left', 'left', 'left', 'left']).map(
      (l) => `  ${l}`,
    ),
  );

  lines.push('', 'CD-TEXT');
  if (data.cdText === null) {
    lines.push('  none');
  } else {
    const text = data.cdText;
    const fields = usedTextFields(text);
    lines.push(`  Language: ${text.language}`);
    if (text.genre) lines.push(`  Genre: ${text.genre.text === '' ? `(code ${text.genre.code})` : `${text.genre.text} (code ${text.genre.code})`}`);
    if (text.discId !== null) lines.push(`  Disc ID: ${text.discId}`);
    if (fields.length > 0) {
      const rows = [['DISC', ...fields.map((f) => text.disc[f] ?? '')], ...text.tracks.map((t, i) => [pad2(numbers[i] ?? i + 1), ...fields.map((f) => t[f] ?? '')])];
      lines.push(
        ...table(
          ['', ...fields.map((f) => TEXT_LABELS[f].toUpperCase())],
          rows,
          rows[0]!.map(() => 'left'),
        ).map((l) => `  ${l}`),
      );
    }
  }

  lines.push('', 'ANALYSIS');
  const stats = (label: string, s: ReportStats): string[] => [
    label,
    lufsText(s.integratedLufs),
    luText(s.loudnessRangeLu),
    peakText(s.truePeakDbtp),
    peakText(s.samplePeakDbfs),
    String(s.clipping.runs),
    dcText(s.dcOffsetDbfs),
    secondsText(s.silence.headSamples),
    secondsText(s.silence.tailSamples),
    s.crc32,
  ];
  const rows = data.analysis.tracks.map((s) => stats(pad2(s.track), s));
  rows.push(stats('DISC', data.analysis.disc));
  lines.push(
    ...table(
      ['TRACK', 'LUFS', 'LRA', 'TRUE PEAK', 'SAMPLE PEAK', 'CLIP RUNS', 'DC', 'HEAD S', 'TAIL S', 'CRC32'],
      rows,
      ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
    ).map((l) => `  ${l}`),
  );
  lines.push('  (LUFS integrated loudness, LRA loudness range in LU, TRUE PEAK dBTP, SAMPLE PEAK and DC dBFS; peaks rounded up)');

  lines.push('', 'WARNINGS');
  if (data.warnings.length === 0) lines.push('  none');
  for (const w of data.warnings) lines.push(`  ! ${w.message}`);
  return lines.join('\n') + '\n';
}
