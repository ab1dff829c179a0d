// `ddpkit validate`: the plan, JSON, exit codes, and one clear line for each kind of bad file.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { AlbumDir, sec } from '../helpers/album.js';
import { runCli } from './run.js';

let dir: AlbumDir;
beforeEach(() => {
  dir = new AlbumDir();
});
afterEach(() => {
  dir.remove();
});

describe('ddpkit validate', () => {
  it('prints the disc plan and exits 0', async () => {
    dir.wav('a.wav', { samples: sec(5) });
    dir.wav('b.wav', { samples: sec(6) });
    const m = dir.manifest(`
      version: 1
      album: { upc: "5012345678900" }
      tracks:
        - { file: a.wav, title: Dawn, isrc: GBAYE2600001, copy_permitted: true }
        - { file: b.wav, title: Noon, pre_emphasis: true, indexes: [2s] }
    `);
    const r = await runCli('validate', m);
    expect(r.err).toBe('');
    expect(r.out).toBe(
      [
        'TRACK  INDEX  START     LENGTH    ISRC          FLAGS  TITLE',
        '01     00     00:00:00',
        '01     01     00:02:00  00:07:00  GBAYE2600001  DCP    Dawn',
        '02     00     00:07:00',
        '02     01     00:09:00  00:06:00                PRE    Noon',
        '02     02     00:11:00',
        'LEAD-OUT      00:15:00',
        '2 tracks, total length 00:15:00 (1125 frames, disc pregap 00:02:00), UPC/EAN 5012345678900',
        '',
      ].join('\n'),
    );
    expect(r.code).toBe(0);
  });

  it('prints warnings on stderr and still exits 0', async () => {
    dir.wav('a.wav', { samples: sec(5) });
    const m = dir.manifest('version: 1\ntracks:\n  - file: a.wav\n  - { file: a.wav, gap: 5f, pq_offset: 8f }\n');
    const r = await runCli('validate', m);
    expect(r.code).toBe(0);
    expect(r.err).toBe(`${m}:4:40 track 2: warning: pq_offset 00:00:08 is longer than the gap 00:00:05; index 01 is placed at the start of the gap\n`);
    expect(r.out.split('\n')[3]).toBe('02     01     00:07:00  00:05:05                -');
  });

  it('prints JSON for scripts', async () => {
    dir.wav('a.wav', { samples: sec(5) });
    const m = dir.manifest('version: 1\ntracks:\n  - file: a.wav\n');
    const r = await runCli('validate', '--json', m);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as { valid: boolean; problems: unknown[]; plan: { leadOut: number; rows: unknown[] } };
    expect(json.valid).toBe(true);
    expect(json.problems).toEqual([]);
    expect(json.plan.leadOut).toBe(525);
    expect(json.plan.rows).toEqual([
      { track: 1, index: 0, frame: 0, time: '00:00:00' },
      { track: 1, index: 1, frame: 150, time: '00:02:00', length: '00:05:00', flags: '-' },
    ]);
  });

  it('prints every error and exits 1', async () => {
    dir.wav('a.wav', { samples: sec(5) });
    const m = dir.manifest('version: 1\ntracks:\n  - { file: a.wav, isrc: X }\n  - { file: b.wav }\n');
    const r = await runCli('validate', m);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toBe(
      `${m}:3:26 track 1: isrc "X" must be 12 characters: CC XXX YY NNNNN\n${m}:4:13 track 2: b.wav: file not found\n${m}: 2 errors\n`,
    );
  });

  it('reports errors as JSON with exit 1', async () => {
    const m = dir.manifest('version: 1\ntracks: []\n');
    const r = await runCli('validate', '--json', m);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out) as { valid: boolean; problems: { text: string }[] };
    expect(json.valid).toBe(false);
    expect(json.problems.map((p) => p.text)).toEqual([`${m}:2:9: tracks must list at least one track`]);
  });

  const bad: [string, (path: string) => void, string][] = [
    ['a missing manifest', () => undefined, 'no such file'],
    ['invalid YAML', (p) => writeFileSync(p, 'version: 1\ntracks: [\n'), ':3:1: invalid YAML: '],
    ['a YAML list at the top', (p) => writeFileSync(p, '- a\n- b\n'), ':1:1: the manifest must be a mapping with "version: 1" and "tracks" at the top, not a list'],
    ['a binary file', (p) => writeFileSync(p, Buffer.from([0x52, 0x49, 0x46, 0x46, 0, 0, 0xff, 0xfe])), ': not a text file: a manifest is YAML text (UTF-8)'],
    ['an empty file', (p) => writeFileSync(p, ''), ': the manifest is empty; it needs at least "version: 1" and "tracks"'],
    ['a scalar', (p) => writeFileSync(p, 'hello\n'), ':1:1: the manifest must be a mapping with "version: 1" and "tracks" at the top, not a single string'],
  ];
  for (const [name, make, message] of bad) {
    it(`gives one clear line for ${name}`, async () => {
      const p = dir.path('album.yaml');
      make(p);
      const r = await runCli('validate', p);
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      const lines = r.err.trimEnd().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toContain(message);
      expect(lines[0]!.startsWith(p)).toBe(true);
      expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
    });
  }

  it('exits 2 on usage errors', async () => {
    expect((await runCli('validate')).code).toBe(2);
    expect((await runCli('frobnicate')).code).toBe(2);
    expect((await runCli('validate', '--bogus', 'x.yaml')).code).toBe(2);
  });
});
