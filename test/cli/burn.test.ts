// DDP → cue and DDP → toc give the same track starts as PQDESCR; build --cue --toc --cdt writes them
// next to the fileset folder, never inside it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/** (track, index) → absolute frame, from PQDESCR (lead-in and lead-out left out). */
function pqTimes(fileset: string): string[] {
  const pq = readFileSync(path.join(fileset, 'PQDESCR'), 'latin1');
  return pq
    .match(/.{64}/gs)!
    .filter((p) => !['00', 'AA'].includes(p.slice(4, 6)))
    .map((p) => {
      const [mm, ss, ff] = [p.slice(10, 12), p.slice(12, 14), p.slice(14, 16)].map(Number) as [number, number, number];
      return `${p.slice(4, 6)}/${p.slice(6, 8)} ${(mm * 60 + ss) * 75 + ff}`;
    });
}

async function album(): Promise<string> {
  dir.wav('a.wav', { samples: sec(5) + 11 });
  dir.wav('b.wav', { samples: sec(6) }, 2);
  dir.wav('c.wav', { samples: sec(4.5) }, 3);
  const m = dir.manifest(`
    version: 1
    album: { title: Disc, performer: Band, upc: "5012345678900" }
    tracks:
      - { file: a.wav, title: One, isrc: GBAYE2600001, copy_permitted: true }
      - { file: b.wav, title: Two, gap: 0, indexes: [2s], pre_emphasis: true }
      - { file: c.wav, title: Three, gap: 1.5s, isrc: GBAYE2600003 }
  `);
  expect((await runCli('build', '-q', '--cue', '--toc', '--cdt', m, '-o', dir.path('out/FILESET'))).code).toBe(0);
  return dir.path('out/FILESET');
}

