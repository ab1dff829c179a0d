// `ddpkit build` and `ddpkit verify` from the command line.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AlbumDir, sec } from '../helpers/album.js';
import { runCli } from './run.js';

let dir: AlbumDir;
beforeEach(() => {
  dir = new AlbumDir();
});
afterEach(() => {
  dir.remove();
});

function album(): string {
  dir.wav('a.wav', { samples: sec(5) });
  dir.wav('b.wav', { samples: sec(4) }, 2);
  return dir.manifest('version: 1\nalbum: { title: T }\ntracks:\n  - file: a.wav\n  - file: b.wav\n');
}

describe('ddpkit build', () => {
  it('writes the fileset and prints a summary', async () => {
    const m = album();
    const out = dir.path('OUT');
    const r = await runCli('build', m, '--out', out);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const md5 = readFileSync(path.join(out, 'CHECKSUM.MD5'), 'utf8').split('\n')[4]!.slice(0, 32);
    const lines = r.out.split('\n');
    expect(lines.slice(0, 6)).toEqual([
      `DDP fileset written to ${out}`,
      '  tracks        2',
      '  total length  00:13:00 (975 frames)',
      `  image size    ${975 * 2352} bytes`,
      `  IMAGE.DAT MD5 ${md5}`,
      '  files         DDPID, DDPMS, CDTEXT.BIN, PQDESCR, IMAGE.DAT, CHECKSUM.MD5, CHECKSUM.TXT',
    ]);
    expect(lines[6]).toMatch(/^ {2}elapsed {7}\d+:\d\d \(\d+\.\d\d s\)$/);
  });

  it('is silent with --quiet, refuses an existing folder, and replaces it with --force', async () => {
    const m = album();
    const out = dir.path('OUT');
    expect(await runCli('build', '--quiet', m, '--out', out)).toEqual({ code: 0, out: '', err: '' });
    expect(await runCli('build', '-q', m, '-o', out)).toEqual({ code: 1, out: '', err: `${out} already exists; use --force to replace it\n` });
    expect((await runCli('build', '-q', '--force', m, '-o', out)).code).toBe(0);
  });

  it('prints every manifest error and exits 1 without writing', async () => {
    const m = dir.manifest('version: 1\ntracks:\n  - file: nope.wav\n');
    const r = await runCli('build', m, '--out', dir.path('OUT'));
    expect(r).toEqual({ code: 1, out: '', err: `${m}:3:11 track 1: nope.wav: file not found\n` });
  });

  it('needs --out', async () => {
    expect((await runCli('build', album())).code).toBe(2);
  });
});

describe('ddpkit verify', () => {
  it('passes a fresh build and fails a damaged one', async () => {
    const out = dir.path('OUT');
    await runCli('build', '-q', album(), '-o', out);
    expect(await runCli('verify', '-q', out)).toEqual({
      code: 0,
      out: `OK: ${out}: 2 tracks, 00:13:00; 5 files, checksums match (CHECKSUM.MD5, CHECKSUM.TXT)\n`,
      err: '',
    });
    const image = path.join(out, 'IMAGE.DAT');
    const bytes = readFileSync(image);
    bytes[1000] = bytes[1000]! ^ 1;
    writeFileSync(image, bytes);
    const r = await runCli('verify', '-q', out);
    expect(r.code).toBe(1);
    const lines = r.out.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^error md5-mismatch \(IMAGE\.DAT\): MD5 is [0-9a-f]{32}, but CHECKSUM\.MD5 line 5 says [0-9a-f]{32}: the file is damaged or was changed$/);
    expect(lines[1]).toMatch(/^error crc32-mismatch \(IMAGE\.DAT\): CRC-32 is [0-9A-F]{8}, but CHECKSUM\.TXT line 6 says [0-9A-F]{8}: the file is damaged or was changed$/);
    expect(lines[2]).toBe(`FAILED: ${out}: 2 errors, 0 warnings`);
    const json = JSON.parse((await runCli('verify', '--json', out)).out) as { ok: boolean; errors: number; findings: { code: string }[] };
    expect([json.ok, json.errors, json.findings.map((f) => f.code)]).toEqual([false, 2, ['md5-mismatch', 'crc32-mismatch']]);
  });

  it('says clearly when a folder is not a fileset', async () => {
    expect(await runCli('verify', dir.dir)).toEqual({ code: 1, out: '', err: `${dir.dir} is not a DDP fileset: it has no DDPMS file and no DDPID file\n` });
  });
});
