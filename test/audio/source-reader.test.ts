import { truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourcePool, SourceReader } from '../../src/audio/source-reader.js';
import { readWavHeader } from '../../src/audio/wav.js';
import type { SourceFormat } from '../../src/disc/model.js';
import { DdpkitError } from '../../src/errors.js';
import { insertChunkBefore, makeTempDir, removeTempDir, wavefileBytes, writeFixture } from './fixtures.js';

let dir: string;
let path: string;
let bytes: Buffer;
let format: SourceFormat;
const FRAMES = 1000;

beforeAll(async () => {
  dir = await makeTempDir();
  // 1000 frames of 24-bit stereo (6-byte frames) behind an odd-sized LIST chunk.
  const samples = Array.from({ length: FRAMES * 2 }, (_, i) => ((i * 2731) % 16777216) - 8388608);
  bytes = insertChunkBefore(wavefileBytes(2, 44100, '24', samples), 'data', { id: 'LIST', body: Buffer.from('INFOodd') });
  path = await writeFixture(dir, 'source.wav', bytes);
  format = await readWavHeader(path);
});
afterAll(async () => {
  await removeTempDir(dir);
});

/** The bytes of frames a..a+n−1 straight from the file image. */
const slice = (a: number, n: number): Buffer => bytes.subarray(format.dataOffset + a * 6, format.dataOffset + (a + n) * 6);

describe('SourceReader', () => {
  it('reads any range of sample frames', async () => {
    const r = await SourceReader.open(path, format);
    try {
      expect(format.frameCount).toBe(FRAMES);
      expect((await r.read(0, 1)).equals(slice(0, 1))).toBe(true);
      expect((await r.read(123, 456)).equals(slice(123, 456))).toBe(true);
      expect((await r.read(0, FRAMES)).equals(slice(0, FRAMES))).toBe(true);
      expect((await r.read(FRAMES - 1, 1)).equals(slice(FRAMES - 1, 1))).toBe(true);
      expect((await r.read(FRAMES, 0)).length).toBe(0);
    } finally {
      await r.close();
    }
  });

  it('reads into a given buffer and returns a view of it', async () => {
    const r = await SourceReader.open(path, format);
    try {
      const into = Buffer.alloc(100 * 6 + 10, 0xee);
      const got = await r.read(10, 100, into);
      expect(got.buffer).toBe(into.buffer);
      expect(got.length).toBe(600);
      expect(got.equals(slice(10, 100))).toBe(true);
      expect(into[600]).toBe(0xee);
      await expect(r.read(0, 200, into)).rejects.toThrow(RangeError);
    } finally {
      await r.close();
    }
  });

  it('refuses to read past the last frame instead of inventing silence', async () => {
    const r = await SourceReader.open(path, format);
    try {
      const err: unknown = await r.read(990, 11).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DdpkitError);
      expect((err as DdpkitError).message).toBe(`${path}: sample frames 990–1000 were asked for, but the file has only 1000`);
      await expect(r.read(-1, 1)).rejects.toThrow(RangeError);
      await expect(r.read(0.5, 1)).rejects.toThrow(RangeError);
    } finally {
      await r.close();
    }
  });

  it('reports a file that shrank after its header was read', async () => {
    const copy = await writeFixture(dir, 'shrinks.wav', bytes);
    const copyFormat = await readWavHeader(copy);
    const r = await SourceReader.open(copy, copyFormat);
    try {
      await truncate(copy, copyFormat.dataOffset + 600);
      const err: unknown = await r.read(0, 200).catch((e: unknown) => e);
      expect((err as DdpkitError).message).toBe(`${copy}: truncated or corrupt WAV file (it ends 600 bytes before the sample data does; was it changed during the build?)`);
    } finally {
      await r.close();
    }
  });

  it('names a missing file', async () => {
    const gone = join(dir, 'gone.wav');
    await expect(SourceReader.open(gone, format)).rejects.toThrow(`${gone}: file not found`);
  });

  it('fails reads after close; closing twice is harmless', async () => {
    const r = await SourceReader.open(path, format);
    await r.close();
    await r.close();
    await expect(r.read(0, 1)).rejects.toThrow('read after close');
  });
});

describe('SourcePool', () => {
  it('opens each path once and closes them all', async () => {
    const pool = new SourcePool();
    const other = await writeFixture(dir, 'other.wav', wavefileBytes(2, 44100, '16', [1, 2, 3, 4]));
    const otherFormat = await readWavHeader(other);
    const [a, b] = await Promise.all([pool.get(path, format), pool.get(path, format)]);
    const c = await pool.get(other, otherFormat);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect((await c.read(1, 1)).equals(Buffer.from([3, 0, 4, 0]))).toBe(true);
    await pool.close();
    await expect(a.read(0, 1)).rejects.toThrow('read after close');
    await expect(c.read(0, 1)).rejects.toThrow('read after close');
  });

  it('passes on a failed open and still closes the rest', async () => {
    const pool = new SourcePool();
    const gone = join(dir, 'missing.wav');
    await expect(pool.get(gone, format)).rejects.toThrow(`${gone}: file not found`);
    const ok = await pool.get(path, format);
    await pool.close();
    await expect(ok.read(0, 1)).rejects.toThrow('read after close');
  });
});
