// The cue sheet and TOC as real programs read them: cdrdao 1.2.4 (show-toc, show-data, toc2cddb) and
// libcdio's cd-info. These tests never skip: a missing program fails them with how to install it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cueBytes, writeCue } from '../../src/cue/cue-writer.js';
import { writeToc } from '../../src/cue/toc-writer.js';
import { trackFirstFrame, trackStart, type Disc } from '../../src/disc/model.js';
import { track } from './discs.js';

const FRAME_BYTES = 2352;
const SAMPLES_PER_FRAME = 588;


/**
 * 40 s: a hidden track one (track 1's index 01 at 00:06:00, audio from 00:02:00) with an index 02, a track
 * with a 1 s pregap and copy permitted, one without index 00 and with pre-emphasis, one with both flags,
 * a pregap and an index 02. CD-Text with a quote and an ISO 8859-1 letter, genre, disc ID, UPC, ISRCs.
 */
const DISC: Disc = {
  leadOut: 3000,
  upc: '5012345678900',
  tracks: [
    track(1, { 0: 0, 1: 450, 2: 750 }, 'GBAYE2600001'),
    track(2, { 0: 1200, 1: 1275 }, 'GBAYE2600002', 'c'),
    track(3, { 1: 1800 }, undefined, 'p'),
    track(4, { 0: 2250, 1: 2400, 2: 2700 }, 'GBAYE2600004', 'cp'),
  ],
  cdText: {
    language: 'en',
    disc: { title: 'Northern "Lights"', performer: 'The Examples', songwriter: 'A. Writer' },
    tracks: [{ title: 'Dawn' }, { title: 'Noon', performer: 'Guest' }, { title: 'Dusk' }, { title: 'Café' }],
    discId: 'NL-001',
    genre: { code: 5, text: 'Classical' },
  },
  spans: [],
};

/** The test signal: left = a ramp, right = its negation, so a byte-swapped read shows at once. */
const sampleAt = (i: number): [number, number] => {
  const v = ((i * 7) % 20000) - 10000;
  return [v, -v];
};

function imageBytes(frames: number): Buffer {
  const b = Buffer.alloc(frames * FRAME_BYTES);
  for (let i = 0; i < frames * SAMPLES_PER_FRAME; i++) {
    const [l, r] = sampleAt(i);
    b.writeInt16LE(l, i * 4);
    b.writeInt16LE(r, i * 4 + 2);
  }
  return b;
}

interface Run {
  stdout: string;
  stderr: string;
  status: number | null;
}

