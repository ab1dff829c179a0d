// The "done when": manifest → build → cue → import → build gives the identical IMAGE.DAT and the
// same PQ times; and a sheet with one WAVE FILE per track builds to the index times it describes.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../src/build.js';
import { cueBytes, writeCue } from '../../src/cue/cue-writer.js';
import { importCue } from '../../src/cue/import.js';
import type { Disc } from '../../src/disc/model.js';
import { AlbumDir, sec, wavBytes } from '../helpers/album.js';

const FRAME = 588;

let dir: AlbumDir;
beforeEach(() => {
  dir = new AlbumDir();
});
afterEach(() => {
  dir.remove();
});

/** Builds the manifest, writes its cue sheet beside the fileset, imports that, and builds the import. */
async function roundTrip(manifest: string): Promise<{ first: BuildResult; second: BuildResult; yaml: string; wavCopies: { from: string; to: string }[] }> {
  const first = await build(dir.manifest(manifest), dir.path('out/FILESET'));
  const cuePath = dir.path('out/IMAGE.cue');
  writeFileSync(cuePath, cueBytes(writeCue(first.disc, { imageFile: 'FILESET/IMAGE.DAT' })));
  const { yaml, problems, wavCopies } = await importCue(cuePath);
  expect(problems).toEqual([]);
  const imported = dir.path('out/album.yaml');
  writeFileSync(imported, yaml);
  const second = await build(imported, dir.path('again/FILESET'));
  return { first, second, yaml, wavCopies };
}

/** What the PQ subcode, DDPMS and CD-Text carry: index frames, ISRCs, flags, UPC, CD-Text and length. */
function pqOf(disc: Disc): unknown {
  return { tracks: disc.tracks, leadOut: disc.leadOut, upc: disc.upc, cdText: disc.cdText };
}

/** Asserts the two builds made the same disc: image byte for byte (MD5), PQ times, codes, flags, CD-Text, every fileset file. */
function expectSameDisc(first: BuildResult, second: BuildResult): void {
  expect(second.imageMd5).toBe(first.imageMd5);
  expect(pqOf(second.disc)).toEqual(pqOf(first.disc));
  expect(second.files.map((f) => [f.name, f.md5])).toEqual(first.files.map((f) => [f.name, f.md5]));
}

