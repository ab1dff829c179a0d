// IMAGE.DAT sample by sample at every kind of boundary, and the fileset around it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from '../../src/build.js';
import { DdpkitError } from '../../src/errors.js';
import { AlbumDir, patternValue, sec, wavBytes } from '../helpers/album.js';
import { wavHeader } from '../../src/audio/wav-writer.js';

let dir: AlbumDir;
beforeEach(() => {
  dir = new AlbumDir();
});
afterEach(() => {
  dir.remove();
});

/** The image as [left, right] int16 pairs. */
function samplesOf(image: Buffer): (i: number) => [number, number] {
  return (i) => [image.readInt16LE(i * 4), image.readInt16LE(i * 4 + 2)];
}

/** True when samples [from, to) are all digital silence. */
function silent(image: Buffer, from: number, to: number): boolean {
  return to > from && image.subarray(from * 4, to * 4).every((b) => b === 0);
}

async function buildImage(manifest: string) {
  const out = dir.path('out/FILESET');
  const r = await build(dir.manifest(manifest), out, {});
  return { r, out, image: readFileSync(path.join(out, 'IMAGE.DAT')) };
}

describe('IMAGE.DAT', () => {
  it('pads to the frame boundary and inserts exact digital silence for a gap', async () => {
    const a = patternValue(1);
    const b = patternValue(2);
    dir.wav('a.wav', { samples: sec(5) + 100 }, 1);
    dir.wav('b.wav', { samples: sec(5) + 3 }, 2);
    const { r, image } = await buildImage('version: 1\ntracks:\n  - file: a.wav\n  - { file: b.wav, gap: 1s }\n');
    const s = samplesOf(image);
    // 150 frames of silence, then track 1 sample for sample.
    expect(silent(image, 0, 88200)).toBe(true);
    expect(s(88200)).toEqual([a(0, 0), a(0, 1)]);
    const end1 = 88200 + sec(5) + 100;
    expect(s(end1 - 1)).toEqual([a(sec(5) + 99, 0), a(sec(5) + 99, 1)]);
    // Padding to frame 526, then 75 frames of gap: all zero up to track 2's first sample at frame 601.
    expect(silent(image, end1, 601 * 588)).toBe(true);
    expect(s(601 * 588)).toEqual([b(0, 0), b(0, 1)]);
    const end2 = 601 * 588 + sec(5) + 3;
    expect(s(end2 - 1)).toEqual([b(sec(5) + 2, 0), b(sec(5) + 2, 1)]);
    // The last frame is padded with silence; the image ends on the frame boundary.
    expect(silent(image, end2, r.disc.leadOut * 588)).toBe(true);
    expect(image.length).toBe(r.disc.leadOut * 2352);
  });

  it('joins gapless tracks sample-continuously at an odd sample count', async () => {
    const a = patternValue(1);
    const b = patternValue(2);
    dir.wav('a.wav', { samples: sec(5) + 7 }, 1);
    dir.wav('b.wav', { samples: sec(5) }, 2);
    const { image } = await buildImage('version: 1\ntracks:\n  - file: a.wav\n  - { file: b.wav, gap: 0 }\n');
    const s = samplesOf(image);
    const join = 88200 + sec(5) + 7;
    expect(s(join - 1)).toEqual([a(sec(5) + 6, 0), a(sec(5) + 6, 1)]);
    expect(s(join)).toEqual([b(0, 0), b(0, 1)]);
    expect(s(join + 1)).toEqual([b(1, 0), b(1, 1)]);
  });

  it('mixes a linear crossfade in floating point and keeps untouched samples bit-exact', async () => {
    const constant = (v: number) => () => v;
    dir.wav('a.wav', { samples: sec(5), value: constant(10000) });
    dir.wav('b.wav', { samples: sec(5), value: constant(-6000) });
    const { image } = await buildImage('version: 1\ntracks:\n  - file: a.wav\n  - { file: b.wav, gap: 0, crossfade: { length: 1000smp, curve: linear } }\n');
    const s = samplesOf(image);
    const start = 88200 + sec(5) - 1000;
    expect(s(start - 1)).toEqual([10000, 10000]);
    for (const j of [0, 1, 499, 500, 998, 999]) {
      // Sample j of the overlap: out-gain 1 − t, in-gain t, t = (j + 0.5) / 1000; TPDF dither (±1 LSB) and rounding move it by at most 1.5 LSB.
      const t = (j + 0.5) / 1000;
      const exact = 10000 * (1 - t) - 6000 * t;
      const [l, rr] = s(start + j);
      expect(Math.abs(l - exact)).toBeLessThanOrEqual(1.5);
      expect(Math.abs(rr - exact)).toBeLessThanOrEqual(1.5);
    }
    expect(s(start + 1000)).toEqual([-6000, -6000]);
  });

  it('places a hidden track in the pregap and pads it to a frame boundary', async () => {
    const h = patternValue(3);
    const a = patternValue(1);
    dir.wav('h.wav', { samples: sec(3) + 10 }, 3);
    dir.wav('a.wav', { samples: sec(5) }, 1);
    const { image } = await buildImage('version: 1\nalbum: { hidden_track: { file: h.wav } }\ntracks:\n  - { file: a.wav, gap: 0 }\n');
    const s = samplesOf(image);
    expect(s(0)).toEqual([h(0, 0), h(0, 1)]);
    expect(s(sec(3) + 9)).toEqual([h(sec(3) + 9, 0), h(sec(3) + 9, 1)]);
    expect(silent(image, sec(3) + 10, 226 * 588)).toBe(true);
    expect(s(226 * 588)).toEqual([a(0, 0), a(0, 1)]);
  });

  it('passes exact 16-bit values in deeper containers through unchanged, widens 8-bit and copies mono', async () => {
    const n = sec(4.5);
    const v = (i: number) => ((i * 13) % 4000) - 2000;
    // 24-bit container holding 16-bit values (low byte 0).
    const d24 = Buffer.alloc(n * 6);
    for (let i = 0; i < n; i++) {
      d24.writeIntLE(v(i) * 256, i * 6, 3);
      d24.writeIntLE(-v(i) * 256, i * 6 + 3, 3);
    }
    dir.wav('a24.wav', Buffer.concat([wavHeader(d24.length, { bitsPerSample: 24 }), d24]));
    // 8-bit mono: unsigned, widened by ×256 and copied to both channels.
    const d8 = Buffer.alloc(n);
    for (let i = 0; i < n; i++) d8[i] = i % 256;
    dir.wav('m8.wav', Buffer.concat([wavHeader(d8.length, { bitsPerSample: 8, channels: 1 }), d8]));
    // 32-bit float holding exact 16-bit values.
    const f = Buffer.alloc(n * 8);
    for (let i = 0; i < n; i++) {
      f.writeFloatLE(v(i) / 32768, i * 8);
      f.writeFloatLE(0, i * 8 + 4);
    }
    const fh = wavHeader(f.length, { bitsPerSample: 32 });
    fh.writeUInt16LE(3, 20); // WAVE_FORMAT_IEEE_FLOAT
    dir.wav('f32.wav', Buffer.concat([fh, f]));
    const { r, image } = await buildImage('version: 1\ntracks:\n  - file: a24.wav\n  - { file: m8.wav, gap: 0 }\n  - { file: f32.wav, gap: 0 }\n');
    const s = samplesOf(image);
    for (const i of [0, 1, 2, 1000, n - 1]) expect(s(88200 + i)).toEqual([v(i), -v(i)]);
    for (const i of [0, 1, 255, 256, n - 1]) expect(s(88200 + n + i)).toEqual([((i % 256) - 128) * 256, ((i % 256) - 128) * 256]);
    for (const i of [0, 7, n - 1]) expect(s(88200 + 2 * n + i)).toEqual([v(i), 0]);
    expect(r.render.clippedSamples).toBe(0);
  });

  it('dithers 24-bit audio deterministically and counts clipping of float overs', async () => {
    const n = sec(4.5);
    const d24 = Buffer.alloc(n * 6);
    for (let i = 0; i < n; i++) {
      d24.writeIntLE(1000 * 256 + 128, i * 6, 3); // 1000.5 in 16-bit units: needs dither
      d24.writeIntLE(-77 * 256, i * 6 + 3, 3);
    }
    dir.wav('a24.wav', Buffer.concat([wavHeader(d24.length, { bitsPerSample: 24 }), d24]));
    const f = Buffer.alloc(n * 8);
    for (let i = 0; i < n; i++) {
      f.writeFloatLE(i < 10 ? 1.5 : 0.25, i * 8);
      f.writeFloatLE(-0.25, i * 8 + 4);
    }
    const fh = wavHeader(f.length, { bitsPerSample: 32 });
    fh.writeUInt16LE(3, 20);
    dir.wav('f32.wav', Buffer.concat([fh, f]));
    const { r, image } = await buildImage('version: 1\ntracks:\n  - file: a24.wav\n  - { file: f32.wav, gap: 0 }\n');
    const s = samplesOf(image);
    let sum = 0;
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const [l, rr] = s(88200 + i);
      expect(Math.abs(l - 1000.5)).toBeLessThanOrEqual(1.5);
      expect(rr).toBe(-77); // an exact 16-bit value is never dithered
      seen.add(l);
      sum += l;
    }
    expect(seen.has(1000) && seen.has(1001)).toBe(true);
    expect(Math.abs(sum / 2000 - 1000.5)).toBeLessThan(0.05);
    // Ten samples of 1.5 full scale clip to 32767 and are counted; −0.25 and 0.25 are exact (−8192, 8192).
    expect(s(88200 + n)).toEqual([32767, -8192]);
    expect(s(88200 + n + 10)).toEqual([8192, -8192]);
    expect(r.render.clippedSamples).toBe(10);
    // Same manifest, same bytes.
    const again = await build(dir.path('album.yaml'), dir.path('out/AGAIN'), {});
    expect(again.imageMd5).toBe(r.imageMd5);
  });
});

