// Builds a sample disc (generated audio → manifest → DDP fileset, analysed while it is written), writes
// its report as HTML, JSON and text, then renders the HTML in headless Chromium: a PNG screenshot, a
// PDF printed on A4 and (with pdftoppm) PNGs of the PDF's pages. Chromium's network log is read back
// to show that the page made no request beyond its own file.
//
//   npx tsx scripts/screenshot-report.ts [OUT_DIR]      (default /tmp/ddpkit-report)
//
// Needs Debian's `chromium` (and `poppler-utils` for the page PNGs); exits 1 when a check fails.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { wavHeader } from '../src/audio/wav-writer.js';
import { build } from '../src/build.js';
import { trackStart } from '../src/disc/model.js';
import { planDisc } from '../src/plan.js';
import { DiscAnalyzer } from '../src/report/analysis.js';
import { reportHtml } from '../src/report/html.js';
import { reportData, reportJson, reportText } from '../src/report/report.js';
import { SAMPLES_PER_FRAME } from '../src/time.js';

const CHROMIUM = '/usr/bin/chromium';
const RATE = 44100;

/** A deterministic pseudo-random source (LCG), so the sample audio is the same on every run. */
function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2147483648 - 1;
  };
}

/** A 16-bit stereo WAV of `seconds` from a function giving [left, right] in −1…1 (values beyond ±1 clip). */
function wav(seconds: number, sample: (t: number, i: number) => [number, number]): Buffer {
  const n = Math.round(seconds * RATE);
  const data = Buffer.alloc(n * 4);
  const clamp = (v: number): number => Math.max(-32768, Math.min(32767, Math.round(v * 32767)));
  for (let i = 0; i < n; i++) {
    const [l, r] = sample(i / RATE, i);
    data.writeInt16LE(clamp(l), 4 * i);
    data.writeInt16LE(clamp(r), 4 * i + 2);
  }
  return Buffer.concat([wavHeader(data.length), data]);
}

/** Chords with a slow swell: `level` is the peak amplitude. */
function chords(seconds: number, level: number, base: number, seed: number): Buffer {
  const rnd = noise(seed);
  return wav(seconds, (t) => {
    const swell = 0.35 + 0.65 * Math.sin((Math.PI * t) / seconds) ** 2 * (0.8 + 0.2 * Math.sin(2 * Math.PI * 0.5 * t));
    const tone = Math.sin(2 * Math.PI * base * t) + 0.6 * Math.sin(2 * Math.PI * base * 1.25 * t) + 0.45 * Math.sin(2 * Math.PI * base * 1.5 * t);
    const air = 0.08 * rnd();
    const v = (level * swell * (tone / 2.05 + air)) / 1.08;
    return [v, v * 0.93 + 0.02 * level * rnd()];
  });
}

/** A beat: decaying kicks and noise hits over a bass line; `drive` > 1 pushes it into the rails. */
function beat(seconds: number, level: number, bpm: number, seed: number, drive = 1): Buffer {
  const rnd = noise(seed);
  const period = 60 / bpm;
  return wav(seconds, (t) => {
    const ph = (t % period) / period;
    const kick = Math.exp(-ph * 9) * Math.sin(2 * Math.PI * (48 + 60 * Math.exp(-ph * 20)) * t);
    const hat = (t / period) % 1 > 0.5 ? Math.exp(-(((t / period) % 0.5) * 30)) * rnd() * 0.35 : 0;
    const bass = 0.45 * Math.sin(2 * Math.PI * 55 * t) * (0.6 + 0.4 * Math.sin(2 * Math.PI * 0.25 * t));
    const fadeIn = Math.min(1, t / 1.5);
    const fadeOut = Math.min(1, (seconds - t) / 2);
    const v = level * drive * fadeIn * fadeOut * (0.55 * kick + hat + bass);
    return [v, 0.92 * v + 0.03 * level * rnd()];
  });
}

/**
 * Pads with short bursts of a tone at a quarter of the sample rate, phased so that its peaks fall
 * between samples: the samples reach 0.707 × `peak`, the true peak `peak`.
 */
function overs(seconds: number, level: number, peak: number, seed: number): Buffer {
  const rnd = noise(seed);
  return wav(seconds, (t, i) => {
    const env = Math.min(1, t / 1.5, (seconds - t) / 1.5);
    const pad = level * env * (0.5 * Math.sin(2 * Math.PI * 110 * t) + 0.35 * Math.sin(2 * Math.PI * 165 * t) + 0.1 * rnd()) * (0.7 + 0.3 * Math.sin(2 * Math.PI * 0.2 * t));
    const phase = (t % 4) / 0.006;
    if (phase < 1 && t > 2 && t < seconds - 2) {
      const burst = peak * Math.sin(Math.PI * phase) ** 2 * Math.sin((Math.PI / 2) * i + Math.PI / 4);
      return [pad * (1 - Math.sin(Math.PI * phase) ** 2) + burst, burst];
    }
    return [pad, pad * 0.95];
  });
}

