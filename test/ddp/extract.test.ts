// DDP fileset → per-track WAVs, the whole image and cue sheets: sample-exact, atomic, with safe names.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../src/build.js';
import { cueSheet, extractFileset, extractPlan, safeFileName, trackFileName, type ExtractResult } from '../../src/ddp/extract.js';
import type { Disc } from '../../src/disc/model.js';
import { DdpkitError } from '../../src/errors.js';
import { AlbumDir, sec, wavBytes } from '../helpers/album.js';
import { HAND_DDPID, HAND_PQ, msPacket } from './fixture.js';

/**
 * The disc (frames): track 1 index 00 at 0, 01 at 150, source a = 5 s + 100 samples, padded to 526;
 * track 2 index 00 at 526, 01 at 601 (1 s gap), index 02 at 751, source b = exactly 6 s, to 1051;
 * track 3 gapless at 1051 (a frame-aligned join), source c = 5 s + 3 samples; track 4 gapless at 1426
 * (index 01 on the frame boundary 3 samples before the join), source d = 4.5 s; lead-out 1764.
 */
const MANIFEST = `
  version: 1
  album:
    title: Café Nuit
    performer: Les Éléphants
    songwriter: Zoë Ångström
    upc: "5012345678900"
  tracks:
    - { file: a.wav, title: Première, isrc: FRABC2600001, copy_permitted: true }
    - file: b.wav
      title: 'AC/DC: "Live"?'
      performer: Les Éléphants & Zoë
      isrc: FR-ABC-26-00002
      gap: 1s
      indexes: ["0:02:00"]
    - { file: c.wav, title: Señor Naïve, gap: 0, pre_emphasis: true }
    - { file: d.wav, gap: 0, scms: true }
`;
const BYTES_PER_FRAME = 2352;
const SOURCES = { a: sec(5) + 100, b: sec(6), c: sec(5) + 3, d: sec(4.5) } as const;

let album: AlbumDir;
let fileset: string;
let built: BuildResult;
let image: Buffer;
/** Sample data of each source WAV (after its 44-byte header). */
const source: Record<string, Buffer> = {};

beforeAll(async () => {
  album = new AlbumDir();
  Object.entries(SOURCES).forEach(([name, samples], i) => {
    const bytes = wavBytes({ samples }, i + 1);
    album.wav(`${name}.wav`, bytes);
    source[name] = bytes.subarray(44);
  });
  fileset = album.path('FILESET');
  built = await build(album.manifest(MANIFEST), fileset);
  image = readFileSync(path.join(fileset, 'IMAGE.DAT'));
});
afterAll(() => {
  album.remove();
});

let outCount = 0;
/** A fresh output path inside the album folder (not created). */
function outPath(): string {
  return album.path(`out-${++outCount}/EXTRACT`);
}

/** Reads a written WAV: its 44-byte header and its data. */
function readWav(dir: string, name: string): { header: Buffer; data: Buffer } {
  const bytes = readFileSync(path.join(dir, name));
  return { header: bytes.subarray(0, 44), data: bytes.subarray(44) };
}

const zeros = (frames: number, samples = 0): Buffer => Buffer.alloc(frames * BYTES_PER_FRAME + samples * 4);
const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');

/** The result's files without their MD5s (checked separately). */
function listing(r: ExtractResult): unknown[] {
  return r.files.map(({ name, kind, track, startFrame, frames, samples, bytes }) => ({ name, kind, track, startFrame, frames, samples, bytes }));
}

const TRACK_NAMES = ['01 - Première.wav', "02 - AC-DC- 'Live'.wav", '03 - Señor Naïve.wav', '04 - Track 04.wav'];

