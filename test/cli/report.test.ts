// `ddpkit report` and the report `build` writes beside the fileset.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { AlbumDir, sec } from '../helpers/album.js';
import { runCli } from './run.js';

let dir: AlbumDir;
beforeEach(() => {
  dir = new AlbumDir();
});
afterEach(() => {
  dir.remove();
});

/** A full-scale square wave: clipping runs and a true peak over −1 dBTP in track 2. */
const square = (i: number): number => (Math.floor(i / 50) % 2 === 0 ? 32767 : -32768);
const quiet = (i: number): number => Math.round(1000 * Math.sin((2 * Math.PI * 1000 * i) / 44100));

function manifest(): string {
  dir.wav('a.wav', { samples: sec(5), value: quiet });
  dir.wav('b.wav', { samples: sec(5), value: square });
  return dir.manifest('version: 1\nalbum: { title: Loud }\ntracks:\n  - { file: a.wav, title: Quiet }\n  - { file: b.wav, title: Square }\n');
}

interface ReportJson {
  disc: { trackCount: number; imageMd5: string | null };
  files: { name: string; md5: string; crc32: string }[] | null;
  analysis: { tracks: { clipping: { runs: number }; truePeakDbtp: number | null; crc32: string }[]; disc: { crc32: string } };
  warnings: { code: string; track?: number }[];
}

describe('the disc report', () => {
  it('build writes REPORT.html and REPORT.json beside the fileset, with the warnings', async () => {
    const m = manifest();
    const r = await runCli('build', m, '-o', dir.path('out/FILESET'));
    expect(r.code).toBe(0);
    expect(readdirSync(dir.path('out')).sort()).toEqual(['FILESET', 'REPORT.html', 'REPORT.json']);
    expect(r.err).toContain('warning: Track 02: true peak');
    const json = JSON.parse(readFileSync(dir.path('out/REPORT.json'), 'utf8')) as ReportJson;
    expect(json.disc.trackCount).toBe(2);
    expect(json.warnings.map((w) => [w.code, w.track])).toEqual([
      ['true-peak', 2],
      ['clipping', 2],
      ['loudness-jump', 2],
    ]);
    expect(json.warnings.some((w) => w.code === 'clipping' && w.track === 2)).toBe(true);
    expect(json.analysis.tracks[0]!.clipping.runs).toBe(0);
    expect(json.analysis.tracks[1]!.clipping.runs).toBeGreaterThan(100);
    const checksums = readFileSync(dir.path('out/FILESET/CHECKSUM.MD5'), 'utf8');
    for (const f of json.files!) expect(checksums).toContain(`${f.md5} *${f.name}`);
    // The build takes the tracks' CRCs from the writer's one CRC-32 pass, cut at each index 01, and the
    // disc's from combining them; the report of the fileset computes them in the analysis, from what it
    // reads back. Both must agree, and with CHECKSUM.TXT.
    const imageCrc = /^IMAGE\.DAT=([0-9A-F]{8})$/m.exec(readFileSync(dir.path('out/FILESET/CHECKSUM.TXT'), 'utf8'))![1]!;
    expect([json.analysis.disc.crc32, json.files!.find((f) => f.name === 'IMAGE.DAT')!.crc32]).toEqual([imageCrc, imageCrc]);
    const readBack = JSON.parse((await runCli('report', '--format', 'json', dir.path('out/FILESET'))).out) as ReportJson;
    expect(readBack.analysis.tracks.map((t) => t.crc32)).toEqual(json.analysis.tracks.map((t) => t.crc32));
    expect(readBack.analysis).toEqual(json.analysis);
    const html = readFileSync(dir.path('out/REPORT.html'), 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
  });

  it('gives the same analysis from the manifest as from the built fileset', async () => {
    const m = manifest();
    await runCli('build', '-q', '--no-report', m, '-o', dir.path('FILESET'));
    expect(readdirSync(dir.dir).filter((n) => n.startsWith('REPORT'))).toEqual([]);
    const fromManifest = JSON.parse((await runCli('report', '--format', 'json', m)).out) as ReportJson;
    const fromFileset = JSON.parse((await runCli('report', '--format', 'json', dir.path('FILESET'))).out) as ReportJson;
    expect(fromFileset.analysis).toEqual(fromManifest.analysis);
    expect(fromManifest.files).toBeNull();
    expect(fromFileset.files!.map((f) => f.name)).toEqual(['DDPID', 'DDPMS', 'CDTEXT.BIN', 'PQDESCR', 'IMAGE.DAT']);
  });

  it('writes text and HTML to a file, and refuses an unknown format', async () => {
    const m = manifest();
    const out = dir.path('report.txt');
    expect((await runCli('report', '-q', m, '-o', out)).code).toBe(0);
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe('DISC REPORT (ddpkit 0.1.0)');
    expect((await runCli('report', m, '--format', 'pdf')).code).toBe(2);
  });
});
