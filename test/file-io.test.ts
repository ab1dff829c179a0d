import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readAt, readInto, writeAll } from '../src/file-io.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ddpkit-io-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A handle that moves at most 3 bytes per call, as a short read or write may. */
function trickling(handle: FileHandle): FileHandle {
  return {
    read: (buffer: Uint8Array, offset: number, length: number, position: number) => handle.read(buffer, offset, Math.min(3, length), position),
    write: (data: Uint8Array, offset: number, length: number, position: number | null) => handle.write(data, offset, Math.min(3, length), position),
  } as unknown as FileHandle;
}

describe('file-io', () => {
  it('readInto fills the buffer across short reads, and stops at the end of the file', async () => {
    const file = path.join(dir, 'f');
    writeFileSync(file, Buffer.from('0123456789'));
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(6);
      expect(await readInto(trickling(handle), buffer, 2)).toBe(6);
      expect(buffer.toString()).toBe('234567');
      expect(await readInto(trickling(handle), buffer.fill(0), 7)).toBe(3);
      expect(buffer.subarray(0, 3).toString()).toBe('789');
      expect((await readAt(trickling(handle), 8, 5)).toString()).toBe('89');
      expect((await readAt(handle, 0, 4)).toString()).toBe('0123');
    } finally {
      await handle.close();
    }
  });

  it('writeAll writes everything across short writes, at a position or at the end', async () => {
    const file = path.join(dir, 'g');
    const handle = await open(file, 'w');
    try {
      await writeAll(trickling(handle), Buffer.from('abcdefgh'));
      await writeAll(trickling(handle), Buffer.from('XYZW'), 2);
    } finally {
      await handle.close();
    }
    expect(readFileSync(file, 'utf8')).toBe('abXYZWgh');
  });
});