describe('burn files', () => {
  it('build --cue --toc --cdt writes IMAGE.cue, IMAGE.toc and IMAGE.cdt beside the fileset, not in it', async () => {
    const fileset = await album();
    expect(readdirSync(dir.path('out')).sort()).toEqual(['FILESET', 'IMAGE.cdt', 'IMAGE.cue', 'IMAGE.toc', 'REPORT.html', 'REPORT.json']);
    expect(readdirSync(fileset).sort()).toEqual(['CDTEXT.BIN', 'CHECKSUM.MD5', 'CHECKSUM.TXT', 'DDPID', 'DDPMS', 'IMAGE.DAT', 'PQDESCR']);
    const cue = readFileSync(dir.path('out/IMAGE.cue'), 'latin1');
    expect(cue.split('\n').slice(0, 5)).toEqual(['CATALOG 5012345678900', 'CDTEXTFILE "IMAGE.cdt"', 'TITLE "Disc"', 'PERFORMER "Band"', 'FILE "FILESET/IMAGE.DAT" BINARY']);
    // The .cdt is the fileset's CD-Text packs, raw.
    expect(readFileSync(dir.path('out/IMAGE.cdt')).equals(readFileSync(path.join(fileset, 'CDTEXT.BIN')))).toBe(true);
  });

  it('DDP → cue gives INDEX lines at the PQDESCR times', async () => {
    const fileset = await album();
    const out = dir.path('from-ddp.cue');
    expect(await runCli('cue', fileset, '-o', out)).toEqual({ code: 0, out: `wrote ${out}\n`, err: '' });
    const cue = readFileSync(out, 'latin1');
    expect(cue).toContain(`FILE "out/FILESET/IMAGE.DAT" BINARY`);
    const fromCue: string[] = [];
    let track = '';
    for (const line of cue.split('\n')) {
      let m = /^ {2}TRACK (\d\d) AUDIO$/.exec(line);
      if (m) track = m[1]!;
      m = /^ {4}INDEX (\d\d) (\d\d):(\d\d):(\d\d)$/.exec(line);
      if (m) fromCue.push(`${track}/${m[1]!} ${(Number(m[2]) * 60 + Number(m[3])) * 75 + Number(m[4])}`);
    }
    expect(fromCue).toEqual(pqTimes(fileset));
    expect(cue).toContain('    FLAGS DCP\n');
    expect(cue).toContain('    FLAGS PRE\n');
  });

  it('DDP → toc gives the PQDESCR track starts as cdrdao show-toc reads them', async () => {
    const fileset = await album();
    const toc = dir.path('from-ddp.toc');
    expect((await runCli('toc', fileset, '-o', toc)).code).toBe(0);
    const r = execFileSync('cdrdao', ['show-toc', toc], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const shown: string[] = [];
    let track = '';
    for (const line of r.split('\n')) {
      let m = /^TRACK\s+(\d+)\s+Mode AUDIO:$/.exec(line);
      if (m) track = m[1]!.padStart(2, '0');
      // show-toc counts from TOC position 0, which cdrdao puts after the 2-second pregap it writes itself.
      m = /^\s+START\s+\d+:\d+:\d+\(\s*(\d+)\)$/.exec(line);
      if (m) shown.push(`${track}/01 ${Number(m[1]) + 150}`);
      m = /^\s+INDEX\s+(\d+)\s+\d+:\d+:\d+\(\s*(\d+)\)$/.exec(line);
      if (m) shown.push(`${track}/${m[1]!.padStart(2, '0')} ${Number(m[2]) + 150}`);
    }
    expect(shown).toEqual(pqTimes(fileset).filter((t) => !t.includes('/00')));
    expect(r).toContain('CATALOG NUMBER: 5012345678900');
    expect(r).toMatch(/ISRC GB AYE 26 00001/);
  });

  it('reads a fileset for a cue with the same rule as extract: a missing image stops it, a bad ISRC does not', async () => {
    const fileset = await album();
    const pq = path.join(fileset, 'PQDESCR');
    const packets = readFileSync(pq);
    packets[64 + 20] = 0x31; // track 1's ISRC on its index 00 packet now starts with a digit
    writeFileSync(pq, packets);
    expect(await runCli('cue', fileset, '-o', dir.path('x.cue'))).toEqual({ code: 0, out: `wrote ${dir.path('x.cue')}\n`, err: '' });
    rmSync(path.join(fileset, 'IMAGE.DAT'));
    expect(await runCli('cue', fileset, '-o', dir.path('y.cue'))).toEqual({
      code: 1,
      out: '',
      err: [
        `${fileset}: cannot read its disc: the fileset has no audio image`,
        `${fileset}: error fileset-missing (IMAGE.DAT): IMAGE.DAT (the D0 stream DDPMS names in packet 2) is missing`,
        `${fileset}: error isrc-conflict (PQDESCR, packet 2, offset 128): track 1 has two ISRCs: 1BAYE2600001 and GBAYE2600001`,
        `${fileset}: error isrc-format (PQDESCR, packet 1, offset 64): track 1 ISRC "1BAYE2600001" is not CCXXXYYNNNNN`,
        '',
      ].join('\n'),
    });
  });

  it('names the image given with --image, and says where a manifest\'s cue points', async () => {
    await album();
    const m = dir.path('album.yaml');
    const cue = dir.path('burn/disc.cue');
    mkdirSync(dir.path('burn'));
    expect(await runCli('cue', m, '-o', cue, '--image', dir.path('out/FILESET/IMAGE.DAT'))).toEqual({ code: 0, out: `wrote ${cue}\n`, err: '' });
    expect(readFileSync(cue, 'latin1')).toContain('FILE "../out/FILESET/IMAGE.DAT" BINARY\n');
    const toc = dir.path('burn/disc.toc');
    expect(await runCli('toc', m, '-o', toc)).toEqual({
      code: 0,
      out: `wrote ${toc}\n`,
      err: `note: ${m} is a manifest: the toc file names ${dir.path('burn/IMAGE.DAT')}; build the fileset there or give --image\n`,
    });
    expect(readFileSync(toc, 'latin1')).toContain('FILE "IMAGE.DAT" SWAP 00:02:00 ');
  });

  it('refuses --cdt with toc', async () => {
    const fileset = await album();
    expect(await runCli('toc', fileset, '-o', dir.path('x.toc'), '--cdt')).toEqual({ code: 2, out: '', err: expect.stringContaining("unknown option '--cdt'") as string });
  });
});
