// The disc report as one self-contained HTML page that prints on A4 as the PQ sheet for the plant:
// inline CSS and SVG only — no scripts, fonts, images or links, so it renders the same offline, in a
// mail client or archived next to the fileset. Every string from the data is escaped (CD-Text may
// hold <, & and quotes). Deterministic: the same data gives the same bytes.

import type { TextFields } from '../disc/model.js';
import { pad2, FRAMES_PER_SECOND, SAMPLES_PER_FRAME } from '../time.js';
import type { OverviewData } from './overview.js';
import {
  LOUDNESS_JUMP_LU,
  TEXT_LABELS,
  TRUE_PEAK_LIMIT_DBTP,
  bytesText,
  dcText,
  luText,
  lufsText,
  peakText,
  secondsText,
  usedTextFields,
  warnedFields,
  type ReportData,
  type ReportStats,
  type ReportWarning,
} from './report.js';

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The report as a self-contained HTML5 page (A4 print layout). */
export function reportHtml(data: ReportData): string {
  const d = data.disc;
  const title = d.title ?? 'Untitled disc';
  const parts = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(`PQ sheet: ${title}${d.performer ? ` - ${d.performer}` : ''}`)}</title>`,
    `<style>${css(data)}</style>`,
    '</head>',
    '<body>',
    '<main class="sheet">',
    header(data),
    warningsSection(data),
    pqSection(data),
    cdTextSection(data),
    overviewSection(data),
    loudnessSection(data),
    analysisSection(data),
    filesSection(data),
    signOff(),
    footer(data),
    '</main>',
    '</body>',
    '</html>',
    '',
  ];
  return parts.filter((p) => p !== '').join('\n') + '\n';
}

// ---- Page ---------------------------------------------------------------------------------------

const SANS = "'Liberation Sans', Arial, Helvetica, 'DejaVu Sans', sans-serif";
const MONO = "'DejaVu Sans Mono', 'Liberation Mono', Menlo, Consolas, monospace";

function css(data: ReportData): string {
  const running = cssString(`PQ sheet \u00b7 ${data.disc.title ?? 'Untitled disc'}${data.disc.masterId ? ` \u00b7 ${data.disc.masterId}` : ''}`);
  return `