async function main(): Promise<number> {
  const out = path.resolve(process.argv[2] ?? path.join(tmpdir(), 'ddpkit-report'));
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const work = mkdtempSync(path.join(tmpdir(), 'ddpkit-report-src-'));
  try {
    // ---- A sample album -------------------------------------------------------------------------
    const audio: [string, Buffer][] = [
      ['01.wav', chords(38, 0.2, 220, 1)],
      ['02.wav', beat(34, 0.42, 96, 2)],
      ['03.wav', beat(41, 0.55, 124, 3, 2.3)],
      ['04.wav', chords(16, 0.05, 174.6, 4)],
      ['05.wav', overs(26, 0.2, 0.93, 5)],
      ['06.wav', beat(36, 0.38, 88, 6)],
      ['07.wav', chords(44, 0.3, 196, 7)],
    ];
    for (const [name, bytes] of audio) writeFileSync(path.join(work, name), bytes);
    const manifest = path.join(work, 'album.yaml');
    writeFileSync(
      manifest,
      [
        'version: 1',
        'album:',
        '  title: "Songs for <Script> & \\"Friends\\""',
        '  performer: The Examples',
        '  songwriter: A. Writer',
        '  genre: Ambient',
        '  upc: "2000123456782"',
        '  master_id: NL-2026-001/A',
        'defaults:',
        '  gap: 2s',
        'tracks:',
        '  - { file: 01.wav, title: Dawn Chorus, isrc: XXDDK2600001 }',
        '  - { file: 02.wav, title: "Rain & Thunder <live>", isrc: XXDDK2600002, performer: The Examples feat. Guest }',
        '  - { file: 03.wav, title: Night Drive (Club Mix), isrc: XXDDK2600003, gap: 0 }',
        '  - { file: 04.wav, title: Interlude, isrc: XXDDK2600004, gap: 1s }',
        '  - { file: 05.wav, title: "\'Quotes\' and \\"Overs\\"", isrc: XXDDK2600005, indexes: ["0:10:00", "0:18:00"] }',
        '  - { file: 06.wav, title: Slow Motion, isrc: XXDDK2600006, pre_emphasis: true }',
        '  - { file: 07.wav, title: Evening (Reprise), isrc: XXDDK2600007, gap: 3s }',
        '',
      ].join('\n'),
    );

    // ---- Build the fileset, analysing the image as it is written ---------------------------------
    const plan = await planDisc(manifest);
    if (!plan.disc) throw new Error(`the sample manifest has errors: ${plan.problems.map((p) => p.message).join('; ')}`);
    const imageSamples = plan.disc.leadOut * SAMPLES_PER_FRAME;
    const analyzer = new DiscAnalyzer({ trackStarts: plan.disc.tracks.map((t) => trackStart(t) * SAMPLES_PER_FRAME), imageSamples }, { overviewBins: 1200 });
    const result = await build(manifest, path.join(work, 'fileset'), {
      onImageChunk: (chunk) => {
        analyzer.push(chunk);
      },
    });
    const analysis = analyzer.finish();
    const data = reportData({
      disc: result.disc,
      analysis,
      overview: analyzer.overview()!,
      files: result.files,
      source: 'album.yaml',
      tool: { name: 'ddpkit', version: '0.1.0' },
    });
    const htmlFile = path.join(out, 'report.html');
    writeFileSync(htmlFile, reportHtml(data));
    writeFileSync(path.join(out, 'report.json'), reportJson(data));
    writeFileSync(path.join(out, 'report.txt'), reportText(data));
    console.log(reportText(data));

    // ---- Render in Chromium ---------------------------------------------------------------------
    if (!existsSync(CHROMIUM)) {
      console.error(`${CHROMIUM} is missing: apt-get install -y chromium`);
      return 1;
    }
    const url = pathToFileURL(htmlFile).href;
    const png = path.join(out, 'report.png');
    const pdf = path.join(out, 'report.pdf');
    const shotLog = path.join(out, 'netlog-screenshot.json');
    const pdfLog = path.join(out, 'netlog-pdf.json');
    chromium(['--screenshot=' + png, '--window-size=1240,1754', `--log-net-log=${shotLog}`, url]);
    chromium(['--print-to-pdf=' + pdf, '--no-pdf-header-footer', `--log-net-log=${pdfLog}`, url]);

    // A control page with two external references: its net log must show them as page requests,
    // which shows the check below would see the report's own requests if it made any.
    const probe = path.join(out, 'probe.html');
    writeFileSync(probe, '<!DOCTYPE html><html><head><link rel="stylesheet" href="https://fonts.probe.invalid/x.css"></head><body><img src="http://probe.invalid/x.png" alt=""></body></html>\n');
    const probeLog = path.join(out, 'netlog-probe.json');
    chromium(['--screenshot=' + path.join(out, 'probe.png'), '--window-size=400,300', `--log-net-log=${probeLog}`, pathToFileURL(probe).href]);

    const failures: string[] = [];
    const probed = netLog(probeLog).page;
    console.log(`control page: ${probed.length} page request(s) seen: ${probed.join(', ')}`);
    if (!probed.includes('http://probe.invalid/x.png') || !probed.includes('https://fonts.probe.invalid/x.css')) {
      failures.push(`the net log did not show the control page's requests (${probed.join(', ') || 'none'}): the check cannot be trusted`);
    }
    for (const [file, min] of [
      [png, 50_000],
      [pdf, 10_000],
    ] as const) {
      const size = existsSync(file) ? statSync(file).size : 0;
      console.log(`${file}: ${size} bytes`);
      if (size < min) failures.push(`${file} is missing or too small (${size} bytes)`);
    }
    for (const log of [shotLog, pdfLog]) {
      const { page, browser } = netLog(log);
      console.log(`${path.basename(log)}: ${page.length} request(s) from the page${page.length ? `: ${page.join(', ')}` : ''}; ` + `${browser.length} from the browser itself (blocked by --host-resolver-rules): ${browser.map((u) => u.replace(/\?.*$/, '')).join(', ') || 'none'}`);
      if (page.length > 0) failures.push(`the report page made requests (${log}): ${page.join(', ')}`);
    }

    // ---- The PDF's pages as PNGs ------------------------------------------------------------------
    const pages = spawnSync('pdftoppm', ['-png', '-r', '110', pdf, path.join(out, 'report-pdf-page')], { encoding: 'utf8' });
    if (pages.error || pages.status !== 0) {
      failures.push(`pdftoppm failed (apt-get install -y poppler-utils): ${pages.error?.message ?? pages.stderr}`);
    } else {
      const made = readdirSync(out).filter((f) => f.startsWith('report-pdf-page')).sort();
      console.log(`PDF pages: ${made.map((f) => path.join(out, f)).join(', ')}`);
      if (made.length === 0) failures.push('pdftoppm made no page images');
    }

    for (const f of failures) console.error(`FAIL: ${f}`);
    console.log(failures.length === 0 ? `OK: ${out}` : `${failures.length} check(s) failed`);
    return failures.length === 0 ? 0 : 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Runs headless Chromium with a fresh profile and no background traffic. */
function chromium(args: string[]): void {
  const profile = mkdtempSync(path.join(tmpdir(), 'ddpkit-chromium-'));
  try {
    const run = spawnSync(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-extensions',
        '--hide-scrollbars',
        '--disable-default-apps',
        '--disable-domain-reliability',
        '--no-pings',
        // Nothing resolves: whatever the browser or a page asks for never leaves the machine.
        '--host-resolver-rules=MAP * ~NOTFOUND',
        '--net-log-capture-mode=Everything',
        `--user-data-dir=${profile}`,
        ...args,
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    if (run.error) throw run.error;
    if (run.status !== 0) throw new Error(`chromium exited with ${run.status}: ${run.stderr}`);
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/**
 * The URLs a Chromium net log (JSON) shows requests for, split by who asked: a page's requests carry
 * its origin as initiator (`null` for a file:// page); the browser's own (update checks, account
 * lookups) carry "not an origin".
 */
function netLog(file: string): { page: string[]; browser: string[] } {
  if (!existsSync(file)) throw new Error(`no net log at ${file}`);
  let text = readFileSync(file, 'utf8').trim();
  // A log cut short by a fast exit may lack its closing brackets.
  if (!text.endsWith('}')) text = text.replace(/,\s*$/, '') + ']}';
  const log = JSON.parse(text) as { constants: { logEventTypes: Record<string, number> }; events: { type: number; params?: { url?: unknown; initiator?: unknown } }[] };
  const startJob = log.constants.logEventTypes.URL_REQUEST_START_JOB;
  const page = new Set<string>();
  const browser = new Set<string>();
  for (const e of log.events) {
    const url = e.params?.url;
    if (e.type !== startJob || typeof url !== 'string') continue;
    (e.params?.initiator === 'not an origin' ? browser : page).add(url);
  }
  return { page: [...page].sort(), browser: [...browser].sort() };
}

process.exitCode = await main();