describe('round trip: manifest → build → cue → import → build', () => {
  it('gives the identical image and PQ for gaps, a gapless odd-sample join, a crossfade, index 02, codes, flags and CD-Text', async () => {
    dir.wav('a.wav', { samples: sec(5) + 7 }, 1);
    dir.wav('b.wav', { samples: sec(6) + 13 }, 2);
    dir.wav('c.wav', { samples: sec(5) + 3 }, 3);
    dir.wav('d.wav', { samples: sec(5) }, 4);
    const { first, second, yaml, wavCopies } = await roundTrip(`
      version: 1
      album:
        title: Round Trip
        performer: The Examples
        songwriter: A. Writer
        upc: "5012345678900"
      tracks:
        - file: a.wav
          title: One
          isrc: GBAYE2600001
          copy_permitted: true
        - file: b.wav
          title: Two
          performer: Guest
          isrc: GBAYE2600002
          gap: 2s
          indexes: ["00:03:00"]
          pre_emphasis: true
        - file: c.wav
          title: Three
          songwriter: B. Writer
          isrc: GBAYE2600003
          gap: 0
        - file: d.wav
          title: Four
          isrc: GBAYE2600004
          gap: 0
          crossfade: 0.5s
          copy_permitted: true
          pre_emphasis: true
    `);
    expectSameDisc(first, second);
    // What the first disc is, so the comparison above means something.
    const t = first.disc.tracks;
    const join = Math.ceil((88200 + sec(5) + 7) / FRAME) * FRAME + 150 * FRAME + sec(6) + 13;
    expect(t.map((x) => x.indexes.map((i) => i.number))).toEqual([[0, 1], [0, 1, 2], [1], [1]]);
    expect(t[2]!.indexes[0]!.frame).toBe(Math.floor(join / FRAME));
    expect(t[3]!.indexes[0]!.frame).toBe(Math.floor((join + sec(5) + 3 - sec(0.5)) / FRAME));
    expect(t.map((x) => x.isrc)).toEqual(['GBAYE2600001', 'GBAYE2600002', 'GBAYE2600003', 'GBAYE2600004']);
    expect(t.map((x) => [x.flags.copyPermitted, x.flags.preEmphasis])).toEqual([[true, false], [false, true], [false, false], [true, true]]);
    expect(first.disc.upc).toBe('5012345678900');
    expect(first.disc.cdText?.tracks.map((x) => [x.title, x.performer, x.songwriter])).toEqual([
      ['One', 'The Examples', undefined],
      ['Two', 'Guest', undefined],
      ['Three', 'The Examples', 'B. Writer'],
      ['Four', 'The Examples', undefined],
    ]);
    // The import reads IMAGE.DAT through its WAV copy, cut at the cue's INDEX 01 times.
    expect(wavCopies).toEqual([{ from: dir.path('out/FILESET/IMAGE.DAT'), to: dir.path('out/IMAGE.wav') }]);
    expect(yaml).toContain('tracks:\n  - file: IMAGE.wav\n    start: "00:02:00"\n');
    const image = readFileSync(dir.path('out/FILESET/IMAGE.DAT'));
    expect(readFileSync(dir.path('out/IMAGE.wav')).subarray(44).equals(image)).toBe(true);
  });

  it('keeps a hidden track in the pregap on the same frames', async () => {
    dir.wav('h.wav', { samples: sec(3) + 10 }, 5);
    dir.wav('a.wav', { samples: sec(5) }, 1);
    dir.wav('b.wav', { samples: sec(4.5) + 1 }, 2);
    const { first, second, yaml } = await roundTrip(`
      version: 1
      album:
        title: Hidden
        hidden_track: { file: h.wav }
      tracks:
        - { file: a.wav, title: First }
        - { file: b.wav, title: Second, gap: 1s }
    `);
    expectSameDisc(first, second);
    const index01 = 150 + Math.ceil((sec(3) + 10) / FRAME);
    expect(first.disc.tracks[0]!.indexes).toEqual([{ number: 0, frame: 0 }, { number: 1, frame: index01 }]);
    expect(yaml).toContain(`album:\n  title: Hidden\n  hidden_track:\n    file: IMAGE.wav\n    start: "00:02:00"\n    end: ${JSON.stringify(framesMsf(index01))}\ntracks:\n  - file: IMAGE.wav\n    start: ${JSON.stringify(framesMsf(index01))}\n`);
    expect(yaml).toContain('    gap: "00:02:00"\n');
  });

  it('keeps pq_offset: index 01 before the audio, inside the gap', async () => {
    dir.wav('a.wav', { samples: sec(5) + 100 }, 1);
    dir.wav('b.wav', { samples: sec(5) }, 2);
    dir.wav('c.wav', { samples: sec(5) + 1 }, 3);
    const { first, second } = await roundTrip(`
      version: 1
      defaults:
        pq_offset: 10f
      tracks:
        - file: a.wav
        - { file: b.wav, gap: 2s }
        - { file: c.wav, gap: 1s, pq_offset: 0.5s, pregap: 3s }
    `);
    expectSameDisc(first, second);
    const t = first.disc.tracks;
    const bStart = Math.ceil((88200 + sec(5) + 100) / FRAME) + 150;
    expect(t[1]!.indexes).toEqual([{ number: 0, frame: bStart - 150 }, { number: 1, frame: bStart - 10 }]);
    const cStart = bStart + Math.ceil(sec(5) / FRAME) + 75;
    expect(t[2]!.indexes).toEqual([{ number: 0, frame: cStart - 225 }, { number: 1, frame: cStart - 38 }]);
  });
});

