import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { wavHeader } from '../../src/audio/wav-writer.js';
import { importCue } from '../../src/cue/import.js';
import { DdpkitError, formatProblem, type Problem } from '../../src/errors.js';
import { planDisc } from '../../src/plan.js';

const FRAME = 588;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ddpkit-cue-import-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Writes a 16-bit stereo 44.1 kHz WAV of `frames` CD frames (plus `extra` samples); `silent` frame ranges are zero. */
function wav(name: string, frames: number, silent: [number, number][] = [], extra = 0): void {
  const samples = frames * FRAME + extra;
  const data = Buffer.alloc(samples * 4);
  for (let i = 0; i < samples; i++) {
    const frame = Math.floor(i / FRAME);
    if (silent.some(([a, b]) => frame >= a && frame < b)) continue;
    const v = ((i * 13) % 20000) - 10000 || 1;
    data.writeInt16LE(v, i * 4);
    data.writeInt16LE(-v, i * 4 + 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(2, 22);
  header.writeUInt32LE(44100, 24);
  header.writeUInt32LE(44100 * 4, 28);
  header.writeUInt16LE(4, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(data.length, 40);
  writeFileSync(path.join(dir, name), Buffer.concat([header, data]));
}

function cue(text: string, name = 'album.cue', encoding: BufferEncoding = 'utf8'): string {
  const file = path.join(dir, name);
  writeFileSync(file, Buffer.from(text, encoding));
  return file;
}

/** Imports, writes the manifest next to the cue, lays out its disc, and returns the YAML and each track's index frames. */
async function importAndPlan(cuePath: string): Promise<{ yaml: string; problems: Problem[]; indexes: Record<number, number>[]; leadOut: number }> {
  const { yaml, problems } = await importCue(cuePath);
  const manifest = path.join(dir, 'album.yaml');
  writeFileSync(manifest, yaml);
  const plan = await planDisc(manifest);
  expect(plan.problems.filter((p) => p.severity === 'error').map(formatProblem)).toEqual([]);
  const disc = plan.disc!;
  return { yaml, problems, indexes: disc.tracks.map((t) => Object.fromEntries(t.indexes.map((x) => [x.number, x.frame]))), leadOut: disc.leadOut };
}

/** The printed problems of an import that fails. */
async function failure(cuePath: string): Promise<string[]> {
  try {
    await importCue(cuePath);
  } catch (err) {
    if (err instanceof DdpkitError) return err.problems.map((p) => formatProblem({ ...p, file: path.basename(p.file ?? '') }));
    throw err;
  }
  throw new Error('the import did not fail');
}

describe('importCue: one continuous file', () => {
  it('cuts tracks from the file at INDEX 01 with gap 0, pregap from INDEX 00, and keeps every index time (+ the 2 s pregap)', async () => {
    wav('album.wav', 4500);
    const cuePath = cue(`REM DATE 2026
CATALOG 5012345678900
PERFORMER "The Examples"
TITLE "Northern Lights"
FILE "album.wav" WAVE
  TRACK 01 AUDIO
    TITLE "Dawn"
    PERFORMER "The Examples"
    ISRC GBAYE2600001
    INDEX 01 00:00:00
  TRACK 02 AUDIO
    TITLE "Noon: Part 2"
    PERFORMER "Guest"
    FLAGS DCP PRE
    ISRC GBAYE2600002
    INDEX 00 00:18:00
    INDEX 01 00:20:00
  TRACK 03 AUDIO
    TITLE "Dusk"
    FLAGS SCMS
    INDEX 01 00:40:00
    INDEX 02 00:50:00
`);
    const { yaml, problems, indexes, leadOut } = await importAndPlan(cuePath);
    expect(yaml).toBe(`# Imported by ddpkit from album.cue.
version: 1
album:
  title: Northern Lights
  performer: The Examples
  upc: "5012345678900"
tracks:
  - file: album.wav
    end: "00:20:00"
    gap: "00:02:00"
    title: Dawn
    isrc: GBAYE2600001
  - file: album.wav
    start: "00:20:00"
    end: "00:40:00"
    gap: 0
    pregap: "00:02:00"
    title: "Noon: Part 2"
    performer: Guest
    isrc: GBAYE2600002
    copy_permitted: true
    pre_emphasis: true
  - file: album.wav
    start: "00:40:00"
    gap: 0
    indexes: ["00:10:00"]
    title: Dusk
    scms: true
`);
    expect(problems).toEqual([]);
    // A burner puts the FILE's first frame at 00:02:00: every cue time + 150 frames.
    expect(indexes).toEqual([{ 0: 0, 1: 150 }, { 0: 1350 + 150, 1: 1500 + 150 }, { 1: 3000 + 150, 2: 3750 + 150 }]);
    expect(leadOut).toBe(4500 + 150);
  });

  it('turns PREGAP and POSTGAP into gaps; PREGAP silence is index 00', async () => {
    wav('album.wav', 2250);
    const cuePath = cue(`FILE album.wav WAVE
TRACK 01 AUDIO
  PREGAP 00:01:00
  INDEX 01 00:00:00
  POSTGAP 00:01:00
TRACK 02 AUDIO
  PREGAP 00:02:00
  INDEX 01 00:10:00
TRACK 03 AUDIO
  INDEX 00 00:19:00
  INDEX 01 00:20:00
  POSTGAP 00:03:00
`);
    const { yaml, problems, indexes, leadOut } = await importAndPlan(cuePath);
    expect(yaml).toBe(`# Imported by ddpkit from album.cue.
version: 1
tracks:
  - file: album.wav
    end: "00:10:00"
    gap: "00:03:00"
  - file: album.wav
    start: "00:10:00"
    end: "00:20:00"
    gap: "00:03:00"
    pregap: "00:02:00"
  - file: album.wav
    start: "00:20:00"
    gap: 0
    pregap: "00:01:00"
`);
    expect(problems.map(formatProblem)).toEqual([`${cuePath}:12:1: warning: 00:03:00 of silence after the last track's audio is not kept: the disc ends with the last track`]);
    // Timeline: 150 (burner) + 75 (PREGAP 1) + 750 track 1 + 75 (POSTGAP 1) + 150 (PREGAP 2) + 750 + 750.
    expect(indexes).toEqual([{ 0: 0, 1: 225 }, { 0: 1050, 1: 1200 }, { 0: 1875, 1: 1950 }]);
    expect(leadOut).toBe(2700);
  });

  it('makes audio before track 1\'s INDEX 01 a hidden track, after the 2 s gap', async () => {
    wav('album.wav', 1500);
    const cuePath = cue('FILE album.wav WAVE\nTRACK 01 AUDIO\nINDEX 00 00:00:00\nINDEX 01 00:05:00\nTRACK 02 AUDIO\nINDEX 01 00:12:00\n');
    const { yaml, indexes } = await importAndPlan(cuePath);
    expect(yaml).toBe(`# Imported by ddpkit from album.cue.
version: 1
album:
  hidden_track:
    file: album.wav
    end: "00:05:00"
tracks:
  - file: album.wav
    start: "00:05:00"
    end: "00:12:00"
    gap: "00:02:00"
  - file: album.wav
    start: "00:12:00"
    gap: 0
`);
    expect(indexes).toEqual([{ 0: 0, 1: 525 }, { 1: 1050 }]);
  });

  it('folds digital silence before track 1\'s INDEX 01 into its gap, after the 2 s gap', async () => {
    wav('album.wav', 1500, [[0, 150]]);
    const cuePath = cue('FILE album.wav WAVE\nTRACK 01 AUDIO\nINDEX 00 00:00:00\nINDEX 01 00:01:00\nTRACK 02 AUDIO\nINDEX 01 00:12:00\n');
    const { yaml, indexes } = await importAndPlan(cuePath);
    expect(yaml).toContain('tracks:\n  - file: album.wav\n    start: "00:01:00"\n    end: "00:12:00"\n    gap: "00:03:00"\n');
    expect(yaml).not.toContain('hidden_track');
    expect(indexes).toEqual([{ 0: 0, 1: 225 }, { 1: 1050 }]);
  });

  it('keeps the burner convention when sound starts inside the first 2 seconds: the whole head is the hidden track', async () => {
    wav('album.wav', 1500, [[0, 100]]);
    const cuePath = cue('FILE album.wav WAVE\nTRACK 01 AUDIO\nINDEX 00 00:00:00\nINDEX 01 00:05:00\nTRACK 02 AUDIO\nINDEX 01 00:12:00\n');
    const { yaml, indexes } = await importAndPlan(cuePath);
    expect(yaml).toContain('album:\n  hidden_track:\n    file: album.wav\n    end: "00:05:00"\ntracks:\n  - file: album.wav\n    start: "00:05:00"\n    end: "00:12:00"\n    gap: "00:02:00"\n');
    expect(indexes).toEqual([{ 0: 0, 1: 525 }, { 1: 1050 }]);
  });
});

describe('importCue: a file that holds the disc pregap (ddpkit\'s own sheets)', () => {
  it('puts file frame 0 at disc frame 0 when INDEX 01 is at 00:02:00 or later after 150 silent frames', async () => {
    wav('image.wav', 1500, [[0, 150]]);
    const cuePath = cue('FILE image.wav WAVE\n  TRACK 01 AUDIO\n    INDEX 00 00:00:00\n    INDEX 01 00:02:00\n  TRACK 02 AUDIO\n    INDEX 00 00:10:00\n    INDEX 01 00:12:00\n');
    const { yaml, problems, indexes, leadOut } = await importAndPlan(cuePath);
    expect(yaml).toBe(`# Imported by ddpkit from album.cue.
version: 1
tracks:
  - file: image.wav
    start: "00:02:00"
    end: "00:12:00"
    gap: "00:02:00"
  - file: image.wav
    start: "00:12:00"
    gap: 0
    pregap: "00:02:00"
`);
    expect(problems).toEqual([]);
    // The cue times are the disc's times.
    expect(indexes).toEqual([{ 0: 0, 1: 150 }, { 0: 750, 1: 900 }]);
    expect(leadOut).toBe(1500);
  });

  it('makes the silent head track 1\'s gap and the sound after it, up to INDEX 01, the hidden track on the same frames', async () => {
    wav('image.wav', 1500, [[0, 200]]);
    const cuePath = cue('FILE image.wav WAVE\nTRACK 01 AUDIO\nINDEX 00 00:00:00\nINDEX 01 00:06:00\nTRACK 02 AUDIO\nINDEX 01 00:12:00\n');
    const { yaml, indexes, leadOut } = await importAndPlan(cuePath);
    expect(yaml).toBe(`# Imported by ddpkit from album.cue.
version: 1
album:
  hidden_track:
    file: image.wav
    start: "00:02:50"
    end: "00:06:00"
tracks:
  - file: image.wav
    start: "00:06:00"
    end: "00:12:00"
    gap: "00:02:50"
  - file: image.wav
    start: "00:12:00"
    gap: 0
`);
    expect(indexes).toEqual([{ 0: 0, 1: 450 }, { 1: 900 }]);
    expect(leadOut).toBe(1500);
  });

  it('starts the hidden track on the frame where its sound starts', async () => {
    wav('image.wav', 1500, [[0, 200]]);
    // Zero the first 100 samples of frame 200 too: the hidden track still starts at frame 200.
    const file = path.join(dir, 'image.wav');
    const bytes = readFileSync(file);
    bytes.fill(0, 44 + 200 * FRAME * 4, 44 + (200 * FRAME + 100) * 4);
    writeFileSync(file, bytes);
    const { yaml, indexes } = await importAndPlan(cue('FILE image.wav WAVE\nTRACK 01 AUDIO\nINDEX 01 00:06:00\nTRACK 02 AUDIO\nINDEX 01 00:12:00\n'));
    expect(yaml).toContain('  hidden_track:\n    file: image.wav\n    start: "00:02:50"\n    end: "00:06:00"\n');
    expect(indexes).toEqual([{ 0: 0, 1: 450 }, { 1: 900 }]);
  });
});

describe('importCue: one FILE per track', () => {
  it('reads EAC "gaps appended": INDEX 00 in the previous file becomes a pregap reaching back, gap 0', async () => {
    wav('01 Dawn.wav', 900);
    wav('02 Noon.wav', 600);
    const cuePath = cue(`FILE "01 Dawn.wav" WAVE
  TRACK 01 AUDIO
    INDEX 01 00:00:00
  TRACK 02 AUDIO
    INDEX 00 00:10:00
FILE "02 Noon.wav" WAVE
    INDEX 01 00:00:00
`);
    const { yaml, indexes } = await importAndPlan(cuePath);
    expect(yaml).toBe(`# Imported by ddpkit from album.cue.
version: 1
tracks:
  - file: "01 Dawn.wav"
    gap: "00:02:00"
  - file: "02 Noon.wav"
    gap: 0
    pregap: "00:02:00"
`);
    expect(indexes).toEqual([{ 0: 0, 1: 150 }, { 0: 900, 1: 1050 }]);
  });

  it('reads "gaps prepended" when the pregap in the next file is digital silence: it becomes the gap', async () => {
    wav('a.wav', 900);
    wav('b.wav', 675, [[0, 75]]);
    const cuePath = cue('FILE a.wav WAVE\nTRACK 01 AUDIO\nINDEX 01 00:00:00\nFILE b.wav WAVE\nTRACK 02 AUDIO\nINDEX 00 00:00:00\nINDEX 01 00:01:00\n');
    const { yaml, indexes } = await importAndPlan(cuePath);
    expect(yaml).toContain('  - file: b.wav\n    start: "00:01:00"\n    gap: "00:01:00"\n');
    expect(yaml).not.toContain('pregap');
    expect(indexes).toEqual([{ 0: 0, 1: 150 }, { 0: 1050, 1: 1125 }]);
  });

  it('gives `pregap: 0` to a track with a gap but no index 00', async () => {
    wav('a.wav', 900);
    wav('b.wav', 600);
    const cuePath = cue('FILE a.wav WAVE\nTRACK 01 AUDIO\nINDEX 01 00:00:00\nPOSTGAP 00:02:00\nFILE b.wav WAVE\nTRACK 02 AUDIO\nINDEX 01 00:00:00\n');
    const { yaml, indexes } = await importAndPlan(cuePath);
    expect(yaml).toContain('  - file: b.wav\n    gap: "00:02:00"\n    pregap: 0\n');
    expect(indexes).toEqual([{ 0: 0, 1: 150 }, { 1: 1200 }]);
  });

  it('joins a file that is not whole frames long sample-continuously, with a warning', async () => {
    wav('a.wav', 900, [], 100);
    wav('b.wav', 600);
    const cuePath = cue('FILE a.wav WAVE\nTRACK 01 AUDIO\nINDEX 01 00:00:00\nFILE b.wav WAVE\nTRACK 02 AUDIO\nINDEX 01 00:00:00\n');
    const { yaml, problems } = await importAndPlan(cuePath);
    expect(yaml).toContain('  - file: b.wav\n    gap: 0\n');
    expect(problems.map(formatProblem)).toEqual([
      `${cuePath}:1:1: warning: "a.wav" is not a whole number of CD frames long; track 2 follows it without the silence a burner would pad it with (index points move by less than a frame)`,
    ]);
  });

  it('refuses a pregap that holds audio from the next file (it cannot be laid out)', async () => {
    wav('a.wav', 900);
    wav('b.wav', 675);
    const cuePath = cue('FILE a.wav WAVE\nTRACK 01 AUDIO\nINDEX 01 00:00:00\nFILE b.wav WAVE\nTRACK 02 AUDIO\nINDEX 00 00:00:00\nINDEX 01 00:01:00\n');
    expect(await failure(cuePath)).toEqual([
      `album.cue:4:1: TRACK 01 plays "a.wav" and then audio from "b.wav" before TRACK 02's INDEX 01 (line 7) that is not digital silence; a manifest track takes its audio from one file, followed only by silence (join the files, or rip with gaps appended to the previous track)`,
    ]);
  });
});

describe('importCue: what a disc cannot be is refused, naming the line', () => {
  it('MP3 and AIFF files, with what to do instead', async () => {
    wav('x.wav', 900);
    const cuePath = cue('FILE "x.wav" WAVE\nTRACK 01 AUDIO\nINDEX 01 00:00:00\nFILE "y.mp3" MP3\nTRACK 02 AUDIO\nINDEX 01 00:00:00\nFILE "z.aiff" AIFF\nTRACK 03 AUDIO\nINDEX 01 00:00:00\n');
    expect(await failure(cuePath)).toEqual([
      'album.cue:4:1: FILE "y.mp3" MP3: MP3 is lossy and cannot be the source of a CD master; use the original WAV',
      'album.cue:7:1: FILE "z.aiff" AIFF: AIFF is not a manifest source; convert it to WAV (e.g. `sox "z.aiff" "z.wav"`) and name that as WAVE',
    ]);
  });

  it('raw files that are not whole 4-byte samples or too big for a WAV, and writes no copy when the import fails', async () => {
    writeFileSync(path.join(dir, 'odd.bin'), Buffer.alloc(900 * 2352 + 2));
    writeFileSync(path.join(dir, 'huge.bin'), '');
    truncateSync(path.join(dir, 'huge.bin'), 2 ** 32 + 4); // sparse: nothing is read before the size check
    writeFileSync(path.join(dir, 'ok.bin'), raw(900));
    const cuePath = cue('FILE "ok.bin" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\nFILE "odd.bin" BINARY\nTRACK 02 AUDIO\nINDEX 01 00:00:00\nFILE "huge.bin" MOTOROLA\nTRACK 03 AUDIO\nINDEX 01 00:00:00\n');
    expect(await failure(cuePath)).toEqual([
      'album.cue:4:1: FILE "odd.bin" BINARY is 2116802 bytes, not a whole number of 4-byte samples: raw CD audio is 16-bit little-endian stereo',
      'album.cue:7:1: FILE "huge.bin" MOTOROLA is 4294967300 bytes, more than a WAV file can hold (4294967258 bytes, 4 GiB), and far more than a CD',
    ]);
    expect(readdirSync(dir).filter((n) => n.endsWith('.wav'))).toEqual([]);
  });

  it('a data track, a missing WAV, the same FILE twice, an INDEX past the end of its file', async () => {
    wav('a.wav', 900);
    const cuePath = cue('FILE a.wav WAVE\nTRACK 01 MODE1/2352\nINDEX 01 00:00:00\nFILE missing.wav WAVE\nTRACK 02 AUDIO\nINDEX 01 00:00:00\nFILE a.wav WAVE\nTRACK 03 AUDIO\nINDEX 01 00:00:00\n');
    const problems = await failure(cuePath);
    expect(problems[0]).toMatch(/^album\.cue:4:1: FILE "missing\.wav": .*missing\.wav/);
    expect(problems.slice(1)).toEqual([
      'album.cue:7:1: FILE "a.wav" is named again (first on line 1): a cue sheet plays each FILE from its start, so the same audio would be on the disc twice',
      'album.cue:2:1: TRACK 01 is a MODE1/2352 data track; an audio CD has AUDIO tracks only',
    ]);
    wav('b.wav', 900);
    expect(await failure(cue('FILE b.wav WAVE\nTRACK 01 AUDIO\nINDEX 01 00:00:00\nTRACK 02 AUDIO\nINDEX 01 00:12:01\n'))).toEqual([
      'album.cue:5:1: INDEX 01 at 00:12:01 is past the end of "b.wav" (line 1), which is 00:12:00 long',
    ]);
  });

  it('INDEX going backwards and other sheet errors stop the import with every problem', async () => {
    const cuePath = cue('FILE a.wav WAVE\nTRACK 01 AUDIO\nINDEX 01 00:10:00\nTRACK 02 AUDIO\nINDEX 01 00:05:00\n');
    await expect(importCue(cuePath)).rejects.toThrow(`${cuePath}: 2 problems stop the import`);
    expect(await failure(cuePath)).toEqual([
      'album.cue:5:1: INDEX 01 at 00:05:00 goes backwards from the INDEX at 00:10:00 on line 3; times in a FILE must increase',
      'album.cue:4:1: TRACK 02 has no INDEX 01',
    ]);
  });

  it('DCP with SCMS', async () => {
    wav('a.wav', 900);
    expect(await failure(cue('FILE a.wav WAVE\nTRACK 01 AUDIO\nFLAGS DCP SCMS\nINDEX 01 00:00:00\n'))).toEqual([
      'album.cue:3:1: warning: DCP and SCMS exclude each other (copy permitted, or serial copy management)',
      'album.cue:3:1: FLAGS DCP and SCMS exclude each other: a track is copy permitted or under serial copy management',
    ]);
  });

  it('a missing cue sheet', async () => {
    await expect(importCue(path.join(dir, 'nope.cue'))).rejects.toThrow(`${path.join(dir, 'nope.cue')}: cannot read the cue sheet (no such file)`);
  });
});

/** Raw 16-bit little-endian stereo bytes of `frames` CD frames (as IMAGE.DAT); frames [0, silentHead) are zero. */
function raw(frames: number, silentHead = 0): Buffer {
  const data = Buffer.alloc(frames * FRAME * 4);
  for (let i = silentHead * FRAME; i < frames * FRAME; i++) {
    const v = ((i * 7) % 30000) - 15000 || 1;
    data.writeInt16LE(v, i * 4);
    data.writeInt16LE(-v, i * 4 + 2);
  }
  return data;
}

describe('importCue: BINARY and MOTOROLA files become WAV copies', () => {
  it('copies a BINARY image into a WAV beside the manifest and names it (IMAGE.DAT holds the disc pregap)', async () => {
    mkdirSync(path.join(dir, 'FILESET'));
    const image = raw(1200, 150);
    writeFileSync(path.join(dir, 'FILESET', 'IMAGE.DAT'), image);
    const cuePath = cue('FILE "FILESET/IMAGE.DAT" BINARY\n  TRACK 01 AUDIO\n    INDEX 00 00:00:00\n    INDEX 01 00:02:00\n  TRACK 02 AUDIO\n    INDEX 00 00:08:00\n    INDEX 01 00:10:00\n', 'IMAGE.cue');
    const { yaml, problems, wavCopies } = await importCue(cuePath);
    expect(yaml).toBe(`# Imported by ddpkit from IMAGE.cue.
version: 1
tracks:
  - file: IMAGE.wav
    start: "00:02:00"
    end: "00:10:00"
    gap: "00:02:00"
  - file: IMAGE.wav
    start: "00:10:00"
    gap: 0
    pregap: "00:02:00"
`);
    expect(problems).toEqual([]);
    const copy = path.join(dir, 'IMAGE.wav');
    expect(wavCopies).toEqual([{ from: path.join(dir, 'FILESET', 'IMAGE.DAT'), to: copy }]);
    expect(readFileSync(copy).equals(Buffer.concat([wavHeader(image.length), image]))).toBe(true);
    writeFileSync(path.join(dir, 'album.yaml'), yaml);
    const disc = (await planDisc(path.join(dir, 'album.yaml'))).disc!;
    expect(disc.tracks.map((t) => t.indexes)).toEqual([
      [{ number: 0, frame: 0 }, { number: 1, frame: 150 }],
      [{ number: 0, frame: 600 }, { number: 1, frame: 750 }],
    ]);
    expect(disc.leadOut).toBe(1200);
  });

  it('byte-swaps MOTOROLA into the WAV copy, in the manifest\'s folder, under the burner convention when sound starts at once', async () => {
    const little = raw(600);
    writeFileSync(path.join(dir, 'm.raw'), Buffer.from(little).swap16());
    const cuePath = cue('FILE m.raw MOTOROLA\nTRACK 01 AUDIO\nINDEX 01 00:00:00\n');
    const manifestDir = path.join(dir, 'out');
    const { yaml, wavCopies } = await importCue(cuePath, { manifestDir });
    expect(yaml).toContain('tracks:\n  - file: m.wav\n    gap: "00:02:00"\n');
    expect(wavCopies).toEqual([{ from: path.join(dir, 'm.raw'), to: path.join(manifestDir, 'm.wav') }]);
    expect(readFileSync(path.join(manifestDir, 'm.wav')).equals(Buffer.concat([wavHeader(little.length), little]))).toBe(true);
  });

  it('keeps an identical copy, never overwrites a different file of that name, and never the raw file itself', async () => {
    writeFileSync(path.join(dir, 'a.bin'), raw(600));
    const cuePath = cue('FILE a.bin BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\n');
    const first = await importCue(cuePath);
    const inode = statSync(path.join(dir, 'a.wav')).ino;
    const again = await importCue(cuePath);
    expect(again.wavCopies).toEqual(first.wavCopies);
    expect(again.problems).toEqual([]);
    expect(statSync(path.join(dir, 'a.wav')).ino).toBe(inode); // not written again (a new copy is renamed into place)

    writeFileSync(path.join(dir, 'a.wav'), 'something else');
    const other = await importCue(cuePath);
    expect(other.yaml).toContain('  - file: a-2.wav\n');
    expect(other.wavCopies).toEqual([{ from: path.join(dir, 'a.bin'), to: path.join(dir, 'a-2.wav') }]);
    expect(readFileSync(path.join(dir, 'a.wav'), 'latin1')).toBe('something else');
    expect(other.problems.map((p) => formatProblem({ ...p, file: 'album.cue' }))).toEqual([
      'album.cue:1:1: warning: "a.wav" already exists with other content; the WAV copy of "a.bin" is written as "a-2.wav"',
    ]);

    // Raw data in a file called .wav: its copy gets the next name.
    writeFileSync(path.join(dir, 'b.wav'), raw(600));
    const named = await importCue(cue('FILE b.wav BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\n'));
    expect(named.wavCopies).toEqual([{ from: path.join(dir, 'b.wav'), to: path.join(dir, 'b-2.wav') }]);
    expect(readFileSync(path.join(dir, 'b.wav')).equals(raw(600))).toBe(true);
    expect(existsSync(path.join(dir, 'b-2.wav'))).toBe(true);
  });

  it('warns about a WAV file named as BINARY and reads it raw, as a burner would', async () => {
    wav('w.wav', 600);
    const { problems } = await importCue(cue('FILE w.wav BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\n'));
    expect(problems.map((p) => formatProblem({ ...p, file: 'album.cue' }))).toEqual([
      'album.cue:1:1: warning: FILE "w.wav" BINARY starts with a WAV header; it is read as raw little-endian samples, as a burner would, header included (if it is a WAV file, name it as WAVE)',
      'album.cue:1:1: warning: "w.wav" already exists with other content; the WAV copy of "w.wav" is written as "w-2.wav"',
    ]);
  });
});

describe('importCue: text, codes and warnings', () => {
  it('reads a Windows-1252 sheet, quotes YAML strings that need it, drops a zero catalog and a malformed ISRC', async () => {
    wav('a.wav', 900);
    const cuePath = cue(
      'CATALOG 0000000000000\nCDTEXTFILE "a.cdt"\nTITLE "Café: 2001"\nPERFORMER "true"\nFILE a.wav WAVE\nTRACK 01 AUDIO\nTITLE "1999"\nPERFORMER "Zoë #1"\nSONGWRITER "it\'s a\\b"\nISRC 000000000000\nFLAGS 4CH\nINDEX 01 00:00:00\n',
      'album.cue',
      'latin1',
    );
    const { yaml, problems } = await importCue(cuePath);
    expect(yaml).toBe(`# Imported by ddpkit from album.cue.
version: 1
album:
  title: "Café: 2001"
  performer: "true"
tracks:
  - file: a.wav
    gap: "00:02:00"
    title: "1999"
    performer: "Zoë #1"
    songwriter: "it's a\\\\b"
`);
    expect(parseYaml(yaml)).toEqual({
      version: 1,
      album: { title: 'Café: 2001', performer: 'true' },
      tracks: [{ file: 'a.wav', gap: '00:02:00', title: '1999', performer: 'Zoë #1', songwriter: "it's a\\b" }],
    });
    expect(problems.map((p) => formatProblem({ ...p, file: 'album.cue' }))).toEqual([
      'album.cue:10:1: warning: ISRC "000000000000" is not 12 characters CCXXXYYNNNNN (2 letters, 3 letters or digits, 7 digits)',
      'album.cue:1:1: warning: CATALOG 0000000000000 means "no catalog number"; no upc is written',
      'album.cue:2:1: warning: CDTEXTFILE is not imported; CD-Text comes from the TITLE, PERFORMER and SONGWRITER lines',
      'album.cue:11:1: warning: FLAGS 4CH is not imported: ddpkit makes two-channel discs',
    ]);
  });

  it('warns about a catalog number with a wrong check digit and still writes it', async () => {
    wav('a.wav', 900);
    const { yaml, problems } = await importCue(cue('CATALOG 5012345678901\nFILE a.wav WAVE\nTRACK 01 AUDIO\nINDEX 01 00:00:00\n'));
    expect(yaml).toContain('  upc: "5012345678901"\n');
    expect(problems.map((p) => p.message)).toEqual(['CATALOG 5012345678901 has a wrong check digit (it should end in 0); the manifest will refuse it until it is corrected']);
  });

  it('keeps paths as the sheet has them, with backslashes turned into slashes', async () => {
    mkdirSync(path.join(dir, 'audio'));
    wav('audio/a.wav', 900);
    const { yaml } = await importCue(cue('FILE "audio\\a.wav" WAVE\nTRACK 01 AUDIO\nINDEX 01 00:00:00\n'));
    expect(yaml).toContain('  - file: audio/a.wav\n');
  });

  it('makes paths relative to the manifest\'s folder when it is written elsewhere', async () => {
    wav('a.wav', 900);
    const cuePath = cue('FILE a.wav WAVE\nTRACK 01 AUDIO\nINDEX 01 00:00:00\n');
    expect((await importCue(cuePath, { manifestDir: path.join(dir, 'manifests', 'v1') })).yaml).toContain('  - file: "../../a.wav"\n');
    expect((await importCue(cuePath, { manifestDir: dir })).yaml).toContain('  - file: a.wav\n');
  });
});