describe('extract: one WAV per track from index 01', () => {
  let out: string;
  let r: ExtractResult;
  beforeAll(async () => {
    out = outPath();
    r = await extractFileset(fileset, out);
  });

  it('writes exactly the track WAVs and the cue sheet, with exact names, sample counts and MD5s', () => {
    expect(readdirSync(out).sort()).toEqual(['Café Nuit.cue', ...TRACK_NAMES].sort());
    const wav = (i: number, startFrame: number, frames: number) => ({
      name: TRACK_NAMES[i],
      kind: 'track',
      track: i + 1,
      startFrame,
      frames,
      samples: frames * 588,
      bytes: 44 + frames * BYTES_PER_FRAME,
    });
    const cueBytes = readFileSync(path.join(out, 'Café Nuit.cue')).length;
    expect(listing(r)).toEqual([
      wav(0, 150, 451),
      wav(1, 601, 450),
      wav(2, 1051, 375),
      wav(3, 1426, 338),
      { name: 'Café Nuit.cue', kind: 'cue', track: undefined, startFrame: undefined, frames: undefined, samples: undefined, bytes: cueBytes },
    ]);
    expect(r.dir).toBe(path.resolve(out));
    expect(r.findings).toEqual([]);
    for (const f of r.files) {
      const bytes = readFileSync(path.join(out, f.name));
      expect(f.md5).toBe(md5(bytes));
      if (f.kind === 'track') expect(f.audioMd5).toBe(md5(bytes.subarray(44)));
    }
    expect(r.disc.tracks.map((t) => t.number)).toEqual([1, 2, 3, 4]);
  });

  it('gives back every untouched 16-bit source bit-identical, followed by the silence up to the next index 01', () => {
    const t = TRACK_NAMES.map((n) => readWav(out, n).data);
    // Track 1: source a, then its padding to frame 526 and track 2's gap (to 601): digital silence.
    expect(t[0]!.subarray(0, source.a!.length).equals(source.a!)).toBe(true);
    expect(t[0]!.subarray(source.a!.length).equals(zeros(601 - 150).subarray(source.a!.length))).toBe(true);
    // Track 2 is source b exactly (6 s = 450 frames, a frame-aligned gapless join follows).
    expect(t[1]!.equals(source.b!)).toBe(true);
    // Track 3 ends on the frame boundary before the join; its last 3 samples open track 4's file.
    expect(t[2]!.equals(source.c!.subarray(0, 375 * BYTES_PER_FRAME))).toBe(true);
    const dStart = 3 * 4;
    expect(t[3]!.subarray(0, dStart).equals(source.c!.subarray(375 * BYTES_PER_FRAME))).toBe(true);
    expect(t[3]!.subarray(dStart, dStart + source.d!.length).equals(source.d!)).toBe(true);
    expect(t[3]!.subarray(dStart + source.d!.length).equals(zeros(338).subarray(dStart + source.d!.length))).toBe(true);
    // Together the files are the image from track 1's index 01 to the lead-out.
    expect(Buffer.concat(t).equals(image.subarray(150 * BYTES_PER_FRAME))).toBe(true);
  });

  it('writes canonical 44-byte WAV headers: PCM, 2 channels, 44.1 kHz, 16 bits', () => {
    const { header, data } = readWav(out, TRACK_NAMES[1]!);
    expect(data.length).toBe(450 * BYTES_PER_FRAME);
    expect(header.toString('latin1', 0, 4)).toBe('RIFF');
    expect(header.readUInt32LE(4)).toBe(36 + data.length);
    expect(header.toString('latin1', 8, 16)).toBe('WAVEfmt ');
    expect(header.readUInt32LE(16)).toBe(16);
    expect(header.readUInt16LE(20)).toBe(1);
    expect(header.readUInt16LE(22)).toBe(2);
    expect(header.readUInt32LE(24)).toBe(44100);
    expect(header.readUInt32LE(28)).toBe(176400);
    expect(header.readUInt16LE(32)).toBe(4);
    expect(header.readUInt16LE(34)).toBe(16);
    expect(header.toString('latin1', 36, 40)).toBe('data');
    expect(header.readUInt32LE(40)).toBe(data.length);
  });

  it('writes the cue sheet in UTF-8 with index 00 at the end of the previous track\'s file', () => {
    expect(readFileSync(path.join(out, 'Café Nuit.cue'), 'utf8')).toBe(
      [
        'CATALOG 5012345678900',
        'TITLE "Café Nuit"',
        'PERFORMER "Les Éléphants"',
        'SONGWRITER "Zoë Ångström"',
        'FILE "01 - Première.wav" WAVE',
        '  TRACK 01 AUDIO',
        '    TITLE "Première"',
        '    PERFORMER "Les Éléphants"',
        '    ISRC FRABC2600001',
        '    FLAGS DCP',
        '    INDEX 01 00:00:00',
        '  TRACK 02 AUDIO',
        "    TITLE \"AC/DC: ''Live''?\"",
        '    PERFORMER "Les Éléphants & Zoë"',
        '    ISRC FRABC2600002',
        '    INDEX 00 00:05:01',
        'FILE "02 - AC-DC- \'Live\'.wav" WAVE',
        '    INDEX 01 00:00:00',
        '    INDEX 02 00:02:00',
        'FILE "03 - Señor Naïve.wav" WAVE',
        '  TRACK 03 AUDIO',
        '    TITLE "Señor Naïve"',
        '    PERFORMER "Les Éléphants"',
        '    FLAGS PRE',
        '    INDEX 01 00:00:00',
        'FILE "04 - Track 04.wav" WAVE',
        '  TRACK 04 AUDIO',
        '    PERFORMER "Les Éléphants"',
        '    FLAGS SCMS',
        '    INDEX 01 00:00:00',
        '',
      ].join('\n'),
    );
  });
});