describe('a cue sheet with one WAVE FILE per track', () => {
  it('builds to the index times it describes, each + 150 frames (the burner convention), with every file\'s samples in place', async () => {
    const spec = (frames: number, extra = 0, silentFrames = 0) => ({
      samples: frames * FRAME + extra,
      value: (i: number, ch: number) => (i < silentFrames * FRAME ? 0 : (((i * 17 + ch * 5 + frames) % 20000) - 10000 || 1)),
    });
    const files = [
      { name: '01 Dawn.wav', spec: spec(400) },
      { name: '02 Noon.wav', spec: spec(400) },
      { name: '03 Dusk.wav', spec: spec(475, 0, 75) },
      { name: '04 Night.wav', spec: spec(400, 101) },
    ];
    for (const f of files) dir.wav(f.name, f.spec);
    const cuePath = dir.path('album.cue');
    writeFileSync(
      cuePath,
      `REM GENRE Test
PERFORMER "The Examples"
TITLE "Per Track"
FILE "01 Dawn.wav" WAVE
  TRACK 01 AUDIO
    TITLE "Dawn"
    INDEX 01 00:00:00
FILE "02 Noon.wav" WAVE
  TRACK 02 AUDIO
    TITLE "Noon"
    ISRC GBAYE2600002
    PREGAP 00:02:00
    INDEX 01 00:00:00
FILE "03 Dusk.wav" WAVE
  TRACK 03 AUDIO
    TITLE "Dusk"
    FLAGS DCP
    INDEX 00 00:00:00
    INDEX 01 00:01:00
    INDEX 02 00:03:00
  TRACK 04 AUDIO
    TITLE "Night"
    INDEX 00 00:05:00
FILE "04 Night.wav" WAVE
    INDEX 01 00:00:00
`,
    );
    const { yaml } = await importCue(cuePath);
    const manifest = dir.path('album.yaml');
    writeFileSync(manifest, yaml);
    const result = await build(manifest, dir.path('out/FILESET'));
    // Disc timeline: 150 (burner) | 01: 400 | PREGAP 150 | 02: 400 | 03: 475 | 04: 400 + 101 samples.
    const base = [150, 700, 1100, 1575];
    expect(result.disc.tracks.map((t) => t.indexes)).toEqual([
      [{ number: 0, frame: 0 }, { number: 1, frame: base[0]! + 0 }],
      [{ number: 0, frame: base[1]! - 150 }, { number: 1, frame: base[1]! + 0 }],
      [{ number: 0, frame: base[2]! + 0 }, { number: 1, frame: base[2]! + 75 }, { number: 2, frame: base[2]! + 225 }],
      [{ number: 0, frame: base[2]! + 375 }, { number: 1, frame: base[3]! + 0 }],
    ]);
    expect(result.disc.leadOut).toBe(base[3]! + 401);
    expect(result.disc.tracks.map((t) => [t.isrc, t.flags.copyPermitted])).toEqual([[undefined, false], ['GBAYE2600002', false], [undefined, true], [undefined, false]]);
    expect(result.disc.cdText?.disc).toEqual({ title: 'Per Track', performer: 'The Examples' });
    expect(result.disc.cdText?.tracks.map((t) => t.title)).toEqual(['Dawn', 'Noon', 'Dusk', 'Night']);
    // Every file's samples sit at its place on the timeline; everything else is digital silence.
    const image = readFileSync(path.join(dir.path('out/FILESET'), 'IMAGE.DAT'));
    const covered = Buffer.alloc(image.length);
    files.forEach((f, i) => {
      const data = wavBytes(f.spec).subarray(44);
      const start = base[i]! * FRAME * 4;
      expect(image.subarray(start, start + data.length).equals(data)).toBe(true);
      covered.fill(1, start, start + data.length);
    });
    expect(image.every((b, k) => b === 0 || covered[k] === 1)).toBe(true);
  });
});

function framesMsf(frames: number): string {
  const ff = frames % 75;
  const s = Math.floor(frames / 75);
  return [Math.floor(s / 60), s % 60, ff].map((n) => n.toString().padStart(2, '0')).join(':');
}
