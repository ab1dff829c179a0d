// The renderer's pooled chunks: reused memory must never carry old audio into new chunks, and a
// consumer that holds a chunk keeps it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planDisc } from '../../src/plan.js';
import { ChunkPool } from '../../src/render/chunk-pool.js';
import { renderChunks, renderImage } from '../../src/render/render.js';
import type { Disc } from '../../src/disc/model.js';
import { AlbumDir, patternValue, sec } from '../helpers/album.js';

let dir: AlbumDir;
beforeEach(() => {
  dir = new AlbumDir();
});
afterEach(() => {
  dir.remove();
});

/** Two 16-bit stereo tracks with a 1 s gap, then a mono one (summed and requantised, not copied) joined gaplessly. */
async function disc(): Promise<Disc> {
  dir.wav('a.wav', { samples: sec(4) + 100 }, 1);
  dir.wav('b.wav', { samples: sec(4) + 3 }, 2);
  dir.wav('c.wav', { samples: sec(4), channels: 1 }, 3);
  const plan = await planDisc(dir.manifest('version: 1\ntracks:\n  - file: a.wav\n  - { file: b.wav, gap: 1s }\n  - { file: c.wav, gap: 0 }\n'));
  return plan.disc!;
}

async function collect(chunks: AsyncIterable<{ bytes: Buffer }>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of chunks) parts.push(Buffer.from(c.bytes));
  return Buffer.concat(parts);
}

describe('renderChunks', () => {
  it('gives the same bytes from one reused slot (poisoned first) as renderImage, silence included', async () => {
    const d = await disc();
    const parts: Buffer[] = [];
    for await (const part of renderImage(d)) parts.push(part);
    const expected = Buffer.concat(parts);
    expect(expected.length).toBe(d.leadOut * 2352);
    // One slot of 7 CD frames: every chunk reuses the memory of the one before.
    const pool = new ChunkPool(1, 7 * 2352);
    new Uint8Array(pool.buffer).fill(0x55);
    const image = await collect(renderChunks(d, { pool, chunkFrames: 7 }));
    expect(image.equals(expected)).toBe(true);
    // The 2 s pregap and the 1 s gap are digital silence, the tracks are their samples.
    expect(image.subarray(0, 88200 * 4).every((b) => b === 0)).toBe(true);
    const a = patternValue(1);
    expect([image.readInt16LE(88200 * 4), image.readInt16LE(88200 * 4 + 2)]).toEqual([a(0, 0), a(0, 1)]);
    const endA = 88200 + sec(4) + 100;
    const startB = Math.ceil(endA / 588) * 588 + sec(1);
    expect(image.subarray(endA * 4, startB * 4).every((b) => b === 0)).toBe(true);
    expect(pool.available).toBe(1);
  });

  it('keeps a chunk its consumer holds, and hands out the other slots meanwhile', async () => {
    const d = await disc();
    const pool = new ChunkPool(2, 2352);
    const held = [];
    let n = 0;
    for await (const chunk of renderChunks(d, { pool, chunkFrames: 1 })) {
      if (n === 200) {
        chunk.hold();
        held.push({ chunk, copy: Buffer.from(chunk.bytes) });
      } else if (n > 200) {
        expect(chunk.slot).not.toBe(held[0]!.chunk.slot);
      }
      n++;
    }
    expect(n).toBe(d.leadOut);
    expect(held[0]!.chunk.bytes.equals(held[0]!.copy)).toBe(true);
    expect(pool.available).toBe(1);
    held[0]!.chunk.release();
    expect(pool.available).toBe(2);
  });
});
