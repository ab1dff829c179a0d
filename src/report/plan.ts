// The disc plan `validate` prints: one row per track and index, with absolute times, and the total.
import { indexFrame, trackLength, type Disc, type TrackFlags } from '../disc/model.js';
import { framesToMsf } from '../time.js';

/** One row of the plan. */
export interface PlanRow {
  track: number;
  index: number;
  /** Absolute frame. */
  frame: number;
  time: string;
  /** Track length (on index 01 rows). */
  length?: string | undefined;
  isrc?: string | undefined;
  flags?: string | undefined;
  title?: string | undefined;
}

/** The plan as data (for `--json`). */
export interface PlanData {
  tracks: number;
  leadOut: number;
  totalLength: string;
  upc?: string | undefined;
  rows: PlanRow[];
}

/** Flags as the plan shows them: `DCP`, `PRE`, `SCMS`, or `-`. */
export function flagsText(flags: TrackFlags): string {
  const out: string[] = [];
  if (flags.copyPermitted) out.push('DCP');
  if (flags.preEmphasis) out.push('PRE');
  if (flags.scms) out.push('SCMS');
  return out.length ? out.join(' ') : '-';
}

/** Rows for every index of every track, in disc order. */
export function planData(disc: Disc): PlanData {
  const rows: PlanRow[] = [];
  disc.tracks.forEach((t, i) => {
    for (const idx of t.indexes) {
      const main = idx.number === 1;
      rows.push({
        track: t.number,
        index: idx.number,
        frame: idx.frame,
        time: framesToMsf(idx.frame),
        length: main ? framesToMsf(trackLength(disc, i)) : undefined,
        isrc: main ? t.isrc : undefined,
        flags: main ? flagsText(t.flags) : undefined,
        title: main ? disc.cdText?.tracks[i]?.title : undefined,
      });
    }
  });
  return { tracks: disc.tracks.length, leadOut: disc.leadOut, totalLength: framesToMsf(disc.leadOut), upc: disc.upc, rows };
}

/** The plan as a text table. */
export function planText(disc: Disc): string {
  const data = planData(disc);
  const lines = ['TRACK  INDEX  START     LENGTH    ISRC          FLAGS  TITLE'];
  for (const r of data.rows) {
    lines.push(
      [pad(String(r.track).padStart(2, '0'), 6), pad(String(r.index).padStart(2, '0'), 6), pad(r.time, 9), pad(r.length ?? '', 9), pad(r.isrc ?? '', 13), pad(r.flags ?? '', 6), r.title ?? '']
        .join(' ')
        .trimEnd(),
    );
  }
  lines.push(`LEAD-OUT      ${framesToMsf(disc.leadOut)}`);
  const first = disc.tracks[0];
  const pregap = first ? (indexFrame(first, 1) ?? 0) : 0;
  lines.push(`${data.tracks} track${data.tracks === 1 ? '' : 's'}, total length ${data.totalLength} (${disc.leadOut} frames, disc pregap ${framesToMsf(pregap)})${disc.upc ? `, UPC/EAN ${disc.upc}` : ''}`);
  return lines.join('\n') + '\n';
}

function pad(s: string, n: number): string {
  return s.padEnd(n);
}