/** Runs a program; its output is decoded as ISO 8859-1, the bytes CD-Text has. */
function run(cmd: string, args: string[], cwd: string): Run {
  const r = spawnSync(cmd, args, { cwd, maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { stdout: r.stdout.toString('latin1'), stderr: r.stderr.toString('latin1'), status: r.status };
}

/** cdrdao prints its version on stderr; anything saying ERROR or WARNING is a problem with our file. */
function complaints(stderr: string): string[] {
  return stderr.split('\n').filter((l) => /ERROR|WARNING/.test(l));
}

let dir: string;

beforeAll(() => {
  const missing = ['cdrdao', 'toc2cddb', 'cd-info'].filter((p) => spawnSync('sh', ['-c', `command -v ${p}`]).status !== 0);
  if (missing.length > 0) {
    throw new Error(`${missing.join(', ')} not installed: these tests run the real programs; install them with \`apt-get install -y cdrdao libcdio-utils\``);
  }
  dir = mkdtempSync(path.join(tmpdir(), 'ddpkit-cue-tools-'));
  writeFileSync(path.join(dir, 'IMAGE.DAT'), imageBytes(DISC.leadOut));
  writeFileSync(path.join(dir, 'IMAGE.toc'), writeToc(DISC, { imageFile: 'IMAGE.DAT' }));
  writeFileSync(path.join(dir, 'IMAGE.cue'), cueBytes(writeCue(DISC, { imageFile: 'IMAGE.DAT' })));
  // libcdio 2.1 sizes a cue sheet's disc from the file named like the sheet with ".bin", whatever its FILE
  // line says (without it cd-info says "could not retrieve file info for `IMAGE.bin'" and crashes).
  // cdrdao 1.2.4 reads the FILE line's name (its man page still says ".bin" too).
  symlinkSync('IMAGE.DAT', path.join(dir, 'IMAGE.bin'));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** One track of `cdrdao show-toc`, positions in frames from TOC position 0 (= disc frame 150). */
interface ShownTrack {
  number: number;
  isrc?: string;
  copy: boolean;
  preEmphasis: boolean;
  pregap?: number;
  start: number;
  indexes: Record<number, number>;
  end: number;
}

/** Parses `cdrdao show-toc`: `CATALOG NUMBER: …`, then per `TRACK  n  Mode AUDIO:` its ISRC, flags and MSF(frames) lines. */
function parseShowToc(text: string): { catalog?: string; tracks: ShownTrack[] } {
  const out: { catalog?: string; tracks: ShownTrack[] } = { tracks: [] };
  let t: ShownTrack | undefined;
  for (const line of text.split('\n')) {
    let m: RegExpExecArray | null;
    if ((m = /^CATALOG NUMBER: (\d+)$/.exec(line))) out.catalog = m[1]!;
    else if ((m = /^TRACK\s+(\d+)\s+Mode AUDIO:$/.exec(line))) {
      t = { number: Number(m[1]), copy: false, preEmphasis: false, start: -1, indexes: {}, end: -1 };
      out.tracks.push(t);
    } else if (t && (m = /^\s+ISRC (.+)$/.exec(line))) t.isrc = m[1]!;
    else if (t && /^\s+COPY PERMITTED$/.test(line)) t.copy = true;
    else if (t && /^\s+PRE-EMPHASIS$/.test(line)) t.preEmphasis = true;
    else if (t && (m = /^\s+(PREGAP|START|END)\s+\d+:\d+:\d+\(\s*(\d+)\)$/.exec(line))) {
      const frames = Number(m[2]);
      if (m[1] === 'PREGAP') t.pregap = frames;
      else if (m[1] === 'START') t.start = frames;
      else t.end = frames;
    } else if (t && (m = /^\s+INDEX\s+(\d+)\s+\d+:\d+:\d+\(\s*(\d+)\)$/.exec(line))) t.indexes[Number(m[1])] = Number(m[2]);
  }
  return out;
}

/** What show-toc must list for a disc written by writeToc: every position 150 frames less than on the disc. */
function expectedShowToc(disc: Disc): ShownTrack[] {
  return disc.tracks.map((t, i) => {
    const index01 = trackStart(t);
    const partStart = i === 0 ? 150 : trackFirstFrame(t);
    const next = disc.tracks[i + 1];
    const shown: ShownTrack = {
      number: t.number,
      copy: t.flags.copyPermitted,
      preEmphasis: t.flags.preEmphasis,
      start: index01 - 150,
      indexes: Object.fromEntries(t.indexes.filter((x) => x.number >= 2).map((x) => [x.number, x.frame - 150])),
      end: (next ? trackFirstFrame(next) : disc.leadOut) - 150,
    };
    if (t.isrc !== undefined) shown.isrc = `${t.isrc.slice(0, 2)} ${t.isrc.slice(2, 5)} ${t.isrc.slice(5, 7)} ${t.isrc.slice(7)}`;
    if (index01 > partStart) shown.pregap = index01 - partStart;
    return shown;
  });
}

describe('cdrdao reads the TOC', () => {
  it('show-toc lists the catalog, ISRCs, flags, pregaps, starts, indexes and ends, with no error', () => {
    const r = run('cdrdao', ['show-toc', 'IMAGE.toc'], dir);
    expect(complaints(r.stderr)).toEqual([]);
    expect(r.status).toBe(0);
    const shown = parseShowToc(r.stdout);
    expect(shown.catalog).toBe('5012345678900');
    expect(shown.tracks).toEqual(expectedShowToc(DISC));
    // Spelled out for track 1 (hidden track one): the data starts at disc frame 150 = TOC position 0, and
    // its 300-frame pregap is the hidden audio; index 01 at disc frame 450 is TOC position 300.
    expect(shown.tracks[0]).toEqual({ number: 1, isrc: 'GB AYE 26 00001', copy: false, preEmphasis: false, pregap: 300, start: 300, indexes: { 2: 600 }, end: 1050 });
  });

  it('resolves the image file relative to the TOC, not the working directory', () => {
    const r = run('cdrdao', ['show-toc', path.join(dir, 'IMAGE.toc')], tmpdir());
    expect(complaints(r.stderr)).toEqual([]);
    expect(parseShowToc(r.stdout).tracks).toHaveLength(4);
  });

  it('show-data gives the image\'s little-endian samples back unswapped (the FILE line\'s SWAP)', () => {
    const r = run('cdrdao', ['show-data', 'IMAGE.toc'], dir);
    expect(complaints(r.stderr)).toEqual([]);
    const lines = r.stdout.split('\n').filter((l) => l.trim() !== '');
    // TOC sample 0 is image sample 150 × 588; every track's part follows the previous one.
    expect(lines).toHaveLength((DISC.leadOut - 150) * SAMPLES_PER_FRAME);
    for (const n of [0, 1, 2, 99_999, 500_000, lines.length - 1]) {
      const [l, r2] = sampleAt(n + 150 * SAMPLES_PER_FRAME);
      expect(lines[n]!.split(/[:\s]+/).filter(Boolean).map(Number)).toEqual([n, l, r2]);
    }
  });

  it('toc2cddb shows the absolute track offsets, the length and the CD-Text titles', () => {
    const r = run('toc2cddb', ['IMAGE.toc'], dir);
    expect(complaints(r.stderr)).toEqual([]);
    expect(r.stdout).toContain('# Track frame offsets:\n#\n# 450\n# 1275\n# 1800\n# 2400\n#\n# Disc length: 40 seconds\n');
    const fields = Object.fromEntries(r.stdout.split('\n').filter((l) => /^[A-Z]+\d*=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    expect(fields).toMatchObject({ DTITLE: 'The Examples / Northern "Lights"', TTITLE0: 'Dawn', TTITLE1: 'Noon', TTITLE2: 'Dusk', TTITLE3: 'Café' });
  });

  it('reads the comments ddpkit writes (SCMS; hidden audio inside the first 2 s, which cdrdao makes silent)', () => {
    const format = { sampleFormat: 'int', bitsPerSample: 16, channels: 2, sampleRate: 44100, dataOffset: 44, dataLength: 0, blockAlign: 4, frameCount: 0 } as const;
    const disc: Disc = {
      tracks: [track(1, { 0: 0, 1: 450 }, undefined, 's'), track(2, { 1: 1200 }, undefined, 'ps')],
      leadOut: 1800,
      spans: [{ start: 75 * SAMPLES_PER_FRAME, length: 375 * SAMPLES_PER_FRAME, source: { path: 'h.wav', format }, sourceStart: 0, ramps: [], track: 0 }],
    };
    const sub = mkdtempSync(path.join(dir, 'comments-'));
    writeFileSync(path.join(sub, 'IMAGE.DAT'), imageBytes(disc.leadOut));
    const toc = writeToc(disc, { imageFile: 'IMAGE.DAT' });
    expect(toc.startsWith('// Note:')).toBe(true);
    expect(toc).toContain('// SCMS requested');
    writeFileSync(path.join(sub, 'IMAGE.toc'), toc);
    const r = run('cdrdao', ['show-toc', 'IMAGE.toc'], sub);
    expect(complaints(r.stderr)).toEqual([]);
    expect(parseShowToc(r.stdout).tracks).toEqual(expectedShowToc(disc));
    expect(parseShowToc(r.stdout).tracks.map((t) => [t.copy, t.preEmphasis])).toEqual([
      [false, false],
      [false, true],
    ]);
  });

  it('reads a 99-track TOC', () => {
    // 5 s apart with 1 s pregaps: cdrdao warns about a track shorter than 4 s from its index 01 to the next
    // track's index 00 (stricter than the Red Book, which measures to the next index 01).
    const tracks = Array.from({ length: 99 }, (_, i) => track(i + 1, i === 0 ? { 0: 0, 1: 150 } : { 0: 150 + i * 375 - 75, 1: 150 + i * 375 }, undefined, i % 2 ? 'c' : ''));
    const disc: Disc = { tracks, leadOut: 150 + 99 * 375, spans: [] };
    const d99 = mkdtempSync(path.join(dir, 'ninety-nine-'));
    writeFileSync(path.join(d99, 'IMAGE.DAT'), '');
    truncateSync(path.join(d99, 'IMAGE.DAT'), disc.leadOut * FRAME_BYTES); // sparse: show-toc only needs it to exist
    writeFileSync(path.join(d99, 'IMAGE.toc'), writeToc(disc, { imageFile: 'IMAGE.DAT' }));
    const r = run('cdrdao', ['show-toc', 'IMAGE.toc'], d99);
    expect(complaints(r.stderr)).toEqual([]);
    expect(parseShowToc(r.stdout).tracks).toEqual(expectedShowToc(disc));
  });
});

/** One row of cd-info's track list: `  1: 00:08:00  000450 audio  false  no    2        no`. */
interface InfoTrack {
  number: number;
  msf: string;
  lsn: number;
  copy: boolean;
  preEmphasis: boolean;
}

function parseCdInfo(text: string): { tracks: InfoTrack[]; leadOut?: number; mcn?: string; cdText: Record<string, Record<string, string>> } {
  const out: ReturnType<typeof parseCdInfo> = { tracks: [], cdText: {} };
  let block: Record<string, string> | undefined;
  for (const line of text.split('\n')) {
    let m: RegExpExecArray | null;
    if ((m = /^\s*(\d+): (\d\d:\d\d:\d\d)\s+(\d+) audio\s+\w+\s+(yes|no)\s+\d\s+(yes|no)$/.exec(line))) {
      out.tracks.push({ number: Number(m[1]), msf: m[2]!, lsn: Number(m[3]), copy: m[4] === 'yes', preEmphasis: m[5] === 'yes' });
    } else if ((m = /^170: \d\d:\d\d:\d\d\s+(\d+) leadout/.exec(line))) out.leadOut = Number(m[1]);
    else if ((m = /^Media Catalog Number \(MCN\): (\d+)$/.exec(line))) out.mcn = m[1]!;
    else if ((m = /^CD-TEXT for (Disc|Track\s+\d+):$/.exec(line))) out.cdText[m[1]!.replace(/\s+/, ' ')] = block = {};
    else if (block && (m = /^\t([A-Z_]+): (.*)$/.exec(line))) block[m[1]!] = m[2]!;
  }
  return out;
}

describe('libcdio reads the cue sheet', () => {
  it('cd-info lists the track starts, flags, catalog and CD-Text', () => {
    const r = run('cd-info', ['--no-header', '--no-device-info', '--cue-file', 'IMAGE.cue'], dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    // cd-info prints output as UTF-8 after reading the sheet's CD-Text as ISO 8859-1.
    const info = parseCdInfo(Buffer.from(r.stdout, 'latin1').toString('utf8'));
    // The sheet's INDEX 01 times are the PQ times (formats.md), counted from the image's first frame. libcdio
    // takes the FILE's first frame as LSN 0 (disc time 00:02:00), so the LSN it lists is our PQ frame and
    // its MSF is 2 seconds later than the DDP's: the whole disc is shifted, not reordered.
    expect(info.tracks).toEqual([
      { number: 1, msf: '00:08:00', lsn: 450, copy: false, preEmphasis: false },
      { number: 2, msf: '00:19:00', lsn: 1275, copy: true, preEmphasis: false },
      { number: 3, msf: '00:26:00', lsn: 1800, copy: false, preEmphasis: true },
      { number: 4, msf: '00:34:00', lsn: 2400, copy: true, preEmphasis: true },
    ]);
    expect(info.leadOut).toBe(DISC.leadOut);
    expect(info.mcn).toBe('5012345678900');
    expect(info.cdText).toEqual({
      // `"` is written as `''` (cue sheets have no escape; libcdio would cut the text at a `"`).
      Disc: { TITLE: "Northern ''Lights''", PERFORMER: 'The Examples', SONGWRITER: 'A. Writer' },
      'Track 1': { TITLE: 'Dawn' },
      'Track 2': { TITLE: 'Noon', PERFORMER: 'Guest' },
      'Track 3': { TITLE: 'Dusk' },
      'Track 4': { TITLE: 'Café' },
    });
  });
});

describe('cdrdao reads the cue sheet', () => {
  it('shows the same shift as libcdio: the FILE starts at TOC position 0, track 1 gets the file\'s 2 s as pregap', () => {
    const disc: Disc = { ...DISC, tracks: DISC.tracks.map((t) => ({ ...t, indexes: t.indexes.filter((x) => x.number < 2) })) };
    const sub = mkdtempSync(path.join(dir, 'noindex2-'));
    writeFileSync(path.join(sub, 'IMAGE.cue'), cueBytes(writeCue(disc, { imageFile: 'IMAGE.DAT' })));
    symlinkSync(path.join(dir, 'IMAGE.DAT'), path.join(sub, 'IMAGE.DAT'));
    const r = run('cdrdao', ['show-toc', 'IMAGE.cue'], sub);
    expect(complaints(r.stderr)).toEqual([]);
    const shown = parseShowToc(r.stdout);
    expect(shown.catalog).toBe('5012345678900');
    // START = our PQ frame (not frame − 150 as from the TOC): the sheet's times count from the image's start.
    expect(shown.tracks.map((t) => [t.number, t.pregap, t.start, t.copy, t.preEmphasis, t.isrc])).toEqual([
      [1, 450, 450, false, false, 'GB AYE 26 00001'],
      [2, 75, 1275, true, false, 'GB AYE 26 00002'],
      [3, undefined, 1800, false, true, undefined],
      [4, 150, 2400, true, true, 'GB AYE 26 00004'],
    ]);
  });

  it('misplaces INDEX 02 (cdrdao 1.2.4 quirk): it copies the file time into a track-relative INDEX', () => {
    // Our INDEX 02 lines are right (file times, like INDEX 01). cdrdao's cue converter (trackdb/Cue2Toc.cc,
    // write_track) writes them unchanged as TOC `INDEX` statements, which are relative to the track start,
    // so 00:10:00 lands 10 s after track 1's start, past its end. This asserts what cdrdao really prints.
    const r = run('cdrdao', ['show-toc', 'IMAGE.cue'], dir);
    expect(complaints(r.stderr)).toEqual(['ERROR: IMAGE.cue:25: Index beyond track end.', 'ERROR: IMAGE.cue:59: Index beyond track end.']);
  });
});
