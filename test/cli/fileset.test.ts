// `ddpkit info` and `ddpkit extract` from the command line.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AlbumDir, sec, wavBytes } from '../helpers/album.js';
import { runCli } from './run.js';

let dir: AlbumDir;
beforeEach(() => {
  dir = new AlbumDir();
});
afterEach(() => {
  dir.remove();
});

async function fileset(): Promise<string> {
  dir.wav('a.wav', { samples: sec(5) });
  dir.wav('b.wav', { samples: sec(4) + 3 }, 2);
  const m = dir.manifest('version: 1\nalbum: { title: Disc, upc: "5012345678900" }\ntracks:\n  - { file: a.wav, title: One, isrc: GBAYE2600001 }\n  - { file: b.wav, title: "Two/Three", gap: 0 }\n');
  const out = dir.path('FILESET');
  expect((await runCli('build', '-q', m, '-o', out)).code).toBe(0);
  return out;
}

describe('ddpkit info', () => {
  it('lists the fileset as text and JSON', async () => {
    const out = await fileset();
    const r = await runCli('info', out);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out.split('\n').slice(0, 5)).toEqual(['DDP level     DDP 2.00', 'UPC/EAN       5012345678900', 'Master ID     none', 'Tracks        2', 'Total length  00:11:01 (826 frames)']);
    const json = JSON.parse((await runCli('info', '--json', out)).out) as { upc: string; tracks: { start: string; isrc: string | null; text: { title?: string } }[] };
    expect(json.upc).toBe('5012345678900');
    expect(json.tracks.map((t) => [t.start, t.isrc, t.text.title])).toEqual([
      ['00:02:00', 'GBAYE2600001', 'One'],
      ['00:07:00', null, 'Two/Three'],
    ]);
  });
});

describe('ddpkit extract', () => {
  it('writes one WAV per track with safe names, bit-identical to the sources', async () => {
    const out = await fileset();
    const wavs = dir.path('WAV');
    const r = await runCli('extract', '-q', out, '-o', wavs);
    expect(r).toEqual({ code: 0, out: '', err: '' });
    expect(readdirSync(wavs).sort()).toEqual(['01 - One.wav', '02 - Two-Three.wav', 'Disc.cue']);
    const one = readFileSync(path.join(wavs, '01 - One.wav'));
    expect(one.subarray(44).equals(wavBytes({ samples: sec(5) }).subarray(44))).toBe(true);
    // Track 2 runs to the lead-out: its source and then the silence that pads the last frame.
    const two = readFileSync(path.join(wavs, '02 - Two-Three.wav'));
    const source = wavBytes({ samples: sec(4) + 3 }, 2).subarray(44);
    expect(two.subarray(44, 44 + source.length).equals(source)).toBe(true);
    expect(two.subarray(44 + source.length).every((b) => b === 0)).toBe(true);
    expect((await runCli('extract', '-q', out, '-o', wavs)).code).toBe(1);
  });
});

describe('ddpkit extract options', () => {
  it('--with-pregap starts track 2 at its index 00 and --single adds the whole image', async () => {
    dir.wav('a.wav', { samples: sec(5) });
    dir.wav('b.wav', { samples: sec(4) }, 2);
    const m = dir.manifest('version: 1\ntracks:\n  - { file: a.wav, title: One }\n  - { file: b.wav, title: Two, gap: 1s }\n');
    const out = dir.path('FILESET');
    expect((await runCli('build', '-q', '--no-report', m, '-o', out)).code).toBe(0);
    const wavs = dir.path('WAV');
    expect((await runCli('extract', '-q', '--with-pregap', '--single', out, '-o', wavs)).code).toBe(0);
    const names = readdirSync(wavs).sort();
    expect(names.filter((n) => n.endsWith('.wav'))).toEqual(['01 - One.wav', '02 - Two.wav', 'FILESET.wav']);
    // Track 1 from frame 0 to track 2's index 00 (frame 525); track 2 from there (75 frames of gap) to the lead-out.
    const dataBytes = (name: string): number => readFileSync(path.join(wavs, name)).length - 44;
    expect([dataBytes('01 - One.wav'), dataBytes('02 - Two.wav')]).toEqual([525 * 2352, (75 + 300) * 2352]);
    expect(readFileSync(path.join(wavs, 'FILESET.wav')).subarray(44).equals(readFileSync(path.join(out, 'IMAGE.DAT')))).toBe(true);
  });
});

describe('ddpkit import', () => {
  it('turns the cue of a built fileset back into a manifest that builds the same image', async () => {
    const out = await fileset();
    const cue = dir.path('IMAGE.cue');
    expect((await runCli('cue', out, '-o', cue)).code).toBe(0);
    const manifest = dir.path('imported.yaml');
    const r = await runCli('import', cue, '-o', manifest);
    expect(r).toEqual({ code: 0, out: `WAV copy of ${path.join(out, 'IMAGE.DAT')}: ${dir.path('IMAGE.wav')}\nwrote ${manifest}\n`, err: '' });
    expect((await runCli('build', '-q', manifest, '-o', dir.path('AGAIN'))).code).toBe(0);
    const md5 = (d: string) => readFileSync(path.join(d, 'CHECKSUM.MD5'), 'utf8');
    expect(md5(dir.path('AGAIN'))).toBe(md5(out));
    expect((await runCli('import', cue, '-o', manifest)).code).toBe(1);
  });
});
