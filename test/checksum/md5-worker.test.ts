import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { Md5Worker } from '../../src/checksum/md5-worker.js';

describe('Md5Worker', () => {
  it('gives the MD5 of "abc" and of the empty stream', async () => {
    const w = new Md5Worker();
    try {
      const a = w.open();
      const chunk = await w.take(3);
      chunk.write('abc', 'latin1');
      w.update(a, chunk);
      expect(await w.digest(a)).toBe('900150983cd24fb0d6963f7d28e17f72');
      expect(await w.digest(w.open())).toBe('d41d8cd98f00b204e9800998ecf8427e');
    } finally {
      await w.close();
    }
  });

  it('hashes interleaved streams through a bounded pool of reused buffers', async () => {
    const w = new Md5Worker();
    try {
      const ids = [w.open(), w.open()];
      const expected = ids.map(() => createHash('md5'));
      for (let i = 0; i < 40; i++) {
        const k = i % 2;
        const size = 1000 + i * 4099;
        const chunk = await w.take(size);
        for (let j = 0; j < size; j++) chunk[j] = (i * 7 + j) & 0xff;
        expected[k]!.update(chunk);
        expect(w.allocated).toBeLessThanOrEqual(4);
        w.update(ids[k]!, chunk);
      }
      expect(await Promise.all(ids.map((id) => w.digest(id)))).toEqual(expected.map((h) => h.digest('hex')));
    } finally {
      await w.close();
    }
  });
});