describe('extract --with-pregap --single', () => {
  let out: string;
  let r: ExtractResult;
  const progress: [number, number][] = [];
  beforeAll(async () => {
    out = outPath();
    r = await extractFileset(fileset, out, { withPregap: true, single: true, onProgress: (d, t) => progress.push([d, t]) });
  });

  it('cuts each track from its first index to the next track\'s first index, track 1 from frame 0', () => {
    expect(r.files.map((f) => [f.name, f.startFrame, f.samples])).toEqual([
      [TRACK_NAMES[0], 0, 526 * 588],
      [TRACK_NAMES[1], 526, (1051 - 526) * 588],
      [TRACK_NAMES[2], 1051, 375 * 588],
      [TRACK_NAMES[3], 1426, 338 * 588],
      ['Café Nuit.cue', undefined, undefined],
      ['Café Nuit.wav', 0, 1764 * 588],
      ['Café Nuit (image).cue', undefined, undefined],
    ]);
    const t1 = readWav(out, TRACK_NAMES[0]!).data;
    expect(t1.length).toBe(526 * BYTES_PER_FRAME);
    expect(t1.subarray(0, 150 * BYTES_PER_FRAME).equals(zeros(150))).toBe(true);
    expect(t1.subarray(150 * BYTES_PER_FRAME, 150 * BYTES_PER_FRAME + source.a!.length).equals(source.a!)).toBe(true);
    const t2 = readWav(out, TRACK_NAMES[1]!).data;
    expect(t2.subarray(0, 75 * BYTES_PER_FRAME).equals(zeros(75))).toBe(true);
    expect(t2.subarray(75 * BYTES_PER_FRAME).equals(source.b!)).toBe(true);
    const all = Buffer.concat(TRACK_NAMES.map((n) => readWav(out, n).data));
    expect(all.equals(image)).toBe(true);
  });

  it('writes the whole image as one WAV whose data is IMAGE.DAT byte for byte', () => {
    const { header, data } = readWav(out, 'Café Nuit.wav');
    expect(data.equals(image)).toBe(true);
    expect(header.readUInt32LE(40)).toBe(image.length);
    expect(header.readUInt32LE(4)).toBe(36 + image.length);
    expect(r.files.find((f) => f.kind === 'image')!.audioMd5).toBe(built.imageMd5);
  });

  it('reports progress in image frames, ending at the total', () => {
    expect(progress.at(-1)).toEqual([1764, 1764]);
    expect(progress.every(([d, t], i) => t === 1764 && d > (progress[i - 1]?.[0] ?? 0))).toBe(true);
  });

  it('writes the per-track cue with each pregap at the head of its own file', () => {
    const cue = readFileSync(path.join(out, 'Café Nuit.cue'), 'utf8');
    expect(cue.split('\n').filter((l) => /^(FILE| {2}TRACK| {4}INDEX)/.test(l))).toEqual([
      'FILE "01 - Première.wav" WAVE',
      '  TRACK 01 AUDIO',
      '    INDEX 00 00:00:00',
      '    INDEX 01 00:02:00',
      'FILE "02 - AC-DC- \'Live\'.wav" WAVE',
      '  TRACK 02 AUDIO',
      '    INDEX 00 00:00:00',
      '    INDEX 01 00:01:00',
      '    INDEX 02 00:03:00',
      'FILE "03 - Señor Naïve.wav" WAVE',
      '  TRACK 03 AUDIO',
      '    INDEX 01 00:00:00',
      'FILE "04 - Track 04.wav" WAVE',
      '  TRACK 04 AUDIO',
      '    INDEX 01 00:00:00',
    ]);
  });

  it('writes the image cue with INDEX times equal to the PQ times', () => {
    expect(readFileSync(path.join(out, 'Café Nuit (image).cue'), 'utf8')).toBe(
      [
        'CATALOG 5012345678900',
        'TITLE "Café Nuit"',
        'PERFORMER "Les Éléphants"',
        'SONGWRITER "Zoë Ångström"',
        'FILE "Café Nuit.wav" WAVE',
        '  TRACK 01 AUDIO',
        '    TITLE "Première"',
        '    PERFORMER "Les Éléphants"',
        '    ISRC FRABC2600001',
        '    FLAGS DCP',
        '    INDEX 00 00:00:00',
        '    INDEX 01 00:02:00',
        '  TRACK 02 AUDIO',
        "    TITLE \"AC/DC: ''Live''?\"",
        '    PERFORMER "Les Éléphants & Zoë"',
        '    ISRC FRABC2600002',
        '    INDEX 00 00:07:01',
        '    INDEX 01 00:08:01',
        '    INDEX 02 00:10:01',
        '  TRACK 03 AUDIO',
        '    TITLE "Señor Naïve"',
        '    PERFORMER "Les Éléphants"',
        '    FLAGS PRE',
        '    INDEX 01 00:14:01',
        '  TRACK 04 AUDIO',
        '    PERFORMER "Les Éléphants"',
        '    FLAGS SCMS',
        '    INDEX 01 00:19:01',
        '',
      ].join('\n'),
    );
  });

  // cd-info --version exits with 100 (libcdio's usage code); only a missing program is a reason to skip.
  const cdInfo = spawnSync('cd-info', ['--version'], { encoding: 'utf8' });
  it.skipIf(cdInfo.error !== undefined)('reads back in libcdio\'s cd-info with the track starts of the PQ', () => {
    // libcdio 2.1 reads the samples from `<cue name>.bin` beside the cue (raw; the 44 header bytes do not
    // change the track list), so the sheet is copied under a plain name next to a link to the WAV.
    const dir = mkdtempSync(path.join(tmpdir(), 'ddpkit-cdinfo-'));
    try {
      cpSync(path.join(out, 'Café Nuit (image).cue'), path.join(dir, 'disc.cue'));
      symlinkSync(path.join(out, 'Café Nuit.wav'), path.join(dir, 'disc.bin'));
      symlinkSync(path.join(out, 'Café Nuit.wav'), path.join(dir, 'Café Nuit.wav'));
      const run = spawnSync('cd-info', ['--no-header', '--no-device-info', '--cue-file', 'disc.cue'], { cwd: dir, encoding: 'utf8' });
      const rows = [...run.stdout.matchAll(/^\s*(\d+): (\d\d:\d\d:\d\d)\s+(\d+) (audio|leadout)/gm)].map((m) => [Number(m[1]), m[2], Number(m[3]), m[4]]);
      // cd-info's MSF counts the 2-second lead-in offset: LSN 150 is 00:04:00.
      expect(rows).toEqual([
        [1, '00:04:00', 150, 'audio'],
        [2, '00:10:01', 601, 'audio'],
        [3, '00:16:01', 1051, 'audio'],
        [4, '00:21:01', 1426, 'audio'],
        [170, '00:25:39', 1764, 'leadout'],
      ]);
      expect(run.stdout).toContain('Media Catalog Number (MCN): 5012345678900');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('extract from another tool\'s fileset', () => {
  it('honours OFS: the image starts 512 bytes into a file of another name', async () => {
    // The hand disc of fixture.ts: track 1 index 01 at 150, track 2 at 525 (index 02 at 700), track 3 index 00 at 1000, 01 at 1150, lead-out 1600.
    const dir = album.path('OFS');
    mkdirSync(dir);
    const audio = Buffer.alloc(1600 * BYTES_PER_FRAME);
    for (let i = 0; i < audio.length; i++) audio[i] = (i * 7 + (i >> 11)) % 251;
    writeFileSync(path.join(dir, 'DDPID'), HAND_DDPID, 'latin1');
    writeFileSync(
      path.join(dir, 'DDPMS'),
      msPacket({ dst: 'S0', dsl: '     576', sub: 'PQ DESCR', dsi: 'PQDESCR' }) +
        msPacket({ dst: 'D0', dsl: '    1600', cdm: 'DA', ssm: '7', scr: '0', pre2: ' 150', dsi: 'AUDIO.BIN', ofs: '      512' }),
      'latin1',
    );
    writeFileSync(path.join(dir, 'PQDESCR'), HAND_PQ.join(''), 'latin1');
    writeFileSync(path.join(dir, 'AUDIO.BIN'), Buffer.concat([Buffer.alloc(512, 0xaa), audio]));
    const out = outPath();
    const r = await extractFileset(dir, out, { single: true });
    expect(r.findings).toEqual([]);
    expect(r.files.map((f) => [f.name, f.startFrame, f.frames])).toEqual([
      ['01 - Track 01.wav', 150, 375],
      ['02 - Track 02.wav', 525, 625],
      ['03 - Track 03.wav', 1150, 450],
      ['OFS.cue', undefined, undefined],
      ['OFS.wav', 0, 1600],
      ['OFS (image).cue', undefined, undefined],
    ]);
    const frames = (a: number, b: number): Buffer => audio.subarray(a * BYTES_PER_FRAME, b * BYTES_PER_FRAME);
    expect(readWav(out, '01 - Track 01.wav').data.equals(frames(150, 525))).toBe(true);
    expect(readWav(out, '02 - Track 02.wav').data.equals(frames(525, 1150))).toBe(true);
    expect(readWav(out, '03 - Track 03.wav').data.equals(frames(1150, 1600))).toBe(true);
    expect(readWav(out, 'OFS.wav').data.equals(audio)).toBe(true);
    expect(readFileSync(path.join(out, 'OFS.cue'), 'utf8')).toBe(
      [
        'CATALOG 5012345678900',
        'FILE "01 - Track 01.wav" WAVE',
        '  TRACK 01 AUDIO',
        '    ISRC GBAYE2600001',
        '    FLAGS DCP',
        '    INDEX 01 00:00:00',
        'FILE "02 - Track 02.wav" WAVE',
        '  TRACK 02 AUDIO',
        '    ISRC GBAYE2600002',
        '    FLAGS PRE',
        '    INDEX 01 00:00:00',
        '    INDEX 02 00:02:25',
        '  TRACK 03 AUDIO',
        '    ISRC GBAYE2600003',
        '    FLAGS SCMS',
        '    INDEX 00 00:06:25',
        'FILE "03 - Track 03.wav" WAVE',
        '    INDEX 01 00:00:00',
        '',
      ].join('\n'),
    );
  });
});

describe('extract refuses', () => {
  it('an existing output folder, leaving it untouched; --force replaces it', async () => {
    const out = outPath();
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'keep.txt'), 'mine');
    const e = await extractFileset(fileset, out).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DdpkitError);
    expect((e as DdpkitError).code).toBe('io');
    expect((e as DdpkitError).message).toBe(`${out} already exists; use --force to replace it`);
    expect(readdirSync(out)).toEqual(['keep.txt']);
    await extractFileset(fileset, out, { force: true });
    expect(readdirSync(out).sort()).toEqual(['Café Nuit.cue', ...TRACK_NAMES].sort());
    expect(readdirSync(path.dirname(out))).toEqual(['EXTRACT']);
  });

  it('a fileset without IMAGE.DAT, with a clear message, writing nothing', async () => {
    const broken = album.path('NO-IMAGE');
    cpSync(fileset, broken, { recursive: true, filter: (p) => path.basename(p) !== 'IMAGE.DAT' });
    const out = outPath();
    const e = await extractFileset(broken, out).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DdpkitError);
    const err = e as DdpkitError;
    expect(err.code).toBe('ddp');
    expect(err.message).toBe(`${broken}: cannot extract: the fileset has no audio image: IMAGE.DAT (the D0 stream DDPMS names in packet 2) is missing`);
    expect(err.problems.map((p) => p.message)).toEqual([
      'cannot extract: the fileset has no audio image',
      'error fileset-missing (IMAGE.DAT): IMAGE.DAT (the D0 stream DDPMS names in packet 2) is missing',
    ]);
    expect(existsSync(path.dirname(out))).toBe(false);
  });

  it('a fileset whose image is shorter than the lead-out', async () => {
    const short = album.path('SHORT');
    cpSync(fileset, short, { recursive: true });
    writeFileSync(path.join(short, 'IMAGE.DAT'), image.subarray(0, 1000 * BYTES_PER_FRAME));
    const out = outPath();
    await expect(extractFileset(short, out)).rejects.toThrow(`${short}: cannot extract: IMAGE.DAT holds 1000 frames of audio but the disc needs 1764 (lead-out 00:23:39)`);
    expect(existsSync(path.dirname(out))).toBe(false);
  });

  it('an output folder that is the fileset itself', async () => {
    await expect(extractFileset(fileset, fileset, { force: true })).rejects.toThrow('is the fileset folder or contains it');
    expect(readdirSync(fileset)).toContain('IMAGE.DAT');
  });

  it('to go on when aborted, leaving nothing behind', async () => {
    const out = outPath();
    const abort = new AbortController();
    abort.abort();
    await expect(extractFileset(fileset, out, { signal: abort.signal })).rejects.toMatchObject({ code: 'interrupted' });
    expect(readdirSync(path.dirname(out))).toEqual([]);
  });
});

describe('file names', () => {
  it('makes titles safe on Windows, macOS and Linux, keeping accents', () => {
    expect(trackFileName(2, 'AC/DC: "Live"?')).toBe("02 - AC-DC- 'Live'.wav");
    expect(trackFileName(1, 'Café à la Crème')).toBe('01 - Café à la Crème.wav');
    expect(trackFileName(3, '<Intro> * back\\slash | pipe')).toBe('03 - Intro back-slash - pipe.wav');
    expect(trackFileName(4, 'tab\there\u0001  and\nbreak')).toBe('04 - tab here and break.wav');
    expect(trackFileName(5, 'Ends with dots... ')).toBe('05 - Ends with dots.wav');
    expect(trackFileName(6, '...And Justice')).toBe('06 - ...And Justice.wav');
    expect(trackFileName(7, 'CON')).toBe('07 - CON.wav');
    expect(trackFileName(8, undefined)).toBe('08 - Track 08.wav');
    expect(trackFileName(9, '')).toBe('09 - Track 09.wav');
    expect(trackFileName(10, '???')).toBe('10 - Track 10.wav');
    expect(trackFileName(11, ' . ')).toBe('11 - Track 11.wav');
  });

  it('cuts long titles to 120 characters in all, without a trailing blank or dot', () => {
    const long = trackFileName(12, `${'é'.repeat(100)} ${'x'.repeat(100)}`);
    expect(long).toBe(`12 - ${'é'.repeat(100)} ${'x'.repeat(10)}.wav`);
    expect(long.length).toBe(120);
    expect(trackFileName(13, `${'a'.repeat(110)} .b`)).toBe(`13 - ${'a'.repeat(110)}.wav`);
  });

  it('avoids device names, hidden names and an empty disc name', () => {
    expect(safeFileName('CON')).toBe('CON_');
    expect(safeFileName('nul.txt')).toBe('nul_.txt');
    expect(safeFileName('com1')).toBe('com1_');
    expect(safeFileName('Console')).toBe('Console');
    expect(safeFileName('.hidden')).toBe('hidden');
    expect(safeFileName(' ?* ')).toBe('');
    expect(safeFileName('x'.repeat(300)).length).toBe(120);
  });

  it('names the disc files after the CD-Text title, else the fileset folder, and keeps them apart from track files', () => {
    const disc: Disc = {
      tracks: [{ number: 1, indexes: [{ number: 1, frame: 150 }], flags: { copyPermitted: false, preEmphasis: false, scms: false } }],
      leadOut: 600,
      spans: [],
    };
    expect(extractPlan(disc, 'CAT-0042', { single: true }).cues.map((c) => c.name)).toEqual(['CAT-0042.cue', 'CAT-0042 (image).cue']);
    expect(extractPlan(disc, 'A:B').name).toBe('A-B');
    expect(extractPlan(disc, '').name).toBe('Disc');
    const clash: Disc = { ...disc, cdText: { language: 'en', disc: { title: '01 - Track 01' }, tracks: [{}] } };
    expect(extractPlan(clash, 'x', { single: true }).wavs.map((w) => w.name)).toEqual(['01 - Track 01.wav', '01 - Track 01 (disc).wav']);
  });
});

describe('cueSheet', () => {
  const flags = { copyPermitted: false, preEmphasis: false, scms: false };
  const disc: Disc = {
    tracks: [
      { number: 1, indexes: [{ number: 0, frame: 0 }, { number: 1, frame: 225 }], flags },
      { number: 2, indexes: [{ number: 0, frame: 600 }, { number: 1, frame: 650 }], flags },
    ],
    leadOut: 1000,
    spans: [],
  };

  it('asks for the part of a disc pregap over 2 seconds with PREGAP when the files start at index 01', () => {
    const plan = extractPlan(disc, 'd');
    expect(plan.cues[0]!.text).toBe(
      [
        'FILE "01 - Track 01.wav" WAVE',
        '  TRACK 01 AUDIO',
        '    PREGAP 00:01:00',
        '    INDEX 01 00:00:00',
        '  TRACK 02 AUDIO',
        '    INDEX 00 00:05:00',
        'FILE "02 - Track 02.wav" WAVE',
        '    INDEX 01 00:00:00',
        '',
      ].join('\n'),
    );
  });

  it('keeps the whole pregap in the file with withPregap', () => {
    const plan = extractPlan(disc, 'd', { withPregap: true });
    expect(plan.wavs.map((w) => [w.startFrame, w.frames])).toEqual([
      [0, 600],
      [600, 400],
    ]);
    expect(cueSheet(disc, plan.wavs)).toBe(
      [
        'FILE "01 - Track 01.wav" WAVE',
        '  TRACK 01 AUDIO',
        '    INDEX 00 00:00:00',
        '    INDEX 01 00:03:00',
        'FILE "02 - Track 02.wav" WAVE',
        '  TRACK 02 AUDIO',
        '    INDEX 00 00:00:00',
        '    INDEX 01 00:00:50',
        '',
      ].join('\n'),
    );
  });
});