describe('the fileset', () => {
  function threeTracks(): string {
    dir.wav('a.wav', { samples: sec(5) + 11 }, 1);
    dir.wav('b.wav', { samples: sec(6) + 5 }, 2);
    dir.wav('c.wav', { samples: sec(4.2) }, 3);
    return dir.manifest(`
      version: 1
      album: { title: Disc, performer: Band, upc: "5012345678900", master_id: M1 }
      tracks:
        - { file: a.wav, title: One, isrc: GBAYE2600001 }
        - { file: b.wav, title: Two, gap: 0, indexes: [3s] }
        - { file: c.wav, title: Three, gap: 1.5s }
    `);
  }

  it('holds exactly the DDP files and checksum files, and md5sum -c accepts them', async () => {
    const out = dir.path('FILESET');
    const r = await build(threeTracks(), out);
    expect(readdirSync(out).sort()).toEqual(['CDTEXT.BIN', 'CHECKSUM.MD5', 'CHECKSUM.TXT', 'DDPID', 'DDPMS', 'IMAGE.DAT', 'PQDESCR']);
    const check = execFileSync('md5sum', ['-c', 'CHECKSUM.MD5'], { cwd: out, encoding: 'utf8' });
    expect(check).toBe('DDPID: OK\nDDPMS: OK\nCDTEXT.BIN: OK\nPQDESCR: OK\nIMAGE.DAT: OK\n');
    const md5 = readFileSync(path.join(out, 'CHECKSUM.MD5'), 'utf8');
    expect(md5.split('\n')[4]).toBe(`${r.imageMd5} *IMAGE.DAT`);
    expect(readFileSync(path.join(out, 'CHECKSUM.TXT'), 'utf8')).toMatch(/^\[CRC32 Checksum\]\nDDPID=[0-9A-F]{8}\nDDPMS=[0-9A-F]{8}\nCDTEXT\.BIN=[0-9A-F]{8}\nPQDESCR=[0-9A-F]{8}\nIMAGE\.DAT=[0-9A-F]{8}\n$/);
    const crcLine = readFileSync(path.join(out, 'CHECKSUM.TXT'), 'utf8').split('\n')[5]!;
    const { crc32 } = await import('node:zlib');
    expect(crcLine).toBe(`IMAGE.DAT=${crc32(readFileSync(path.join(out, 'IMAGE.DAT'))).toString(16).toUpperCase().padStart(8, '0')}`);
  });

  it('gives back untouched 16-bit tracks bit-identical at the offsets PQDESCR gives', async () => {
    const out = dir.path('FILESET');
    await build(threeTracks(), out);
    const pq = readFileSync(path.join(out, 'PQDESCR'), 'latin1');
    const image = readFileSync(path.join(out, 'IMAGE.DAT'));
    const packets = pq.match(/.{64}/gs)!.map((p) => ({ track: p.slice(4, 6), index: p.slice(6, 8), msf: p.slice(10, 16) }));
    const frameOf = (track: string, index: string) => {
      const p = packets.find((x) => x.track === track && x.index === index)!;
      return (Number(p.msf.slice(0, 2)) * 60 + Number(p.msf.slice(2, 4))) * 75 + Number(p.msf.slice(4, 6));
    };
    // Track 1 starts on its index 01 and track 3 too (gaps make them frame-aligned).
    const t1 = frameOf('01', '01') * 2352;
    expect(image.subarray(t1, t1 + (sec(5) + 11) * 4).equals(wavBytes({ samples: sec(5) + 11 }, 1).subarray(44))).toBe(true);
    const t3 = frameOf('03', '01') * 2352;
    expect(image.subarray(t3, t3 + sec(4.2) * 4).equals(wavBytes({ samples: sec(4.2) }, 3).subarray(44))).toBe(true);
    // Track 2 follows track 1 gaplessly: its audio starts right after track 1's last sample.
    const t2 = t1 + (sec(5) + 11) * 4;
    expect(frameOf('02', '01')).toBe(Math.floor(t2 / 2352));
    expect(image.subarray(t2, t2 + (sec(6) + 5) * 4).equals(wavBytes({ samples: sec(6) + 5 }, 2).subarray(44))).toBe(true);
  });

  it('writes no CDTEXT.BIN when there is no text (codes alone, or only empty strings)', async () => {
    dir.wav('a.wav', { samples: sec(5) });
    const m = dir.manifest('version: 1\nalbum: { upc: "5012345678900", title: "" }\ntracks:\n  - { file: a.wav, isrc: GBAYE2600001, title: "" }\n');
    const out = dir.path('FILESET');
    await build(m, out);
    expect(readdirSync(out).sort()).toEqual(['CHECKSUM.MD5', 'CHECKSUM.TXT', 'DDPID', 'DDPMS', 'IMAGE.DAT', 'PQDESCR']);
    expect(readFileSync(path.join(out, 'DDPMS')).length).toBe(256);
  });

  it('gives identical files on a second build', async () => {
    const m = threeTracks();
    const a = await build(m, dir.path('A'));
    const b = await build(m, dir.path('B'));
    expect(b.files).toEqual(a.files);
  });

  it('refuses an existing folder unless forced, and leaves no temporary folder', async () => {
    const m = threeTracks();
    const out = dir.path('FILESET');
    await build(m, out);
    await expect(build(m, out)).rejects.toThrow(`${out} already exists; use --force to replace it`);
    await build(m, out, { force: true });
    expect(readdirSync(dir.dir).filter((n) => n.includes('partial'))).toEqual([]);
  });

  it('leaves nothing behind when interrupted', async () => {
    const m = threeTracks();
    const out = dir.path('FILESET');
    const abort = new AbortController();
    const err = await build(m, out, { signal: abort.signal, onProgress: () => abort.abort() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DdpkitError);
    expect((err as DdpkitError).code).toBe('interrupted');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir.dir).sort()).toEqual(['a.wav', 'album.yaml', 'b.wav', 'c.wav']);
  });

  it('keeps the old fileset when a forced rebuild fails', async () => {
    const m = threeTracks();
    const out = dir.path('FILESET');
    const first = await build(m, out);
    const abort = new AbortController();
    await build(m, out, { force: true, signal: abort.signal, onProgress: () => abort.abort() }).catch(() => undefined);
    expect(readFileSync(path.join(out, 'CHECKSUM.MD5'), 'utf8').split('\n')[4]).toBe(`${first.imageMd5} *IMAGE.DAT`);
  });
});
