// The HTML report is checked as text here (self-contained, escaped, marks and warnings present);
// scripts/screenshot-report.ts renders it in headless Chromium, prints it to PDF and checks that
// the browser made no request for it.
import { describe, expect, it } from 'vitest';
import type { Disc } from '../../src/disc/model.js';
import type { AudioStats } from '../../src/report/analysis.js';
import { escapeHtml, reportHtml } from '../../src/report/html.js';
import { WaveformOverview } from '../../src/report/overview.js';
import { reportData, type ReportData } from '../../src/report/report.js';

const SPF = 588;
const EVIL = `<script>alert("x")</script> & 'friends'`;

function stats(over: Partial<AudioStats> = {}): AudioStats {
  return {
    integratedLufs: -18,
    loudnessRangeLu: 6,
    samplePeakDbfs: -2,
    truePeakDbtp: -1.5,
    clipping: { runs: 0, samples: 0, first: [] },
    dcOffsetDbfs: { left: -95, right: -Infinity },
    silence: { headSamples: 0, tailSamples: 44100 },
    crc32: 'CAFEF00D',
    ...over,
  };
}

/** Four tracks: a pregap on 1 and 3, an index 02 on 2; track 2 clips, track 3 has overs, track 4 jumps. */
function disc(): Disc {
  const flags = { copyPermitted: false, preEmphasis: false, scms: false };
  return {
    tracks: [
      { number: 1, indexes: [{ number: 0, frame: 0 }, { number: 1, frame: 150 }], isrc: 'XXDDK2600001', flags },
      { number: 2, indexes: [{ number: 1, frame: 1650 }, { number: 2, frame: 2400 }], flags: { ...flags, copyPermitted: true } },
      { number: 3, indexes: [{ number: 0, frame: 3000 }, { number: 1, frame: 3150 }], isrc: 'XXDDK2600003', flags: { ...flags, preEmphasis: true } },
      { number: 4, indexes: [{ number: 1, frame: 4650 }], flags },
    ],
    leadOut: 6150,
    upc: '2000123456782',
    masterId: `M<1>&"2"`,
    cdText: {
      language: 'en',
      disc: { title: EVIL, performer: `O'Brien & "Sons" <live>` },
      tracks: [{ title: 'One' }, { title: `Two </style> <b>` }, { title: 'Three', songwriter: 'a < b' }, { title: 'Four' }],
    },
    spans: [],
  };
}

function data(over: { overview?: boolean; files?: boolean } = {}): ReportData {
  const d = disc();
  const imageSamples = d.leadOut * SPF;
  let overview;
  if (over.overview !== false) {
    const o = new WaveformOverview(imageSamples, 600);
    const pcm = new Int16Array(imageSamples * 2);
    for (let i = 0; i < imageSamples; i++) pcm[2 * i] = pcm[2 * i + 1] = Math.round(20000 * Math.sin(i / 50) * Math.sin(i / 300000));
    o.push(new Uint8Array(pcm.buffer));
    overview = o.data();
  }
  return reportData({
    disc: d,
    analysis: {
      tracks: [
        stats({ integratedLufs: -20 }),
        stats({ integratedLufs: -19, truePeakDbtp: 0.4, clipping: { runs: 3, samples: 11, first: [1700 * SPF] } }),
        stats({ integratedLufs: -21, truePeakDbtp: -0.7 }),
        stats({ integratedLufs: -14, truePeakDbtp: -1 }),
      ],
      disc: stats({ integratedLufs: -17, truePeakDbtp: 0.4, clipping: { runs: 3, samples: 11, first: [1700 * SPF] } }),
    },
    overview,
    files:
      over.files === false
        ? undefined
        : [
            { name: 'DDPID', bytes: 128, md5: '0'.repeat(32), crc32: 1 },
            { name: 'IMAGE.DAT', bytes: 6150 * 2352, md5: 'a'.repeat(32), crc32: 0xffffffff },
          ],
    source: `albums/<new> & "improved".yaml`,
    tool: { name: 'ddpkit', version: '0.1.0' },
  });
}

/** The one line of the page that contains `needle` (so a failure shows that line, not the page). */
function line(html: string, needle: string): string {
  const found = html.split('\n').filter((l) => l.includes(needle));
  return found.length === 1 ? found[0]! : `${found.length} lines contain ${needle}`;
}

/** The page's SVG elements with the given class, as their attribute maps. */
function marks(html: string, cls: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const m of html.matchAll(/<line class="([^"]*)"([^>]*)\/>/g)) {
    if (!m[1]!.split(' ').includes(cls)) continue;
    const attrs: Record<string, string> = {};
    for (const a of m[2]!.matchAll(/([\w-]+)="([^"]*)"/g)) attrs[a[1]!] = a[2]!;
    out.push(attrs);
  }
  return out;
}

