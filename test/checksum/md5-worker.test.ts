import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { Md5Worker } from '../../src/checksum/md5-worker.js';
import { ChunkPool } from '../../src/render/chunk-pool.js';

describe('Md5Worker', () => {
  it('gives the MD5 of "abc" and of the empty stream', async () => {
    const w = new Md5Worker();
    const pool = new ChunkPool(1, 16);
    try {
      const a = w.open();
      const chunk = await pool.take(3);
      chunk.bytes.write('abc', 'latin1');
      w.update(a, chunk);
      chunk.release();
      expect(await w.digest(a)).toBe('900150983cd24fb0d6963f7d28e17f72');
      expect(await w.digest(w.open())).toBe('d41d8cd98f00b204e9800998ecf8427e');
      // Hashed: the chunk went back to the pool.
      expect(pool.available).toBe(1);
    } finally {
      await w.close();
    }
  });

  it('hashes interleaved streams and parts of chunks from a pool it keeps bounded', async () => {
    const w = new Md5Worker();
    const pool = new ChunkPool(3, 200_000);
    try {
      const ids = [w.open(), w.open()];
      const expected = ids.map(() => createHash('md5'));
      for (let i = 0; i < 40; i++) {
        const k = i % 2;
        const size = 1000 + i * 4099;
        const chunk = await pool.take(size);
        for (let j = 0; j < size; j++) chunk.bytes[j] = (i * 7 + j) & 0xff;
        // Only the middle of the chunk, as verify hands over the audio part of IMAGE.DAT.
        const part = chunk.bytes.subarray(i, size - i);
        expected[k]!.update(part);
        w.update(ids[k]!, chunk, part);
        chunk.release();
        expect(w.pending).toBeLessThanOrEqual(3);
      }
      expect(await Promise.all(ids.map((id) => w.digest(id)))).toEqual(expected.map((h) => h.digest('hex')));
      expect(pool.available).toBe(3);
    } finally {
      await w.close();
    }
  });

  it('refuses bytes that are not in the chunk, and gives held chunks back when closed', async () => {
    const w = new Md5Worker();
    const pool = new ChunkPool(2, 8);
    const chunk = await pool.take(8);
    expect(() => w.update(w.open(), chunk, Buffer.alloc(8))).toThrow("Md5Worker: the bytes are not in the chunk's memory");
    w.update(w.open(), chunk);
    chunk.release();
    await w.close();
    expect(pool.available).toBe(2);
    expect(() => w.update(w.open(), chunk)).toThrow('Md5Worker closed');
  });
});