@page { size: A4; margin: 14mm 13mm 16mm 13mm;
  @bottom-left { content: ${running}; font: 7.5pt ${SANS}; color: #555; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 7.5pt ${SANS}; color: #555; } }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: #d9dce0; color: #111; font: 9pt/1.35 ${SANS}; font-variant-numeric: tabular-nums; }
.sheet { width: 210mm; min-height: 297mm; margin: 8mm auto; padding: 14mm 13mm 16mm; background: #fff; box-shadow: 0 1px 6px rgba(0,0,0,.25); }
h1 { font-size: 19pt; line-height: 1.15; margin: 0; font-weight: 700; overflow-wrap: anywhere; }
h2 { font-size: 10.5pt; margin: 6mm 0 2mm; padding-bottom: 1mm; border-bottom: 1.5px solid #111; text-transform: uppercase; letter-spacing: .06em; break-after: avoid; page-break-after: avoid; }
h2 .sub { float: right; font-weight: 400; text-transform: none; letter-spacing: 0; font-size: 8pt; color: #444; padding-top: 2pt; }
.kind { font-size: 8pt; letter-spacing: .16em; text-transform: uppercase; color: #444; margin-bottom: 1.5mm; }
.performer { font-size: 12pt; margin-top: 1mm; overflow-wrap: anywhere; }
header.head { border-bottom: 3px double #111; padding-bottom: 3mm; }
.facts { display: grid; grid-template-columns: auto 1fr auto 1fr; gap: 1mm 4mm; margin: 3.5mm 0 0; }
.facts dt { color: #444; font-size: 8pt; text-transform: uppercase; letter-spacing: .05em; padding-top: 1pt; white-space: nowrap; }
.facts dd { margin: 0; font-weight: 700; overflow-wrap: anywhere; }
.facts dd.wide { grid-column: 2 / 5; }
.mono, .facts dd.mono { font-family: ${MONO}; font-size: 8pt; font-weight: 400; }
table { width: 100%; border-collapse: collapse; font-size: 8.5pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th { text-align: left; font-size: 7.5pt; text-transform: uppercase; letter-spacing: .04em; color: #333; border-bottom: 1px solid #111; padding: 1mm 1.5mm; white-space: nowrap; vertical-align: bottom; }
td { padding: .55mm 1.5mm; border-bottom: 1px solid #d4d4d4; vertical-align: baseline; }
th.n, td.n { text-align: right; }
td.n, td.c { white-space: nowrap; }
td.t { overflow-wrap: anywhere; }
tr.sub td { color: #555; }
tr.first td { border-top: 1px solid #777; }
tr.leadout td { border-top: 1px solid #111; border-bottom: 1px solid #111; font-weight: 700; }
tr.total td { border-top: 1px solid #111; font-weight: 700; }
.perf { color: #444; }
.muted { color: #666; }
figure { margin: 0; break-inside: avoid; page-break-inside: avoid; }
figure svg { display: block; width: 100%; height: auto; }
figcaption { font-size: 7.5pt; color: #444; margin-top: 1mm; }
.warnings { margin-top: 4mm; border: 2px solid #b00020; background: #fdecee; padding: 2mm 3mm; break-inside: avoid; }
.warnings h2 { margin: 0 0 1mm; border: 0; padding: 0; color: #b00020; }
.warnings ul { margin: 0; padding-left: 0; list-style: none; }
.warnings li { padding: .4mm 0; }
.ok { margin-top: 4mm; border: 1px solid #2e7d32; padding: 1.5mm 3mm; color: #1b5e20; font-weight: 700; }
.badge { display: inline-block; font-weight: 700; font-size: 7pt; border: 1px solid currentColor; border-radius: 1.5pt; padding: 0 1.2mm; margin-right: 1.5mm; letter-spacing: .04em; }
.warn { color: #b00020; }
td.warn { background: #fdecee; font-weight: 700; }
td.warn::after { content: " !"; }
.signoff { display: grid; grid-template-columns: 1fr 1fr 1fr; gap: 6mm; margin-top: 8mm; break-inside: avoid; page-break-inside: avoid; }
.signoff div { border-top: 1px solid #111; padding-top: 1mm; font-size: 7.5pt; color: #333; }
footer { break-inside: avoid; margin-top: 4mm; font-size: 7pt; line-height: 1.3; color: #555; border-top: 1px solid #bbb; padding-top: 1.2mm; }
svg text { font-family: ${SANS}; }
@media print {
  body { background: none; }
  .sheet { width: auto; min-height: 0; margin: 0; padding: 0; box-shadow: none; }
}
`;
}

/** A CSS string literal for any text: everything but plain letters, digits and spaces as a hex escape. */
function cssString(s: string): string {
  return `"${s.replace(/[^A-Za-z0-9 .,:;()_-]/g, (c) => `\\${c.codePointAt(0)!.toString(16)} `)}"`;
}

function header(data: ReportData): string {
  const d = data.disc;
  const fact = (label: string, value: string, cls = ''): string => `<dt>${escapeHtml(label)}</dt><dd${cls ? ` class="${cls}"` : ''}>${escapeHtml(value)}</dd>`;
  return [
    '<header class="head">',
    '<div class="kind">PQ sheet &middot; disc report</div>',
    `<h1>${escapeHtml(d.title ?? 'Untitled disc')}</h1>`,
    d.performer ? `<div class="performer">${escapeHtml(d.performer)}</div>` : '',
    '<dl class="facts">',
    fact('UPC / EAN', d.upc ?? 'none', d.upc ? 'mono' : ''),
    fact('Master ID', d.masterId ?? 'none'),
    fact('Tracks', String(d.trackCount)),
    fact('Total length', `${d.leadOut}  (${d.leadOutFrame} frames)`),
    fact('Disc pregap', d.pregap),
    fact('Image size', `${bytesText(d.imageBytes)} bytes`),
    fact('Image MD5', d.imageMd5 ?? 'none (no fileset)', d.imageMd5 ? 'mono wide' : 'wide'),
    fact('Source', data.source, 'wide'),
    '</dl>',
    '</header>',
  ].join('\n');
}

function warningsSection(data: ReportData): string {
  if (data.warnings.length === 0) return '<div class="ok">No warnings: true peaks at or below \u22121.0 dBTP, no clipping, no loudness jumps.</div>';
  const label: Record<ReportWarning['code'], string> = { 'true-peak': 'TRUE PEAK', clipping: 'CLIPPING', 'loudness-jump': 'LOUDNESS' };
  const items = data.warnings.map((w) => `<li><span class="badge">${label[w.code]}</span>${escapeHtml(typographic(w.message))}</li>`);
  return [
    '<section class="warnings">',
    `<h2>&#9888; Warnings (${data.warnings.length})</h2>`,
    `<ul>${items.join('')}</ul>`,
    '</section>',
  ].join('\n');
}

function footer(data: ReportData): string {
  return (
    `<footer>Made with ${escapeHtml(`${data.tool.name} ${data.tool.version}`)} from ${escapeHtml(data.source)}. ` +
    'Times are MM:SS:FF (75 frames per second) from the start of the image. ' +
    'Loudness ITU-R BS.1770-4, loudness range EBU Tech 3342, true peak 4\u00d7 oversampled; peaks are rounded up. ' +
    `Warnings: true peak above ${num(TRUE_PEAK_LIMIT_DBTP.toFixed(1))} dBTP; any clipping run (3 or more samples in a row at full scale); ` +
    `a track more than ${LOUDNESS_JUMP_LU.toFixed(1)} LU louder than each neighbour.</footer>`
  );
}

function signOff(): string {
  return '<section class="signoff"><div>Checked (mastering engineer) &mdash; name, date</div><div>Approved (client) &mdash; name, date</div><div>Received (plant) &mdash; name, date</div></section>';
}

// ---- Tables -------------------------------------------------------------------------------------

function pqSection(data: ReportData): string {
  const text = data.cdText;
  const numbers = data.analysis.tracks.map((t) => t.track);
  const albumPerformer = data.disc.performer;
  const rows: string[] = [];
  data.pq.forEach((r, k) => {
    const main = r.index === 1;
    const t = main ? text?.tracks[numbers.indexOf(r.track)] : undefined;
    const who = t?.performer && t.performer !== albumPerformer ? ` <span class="perf">&mdash; ${escapeHtml(t.performer)}</span>` : '';
    // A darker rule above each track's first row (index 00 when it has a pregap) groups its indexes.
    const cls = [main ? 'track' : 'sub', data.pq[k - 1]?.track !== r.track ? 'first' : ''].filter(Boolean).join(' ');
    rows.push(
      `<tr class="${cls}" id="pq-${r.track}-${r.index}">` +
        `<td class="n">${main ? `<b>${pad2(r.track)}</b>` : pad2(r.track)}</td><td class="n">${pad2(r.index)}</td>` +
        `<td class="c">${main ? `<b>${r.time}</b>` : r.time}</td><td class="n">${r.frame}</td>` +
        `<td class="c">${r.length ?? ''}</td><td class="c">${r.pregap ?? ''}</td>` +
        `<td class="mono c">${escapeHtml(r.isrc ?? (main ? '\u2014' : ''))}</td><td class="c">${escapeHtml(r.flags ?? '')}</td>` +
        `<td class="t">${t?.title ? `<b>${escapeHtml(t.title)}</b>` : ''}${who}</td></tr>`,
    );
  });
  const d = data.disc;
  rows.push(`<tr class="leadout"><td class="n">AA</td><td class="n">01</td><td class="c">${d.leadOut}</td><td class="n">${d.leadOutFrame}</td><td colspan="5">Lead-out</td></tr>`);
  return [
    `<h2>PQ list <span class="sub">${d.trackCount} track${d.trackCount === 1 ? '' : 's'} &middot; total ${d.leadOut}</span></h2>`,
    '<table class="pq">',
    '<thead><tr><th class="n">Track</th><th class="n">Index</th><th>Start</th><th class="n">Frame</th><th>Length</th><th>Pregap</th><th>ISRC</th><th>Flags</th><th>Title</th></tr></thead>',
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table>',
  ].join('\n');
}

function cdTextSection(data: ReportData): string {
  const text = data.cdText;
  if (text === null) return '<h2>CD-Text</h2>\n<p class="muted">No CD-Text.</p>';
  const fields = usedTextFields(text);
  const extras: string[] = [`Language: ${text.language}`];
  if (text.genre) extras.push(`Genre: ${text.genre.text === '' ? `code ${text.genre.code}` : `${text.genre.text} (code ${text.genre.code})`}`);
  if (text.discId !== null) extras.push(`Disc ID: ${text.discId}`);
  const numbers = data.analysis.tracks.map((t) => t.track);
  const cells = (t: TextFields): string => fields.map((f) => `<td class="t">${escapeHtml(t[f] ?? '')}</td>`).join('');
  const rows = [`<tr class="total"><td>Disc</td>${cells(text.disc)}</tr>`, ...text.tracks.map((t, i) => `<tr><td class="n">${pad2(numbers[i] ?? i + 1)}</td>${cells(t)}</tr>`)];
  return [
    `<h2>CD-Text <span class="sub">${escapeHtml(extras.join(' \u00b7 '))}</span></h2>`,
    fields.length === 0
      ? '<p class="muted">No CD-Text strings.</p>'
      : [
          '<table class="cdtext">',
          `<thead><tr><th></th>${fields.map((f) => `<th>${TEXT_LABELS[f]}</th>`).join('')}</tr></thead>`,
          `<tbody>${rows.join('\n')}</tbody>`,
          '</table>',
        ].join('\n'),
  ].join('\n');
}

function analysisSection(data: ReportData): string {
  const titles = data.cdText?.tracks;
  const row = (label: string, title: string, s: ReportStats, warned: Set<ReportWarning['code']>, cls: string): string => {
    const w = (code: ReportWarning['code']): string => (warned.has(code) ? ' warn' : '');
    return (
      `<tr class="${cls}"><td class="n">${label}</td><td class="t">${escapeHtml(title)}</td>` +
      `<td class="n${w('loudness-jump')}">${num(lufsText(s.integratedLufs))}</td>` +
      `<td class="n">${num(luText(s.loudnessRangeLu))}</td>` +
      `<td class="n${w('true-peak')}">${num(peakText(s.truePeakDbtp))}</td>` +
      `<td class="n">${num(peakText(s.samplePeakDbfs))}</td>` +
      `<td class="n${w('clipping')}">${s.clipping.runs}</td>` +
      `<td class="n">${num(dcText(s.dcOffsetDbfs))}</td>` +
      `<td class="n">${secondsText(s.silence.headSamples)} / ${secondsText(s.silence.tailSamples)}</td>` +
      `<td class="mono c">${s.crc32}</td></tr>`
    );
  };
  const rows = data.analysis.tracks.map((s, i) => row(pad2(s.track), titles?.[i]?.title ?? '', s, warnedFields(data, s.track), ''));
  const discWarned = new Set(data.warnings.filter((w) => w.track === undefined).map((w) => w.code));
  rows.push(row('Disc', 'whole image', data.analysis.disc, discWarned, 'total'));
  return [
    '<h2>Audio analysis <span class="sub">! = warning</span></h2>',
    '<table class="analysis">',
    '<thead><tr><th class="n">Track</th><th>Title</th><th class="n">Loudness<br>LUFS</th><th class="n">Range<br>LU</th><th class="n">True peak<br>dBTP</th>' +
      '<th class="n">Sample pk<br>dBFS</th><th class="n">Clip<br>runs</th><th class="n">DC<br>dBFS</th><th class="n">Silence s<br>head / tail</th><th>CRC-32</th></tr></thead>',
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table>',
  ].join('\n');
}

function filesSection(data: ReportData): string {
  if (data.files === null) return '<h2>Fileset</h2>\n<p class="muted">No fileset: this report was made without one, so it lists no checksums.</p>';
  const rows = data.files.map((f) => `<tr><td class="mono">${escapeHtml(f.name)}</td><td class="n">${bytesText(f.bytes)}</td><td class="mono c">${escapeHtml(f.md5)}</td><td class="mono c">${escapeHtml(f.crc32)}</td></tr>`);
  return [
    '<h2>Fileset <span class="sub">DDP 2.00 &middot; checksums</span></h2>',
    '<table class="files">',
    '<thead><tr><th>File</th><th class="n">Bytes</th><th>MD5</th><th>CRC-32</th></tr></thead>',
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table>',
  ].join('\n');
}

// ---- Waveform overview --------------------------------------------------------------------------

/** Width of the SVG drawings in user units: about the CSS pixels of the A4 text column, so 1 unit ≈ 1 px. */
const SVG_WIDTH = 690;
const LABEL_ROW = 12;

function overviewSection(data: ReportData): string {
  return [
    `<h2>Waveform overview <span class="sub">whole disc, ${data.disc.leadOut}</span></h2>`,
    '<figure class="overview">',
    overviewSvg(data),
    '<figcaption>Peak (light) and RMS (dark) of both channels over the whole image. Solid lines with numbers: track starts (index 01); dashed: index 00 (pregap); dotted: index 02 and up.</figcaption>',
    '</figure>',
  ].join('\n');
}

/** The overview SVG: waveform, track and index marks, a time axis. */
export function overviewSvg(data: ReportData): string {
  const W = SVG_WIDTH;
  const imageSamples = data.overview?.imageSamples ?? data.disc.leadOutFrame * SAMPLES_PER_FRAME;
  const xOfFrame = (frame: number): number => (imageSamples > 0 ? ((frame * SAMPLES_PER_FRAME) / imageSamples) * W : 0);

  // Track labels in up to three rows, so close track starts do not overlap.
  const starts = data.pq.filter((r) => r.index === 1);
  const rowEnds: number[] = [];
  const labels: { x: number; row: number; text: string }[] = [];
  for (const r of starts) {
    const x = xOfFrame(r.frame);
    const text = String(r.track);
    const width = 6 * text.length + 5;
    const left = Math.min(x, W - width);
    let row = rowEnds.findIndex((end) => left >= end + 2);
    if (row < 0 && rowEnds.length < 3) row = rowEnds.length;
    if (row < 0) continue;
    rowEnds[row] = left + width;
    labels.push({ x: left, row, text });
  }
  const rows = Math.max(1, rowEnds.length);
  const top = rows * LABEL_ROW + 3;
  const waveH = 120;
  const mid = top + waveH / 2;
  const axisY = top + waveH;
  const H = axisY + 16;

  const out: string[] = [];
  out.push(`<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="Waveform overview of the whole disc with track marks">`);
  out.push(`<rect x="0" y="${top}" width="${W}" height="${waveH}" fill="#f4f5f7" stroke="#999" stroke-width="0.5"/>`);
  out.push(`<line x1="0" y1="${mid}" x2="${W}" y2="${mid}" stroke="#bbb" stroke-width="0.5"/>`);
  if (data.overview && data.overview.bins > 0) out.push(...wavePaths(data.overview, W, mid, waveH / 2 - 2));
  else out.push(`<text x="${W / 2}" y="${mid + 4}" text-anchor="middle" font-size="10" fill="#666">no audio overview</text>`);

  // Time axis: ticks at a round step giving at most about 12 labels.
  const seconds = data.disc.leadOutFrame / FRAMES_PER_SECOND;
  const step = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1200].find((s) => seconds / s <= 12) ?? 1800;
  for (let s = 0; s <= seconds + 1e-9; s += step) {
    const x = xOfFrame(s * FRAMES_PER_SECOND);
    const anchor = x < 12 ? 'start' : x > W - 12 ? 'end' : 'middle';
    out.push(`<line x1="${f1(x)}" y1="${axisY}" x2="${f1(x)}" y2="${axisY + 3}" stroke="#555" stroke-width="0.6"/>`);
    out.push(`<text x="${f1(x)}" y="${axisY + 12}" font-size="8.5" fill="#444" text-anchor="${anchor}">${clock(s)}</text>`);
  }

  // Marks: index 00 dashed, index 02+ dotted (lighter), index 01 solid with the track number above.
  for (const r of data.pq) {
    const x = f1(xOfFrame(r.frame));
    if (r.index === 1) continue;
    const dash = r.index === 0 ? '3 2' : '1 1.5';
    out.push(`<line class="mark idx${pad2(r.index)}" data-track="${r.track}" data-index="${r.index}" x1="${x}" y1="${top}" x2="${x}" y2="${axisY}" stroke="#6b7280" stroke-width="0.8" stroke-dasharray="${dash}"/>`);
  }
  for (const r of starts) {
    const x = f1(xOfFrame(r.frame));
    out.push(`<line class="mark idx01" data-track="${r.track}" data-index="1" x1="${x}" y1="${top - 2}" x2="${x}" y2="${axisY}" stroke="#111" stroke-width="1.1"/>`);
  }
  for (const l of labels) {
    const y = l.row * LABEL_ROW;
    out.push(`<g class="label"><rect x="${f1(l.x)}" y="${y + 1}" width="${6 * l.text.length + 5}" height="${LABEL_ROW - 1}" fill="#111"/><text x="${f1(l.x + 2.5)}" y="${y + LABEL_ROW - 2.5}" font-size="9" font-weight="700" fill="#fff">${l.text}</text></g>`);
  }
  out.push('</svg>');
  return out.join('\n');
}

/** Peak envelope and RMS band of both channels together, as two filled paths. */
function wavePaths(o: OverviewData, W: number, mid: number, half: number): string[] {
  const [left, right] = o.channels;
  const n = o.bins;
  const xs = (b: number): string => f1(((b + 0.5) / n) * W);
  const y = (v: number): string => f1(mid - (v / 32768) * half);
  const top: string[] = [];
  const bottom: string[] = [];
  const rmsTop: string[] = [];
  const rmsBottom: string[] = [];
  for (let b = 0; b < n; b++) {
    const hi = Math.max(left.max[b] ?? 0, right.max[b] ?? 0);
    const lo = Math.min(left.min[b] ?? 0, right.min[b] ?? 0);
    const rl = left.rms[b] ?? 0;
    const rr = right.rms[b] ?? 0;
    const rms = Math.sqrt((rl * rl + rr * rr) / 2);
    top.push(`${xs(b)},${y(Math.max(hi, 0))}`);
    bottom.push(`${xs(b)},${y(Math.min(lo, 0))}`);
    rmsTop.push(`${xs(b)},${y(rms)}`);
    rmsBottom.push(`${xs(b)},${y(-rms)}`);
  }
  const polygon = (upper: string[], lower: string[]): string => `M0,${f1(mid)} L${upper.join(' ')} L${W},${f1(mid)} L${lower.reverse().join(' ')} Z`;
  return [`<path d="${polygon(top, bottom)}" fill="#8fa3bf"/>`, `<path d="${polygon(rmsTop, rmsBottom)}" fill="#2f4a6d"/>`];
}

// ---- Loudness and true peak chart ---------------------------------------------------------------

function loudnessSection(data: ReportData): string {
  return [
    '<h2>Loudness and true peak <span class="sub">per track</span></h2>',
    '<figure class="loudness">',
    loudnessSvg(data),
    `<figcaption>Bars: integrated loudness (LUFS). Diamonds: true peak (dBTP). Dashed line: ${num(TRUE_PEAK_LIMIT_DBTP.toFixed(1))} dBTP. Red with &ldquo;!&rdquo;: a warning for that track.</figcaption>`,
    '</figure>',
  ].join('\n');
}

/** Bars of integrated loudness and diamonds of true peak per track on one dB scale, with the −1 dBTP line. */
export function loudnessSvg(data: ReportData): string {
  const W = SVG_WIDTH;
  const H = 176;
  const tracks = data.analysis.tracks;
  const levels = tracks.flatMap((t) => [t.integratedLufs, t.truePeakDbtp]).filter((v): v is number => v !== null);
  const lowest = Math.min(-24, ...levels);
  const highest = Math.max(-Infinity, ...levels);
  const step = Math.max(0, highest) - lowest > 45 ? 10 : 6;
  const yMin = Math.floor((lowest - 2) / step) * step;
  // The scale ends at 0 dB, with headroom only when a peak comes within 0.5 dB of it (so its diamond is not cut off).
  const yMax = highest > -0.5 ? Math.ceil((highest + 0.5) / step) * step : 0;
  const plotL = 34;
  const plotR = W - 44;
  const plotT = 10;
  const plotB = H - 22;
  const y = (v: number): number => plotB - ((Math.max(yMin, Math.min(yMax, v)) - yMin) / (yMax - yMin)) * (plotB - plotT);

  const out: string[] = [];
  out.push(`<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="Integrated loudness and true peak per track">`);
  for (let v = yMin; v <= yMax + 1e-9; v += step) {
    const yy = f1(y(v));
    out.push(`<line x1="${plotL}" y1="${yy}" x2="${plotR}" y2="${yy}" stroke="${v === 0 ? '#777' : '#ddd'}" stroke-width="${v === 0 ? 0.8 : 0.5}"/>`);
    out.push(`<text x="${plotL - 4}" y="${f1(y(v) + 3)}" font-size="8.5" fill="#444" text-anchor="end">${num(String(v))}</text>`);
  }
  out.push(`<text x="4" y="${plotT - 2}" font-size="8" fill="#444">dB</text>`);
  const limit = f1(y(TRUE_PEAK_LIMIT_DBTP));
  out.push(`<line class="limit" x1="${plotL}" y1="${limit}" x2="${plotR}" y2="${limit}" stroke="#b00020" stroke-width="1" stroke-dasharray="5 3"/>`);
  out.push(`<text x="${plotR + 3}" y="${f1(y(TRUE_PEAK_LIMIT_DBTP) + 3)}" font-size="8.5" fill="#b00020">${num(TRUE_PEAK_LIMIT_DBTP.toFixed(1))} dBTP</text>`);

  const n = Math.max(1, tracks.length);
  const slot = (plotR - plotL) / n;
  const barW = Math.max(2, Math.min(30, slot * 0.56));
  const everyLabel = slot >= 16 ? 1 : slot >= 7 ? 5 : 10;
  tracks.forEach((t, i) => {
    const cx = plotL + slot * (i + 0.5);
    const warned = warnedFields(data, t.track);
    const loud = warned.has('loudness-jump');
    const peak = warned.has('true-peak') || warned.has('clipping');
    out.push(`<g class="track" data-track="${t.track}">`);
    if (t.integratedLufs !== null) {
      const top = y(t.integratedLufs);
      out.push(`<rect x="${f1(cx - barW / 2)}" y="${f1(top)}" width="${f1(barW)}" height="${f1(plotB - top)}" fill="${loud ? '#d9485f' : '#5b7194'}"${loud ? ' stroke="#7a0012" stroke-width="1"' : ''}/>`);
      if (loud) out.push(`<text x="${f1(cx)}" y="${f1(top - 3)}" font-size="10" font-weight="700" fill="#b00020" text-anchor="middle">!</text>`);
    }
    if (t.truePeakDbtp !== null) {
      const py = y(t.truePeakDbtp);
      const r = Math.max(2.5, Math.min(5, barW / 3));
      out.push(`<path d="M${f1(cx)},${f1(py - r)} L${f1(cx + r)},${f1(py)} L${f1(cx)},${f1(py + r)} L${f1(cx - r)},${f1(py)} Z" fill="${peak ? '#b00020' : '#111'}" stroke="#fff" stroke-width="0.6"/>`);
      if (peak) out.push(`<text x="${f1(cx)}" y="${f1(py - r - 2)}" font-size="10" font-weight="700" fill="#b00020" text-anchor="middle">!</text>`);
    }
    if ((i + 1) % everyLabel === 0 || i === 0 || everyLabel === 1) {
      out.push(`<text x="${f1(cx)}" y="${plotB + 11}" font-size="8.5" fill="#222" text-anchor="middle">${pad2(t.track)}</text>`);
    }
    out.push('</g>');
  });
  out.push(`<line x1="${plotL}" y1="${plotB}" x2="${plotR}" y2="${plotB}" stroke="#555" stroke-width="0.8"/>`);
  out.push(`<text x="${f1((plotL + plotR) / 2)}" y="${H - 1}" font-size="8" fill="#444" text-anchor="middle">track</text>`);
  out.push('</svg>');
  return out.join('\n');
}

// ---- Helpers ------------------------------------------------------------------------------------

/** One decimal, without a trailing ".0", for compact SVG coordinates. */
function f1(v: number): string {
  const s = (Math.round(v * 10) / 10).toFixed(1);
  return s.endsWith('.0') ? s.slice(0, -2) : s;
}

/** Seconds as M:SS (or H:MM:SS) for the time axis. */
function clock(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** A number from the text formatters with a real minus sign and ∞ (HTML-safe: only digits and signs). */
function num(s: string): string {
  if (s === '-') return '\u2014';
  return s.replace('-inf', '\u2212\u221e').replace(/^-/, '\u2212');
}

/** Hyphen-minus before a digit as a real minus in prose (warning messages). */
function typographic(s: string): string {
  return s.replace(/(^|[\s(])-(?=\d)/g, '$1\u2212');
}