describe('reportHtml: a self-contained page', () => {
  const html = reportHtml(data());

  it('is one HTML5 document with inline CSS', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">')).toBe(true);
    expect(html.endsWith('</html>\n')).toBe(true);
    expect(html.match(/<style>/g)).toHaveLength(1);
    expect(html.match(/<\/style>/g)).toHaveLength(1);
    expect(html.match(/<svg /g)).toHaveLength(2);
  });

  it('refers to nothing outside itself: no URLs, scripts, links, images, frames or CSS imports', () => {
    expect(html).not.toMatch(/https?:/i);
    expect(html).not.toMatch(/\s(src|href|srcset|action|poster|data)\s*=/i);
    expect(html).not.toMatch(/<(script|link|img|iframe|object|embed|base|audio|video|source|form)\b/i);
    expect(html).not.toMatch(/url\(|@import|@font-face/i);
    expect(html).not.toMatch(/\/\/[a-z0-9.-]+\.[a-z]{2,}/i);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
  });

  it('prints on A4 with table rows kept whole and the table head repeated', () => {
    expect(html).toContain('@page { size: A4;');
    expect(html).toMatch(/tr \{ break-inside: avoid; page-break-inside: avoid; \}/);
    expect(html).toContain('thead { display: table-header-group; }');
    expect(html).toContain('@media print');
  });

  it('escapes every string: CD-Text, codes and the source', () => {
    expect(html).not.toContain('<script');
    expect(html).toContain('<h1>&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; &#39;friends&#39;</h1>');
    expect(html).toContain('<title>PQ sheet: &#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; &#39;friends&#39; - O&#39;Brien &#38; &#34;Sons&#34; &#60;live&#62;</title>');
    expect(html).toContain('<dd>M&#60;1&#62;&#38;&#34;2&#34;</dd>');
    expect(html).toContain('Two &#60;/style&#62; &#60;b&#62;');
    expect(html).toContain('a &#60; b');
    expect(html).toContain('albums/&#60;new&#62; &#38; &#34;improved&#34;.yaml');
    // The running page footer is a CSS string: the title appears there only as hex escapes.
    expect(line(html, '@bottom-left')).toBe(
      String.raw`  @bottom-left { content: "PQ sheet \b7  \3c script\3e alert(\22 x\22 )\3c \2f script\3e  \26  \27 friends\27  \b7  M\3c 1\3e \26 \22 2\22 "; ` +
        "font: 7.5pt 'Liberation Sans', Arial, Helvetica, 'DejaVu Sans', sans-serif; color: #555; }",
    );
  });

  it('has the disc facts in the header', () => {
    const head = html.slice(html.indexOf('<header'), html.indexOf('</header>'));
    expect(head).toContain('<dd class="mono">2000123456782</dd>');
    expect(head).toContain('<dd>01:22:00  (6150 frames)</dd>');
    expect(head).toContain(`<dd class="mono wide">${'a'.repeat(32)}</dd>`);
    expect(head).toContain('<dd>14 464 800 bytes</dd>');
  });

  it('lists every index in the PQ table, and the lead-out', () => {
    for (const [t, i] of [
      [1, 0],
      [1, 1],
      [2, 1],
      [2, 2],
      [3, 0],
      [3, 1],
      [4, 1],
    ]) {
      expect(html).toContain(`id="pq-${t}-${i}"`);
    }
    // Index 01 rows carry length, pregap, ISRC (a dash when none), flags and the title; a track's first row opens its group.
    expect(line(html, '<tr class="track first" id="pq-2-1">')).toBe(
      '<tr class="track first" id="pq-2-1"><td class="n"><b>02</b></td><td class="n">01</td><td class="c"><b>00:22:00</b></td><td class="n">1650</td>' +
        '<td class="c">00:20:00</td><td class="c">00:00:00</td><td class="mono c">\u2014</td><td class="c">DCP</td><td class="t"><b>Two &#60;/style&#62; &#60;b&#62;</b></td></tr>',
    );
    expect(line(html, '<tr class="sub first" id="pq-3-0">')).toBe(
      '<tr class="sub first" id="pq-3-0"><td class="n">03</td><td class="n">00</td><td class="c">00:40:00</td><td class="n">3000</td>' +
        '<td class="c"></td><td class="c"></td><td class="mono c"></td><td class="c"></td><td class="t"></td></tr>',
    );
    expect(line(html, '<tr class="track" id="pq-3-1">')).toContain('<td class="c">00:20:00</td><td class="c">00:02:00</td><td class="mono c">XXDDK2600003</td><td class="c">PRE</td>');
    expect(line(html, '<tr class="leadout">')).toBe('<tr class="leadout"><td class="n">AA</td><td class="n">01</td><td class="c">01:22:00</td><td class="n">6150</td><td colspan="5">Lead-out</td></tr></tbody>');
  });

  it('marks each track start (solid, numbered) and index 00 / 02 (dashed, dotted) on the waveform', () => {
    const W = 690;
    const x = (frame: number): string => String(Math.round(((frame * SPF) / (6150 * SPF)) * W * 10) / 10).replace(/\.0$/, '');
    const starts = marks(html, 'idx01');
    expect(starts.map((m) => [m['data-track'], m.x1])).toEqual([
      ['1', x(150)],
      ['2', x(1650)],
      ['3', x(3150)],
      ['4', x(4650)],
    ]);
    expect(starts.every((m) => m['stroke-dasharray'] === undefined)).toBe(true);
    expect(marks(html, 'idx00').map((m) => [m['data-track'], m.x1, m['stroke-dasharray']])).toEqual([
      ['1', '0', '3 2'],
      ['3', x(3000), '3 2'],
    ]);
    expect(marks(html, 'idx02').map((m) => [m['data-track'], m.x1, m['stroke-dasharray']])).toEqual([['2', x(2400), '1 1.5']]);
    const labels = [...html.matchAll(/<g class="label">.*?font-weight="700" fill="#fff">(\d+)<\/text><\/g>/g)].map((m) => m[1]);
    expect(labels).toEqual(['1', '2', '3', '4']);
    // The waveform itself: a peak envelope and an RMS band.
    expect(html.match(/<path d="M0,[^"]+ Z" fill="#8fa3bf"\/>/g)).toHaveLength(1);
    expect(html.match(/<path d="M0,[^"]+ Z" fill="#2f4a6d"\/>/g)).toHaveLength(1);
  });

  it('still draws the marks without an overview', () => {
    const page = reportHtml(data({ overview: false }));
    expect(page).toContain('no audio overview');
    expect(marks(page, 'idx01')).toHaveLength(4);
  });

  it('draws a loudness bar and a true-peak diamond per track, and the −1 dBTP line', () => {
    const chart = html.slice(html.indexOf('aria-label="Integrated loudness'), html.lastIndexOf('</svg>'));
    expect(chart.match(/<g class="track" data-track="\d+">/g)).toHaveLength(4);
    expect(chart.match(/<rect /g)).toHaveLength(4);
    expect(chart.match(/<path d="M[^"]+ Z"/g)).toHaveLength(4);
    expect(chart).toContain('<line class="limit"');
    expect(chart).toContain('\u22121.0 dBTP</text>');
  });

  it('highlights the warnings with colour and text', () => {
    const box = html.slice(html.indexOf('<section class="warnings">'), html.indexOf('</section>'));
    expect(box).toContain('Warnings (4)');
    expect(box).toContain('<li><span class="badge">TRUE PEAK</span>Track 02: true peak 0.40 dBTP is above \u22121.0 dBTP</li>');
    expect(box).toContain('<li><span class="badge">CLIPPING</span>Track 02: 3 clipping runs (11 samples at full scale), first at 00:22:50</li>');
    expect(box).toContain('<li><span class="badge">TRUE PEAK</span>Track 03: true peak \u22120.70 dBTP is above \u22121.0 dBTP</li>');
    expect(box).toContain('<li><span class="badge">LOUDNESS</span>Track 04: integrated loudness \u221214.0 LUFS is 7.0 LU above its neighbour (track 03, \u221221.0 LUFS)</li>');
    // In the analysis table the warned figures carry class "warn" (red, bold, and a "!" after them).
    expect(html).toContain('td.warn::after { content: " !"; }');
    const row = (t: string): string => html.slice(html.indexOf(`<tr class=""><td class="n">${t}</td>`), html.indexOf('</tr>', html.indexOf(`<tr class=""><td class="n">${t}</td>`)));
    expect(row('02')).toContain('<td class="n warn">0.40</td>');
    expect(row('02')).toContain('<td class="n warn">3</td>');
    expect(row('03')).toContain('<td class="n warn">\u22120.70</td>');
    expect(row('04')).toContain('<td class="n warn">\u221214.0</td>');
    expect(row('04')).toContain('<td class="n">\u22121.00</td>');
    expect(row('01')).not.toContain('warn');
  });

  it('says "no warnings" when there are none', () => {
    const d = data();
    const page = reportHtml({ ...d, warnings: [] });
    expect(page).toContain('<div class="ok">No warnings');
    expect(page).not.toContain('class="warnings"');
  });

  it('lists the fileset checksums, or says there is no fileset', () => {
    expect(line(html, '<tr><td class="mono">IMAGE.DAT')).toBe(`<tr><td class="mono">IMAGE.DAT</td><td class="n">14 464 800</td><td class="mono c">${'a'.repeat(32)}</td><td class="mono c">FFFFFFFF</td></tr></tbody>`);
    const bare = reportHtml(data({ files: false }));
    expect(bare).toContain('No fileset: this report was made without one');
    expect(bare).toContain('<dd class="wide">none (no fileset)</dd>');
  });

  it('is deterministic', () => {
    expect(reportHtml(data())).toBe(html);
    expect(reportHtml(JSON.parse(JSON.stringify(data())) as ReportData)).toBe(html);
  });
});

describe('escapeHtml', () => {
  it('escapes the five characters that matter in content and attributes', () => {
    expect(escapeHtml(`<a href="x">&'</a>`)).toBe('&#60;a href=&#34;x&#34;&#62;&#38;&#39;&#60;/a&#62;');
    expect(escapeHtml('Café – ok')).toBe('Café – ok');
  });
});
