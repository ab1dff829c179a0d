import { describe, expect, it } from 'vitest';
import { ChunkPool } from '../../src/render/chunk-pool.js';

describe('ChunkPool', () => {
  it('hands out views of distinct slots of one SharedArrayBuffer', async () => {
    const pool = new ChunkPool(3, 100);
    const chunks = [await pool.take(100), await pool.take(10), await pool.take(0)];
    expect(chunks.map((c) => c.bytes.length)).toEqual([100, 10, 0]);
    expect(new Set(chunks.map((c) => c.slot)).size).toBe(3);
    for (const c of chunks) {
      expect(c.bytes.buffer).toBe(pool.buffer);
      expect(c.shared).toBe(pool.buffer);
      expect(c.bytes.byteOffset).toBe(c.slot * 100);
    }
    expect(pool.buffer.byteLength).toBe(300);
    expect(pool.available).toBe(0);
  });

  it('frees a slot when its last holder releases it, and wakes a waiting take()', async () => {
    const pool = new ChunkPool(1, 4);
    const first = await pool.take(4);
    first.hold();
    let second: number | undefined;
    const waiting = pool.take(4).then((c) => (second = c.slot));
    first.release();
    await Promise.resolve();
    expect(second).toBeUndefined();
    expect(pool.available).toBe(0);
    first.release();
    await waiting;
    expect(second).toBe(first.slot);
    expect(() => first.release()).toThrow('chunk pool: release() on a released chunk');
    expect(() => first.hold()).toThrow('chunk pool: hold() on a released chunk');
  });

  it('lays its slots out from an offset of a given SharedArrayBuffer, and refuses one too small', async () => {
    const buffer = new SharedArrayBuffer(1000);
    const pool = new ChunkPool(2, 100, { buffer, offset: 800 });
    const chunks = [await pool.take(100), await pool.take(50)];
    expect(chunks.map((c) => [c.bytes.buffer === buffer, c.bytes.byteOffset])).toEqual([[true, 800], [true, 900]]);
    expect(() => new ChunkPool(2, 100, { buffer, offset: 801 })).toThrow('chunk pool: 2 × 100 bytes from byte 801 do not fit a buffer of 1000');
  });

  it('refuses sizes that do not fit', async () => {
    const pool = new ChunkPool(1, 4);
    await expect(pool.take(5)).rejects.toThrow('chunk pool: 5 bytes do not fit a 4-byte slot');
    expect(() => new ChunkPool(0, 4)).toThrow('chunk pool: bad size 0 × 4');
  });
});
