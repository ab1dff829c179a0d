// Disc → a DDP 2.00 fileset folder, written atomically: everything goes into a temporary folder beside
// the target, which is renamed into place only when complete (DESIGN.md, "Habits").
import { open, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { encodeCdText, hasCdText } from '../cdtext/encode.js';
import { Crc32Parts, StreamDigest } from '../checksum/digest.js';
import { Md5Worker } from '../checksum/md5-worker.js';
import { CRC32_FILE, MD5_FILE, writeChecksumMd5, writeChecksumTxt } from '../checksum/files.js';
import { trackStart, type Disc } from '../disc/model.js';
import { refuseExisting, writeFolderAtomically } from '../atomic-folder.js';
import { writeAll } from '../file-io.js';
import { ChunkPool, type PooledChunk } from '../render/chunk-pool.js';
import { newRenderStats, RENDER_CHUNK_BYTES, renderChunks, type RenderStats } from '../render/render.js';
import { BYTES_PER_FRAME } from '../time.js';
import { writeDdpid } from './ddpid.js';
import { CDTEXT_FILE, IMAGE_FILE, PQ_FILE, writeDdpms } from './ddpms.js';
import { writePqdescr } from './pqdescr.js';

/** Options for writing a fileset. */
export interface WriteFilesetOptions {
  /** Replace an existing folder (default: refuse). */
  force?: boolean;
  /** Dither seed (default 0). */
  seed?: number;
  /** Stops the build; the temporary folder is removed. */
  signal?: AbortSignal | undefined;
  /** Called after each chunk of IMAGE.DAT with frames written so far and the total. */
  onProgress?: ((framesDone: number, framesTotal: number) => void) | undefined;
  /**
   * Sees every chunk of IMAGE.DAT as it is written (for analysis without reading the image back); awaited.
   * `bytes` is valid until the promise resolves; to keep it longer, hold() the chunk and release() it after.
   */
  onImageChunk?: ((bytes: Buffer, chunk: PooledChunk) => void | Promise<void>) | undefined;
  /** Byte offsets in IMAGE.DAT where the CRC-32 parts of the result's imageCrcs begin (e.g. each track's index 01). */
  imageCrcCuts?: readonly number[] | undefined;
  /** Where to render IMAGE.DAT's chunks (slots of at least RENDER_CHUNK_BYTES; default: a pool of IMAGE_POOL_SLOTS of its own). */
  pool?: ChunkPool | undefined;
}

/** One written file with its checksums. */
export interface WrittenFile {
  name: string;
  bytes: number;
  md5: string;
  crc32: number;
}

/** What writing a fileset produced. */
export interface FilesetResult {
  dir: string;
  /** The fileset's files in checksum order (DDPID, DDPMS, CDTEXT.BIN, PQDESCR, IMAGE.DAT). */
  files: WrittenFile[];
  render: RenderStats;
  /** CRC-32 of IMAGE.DAT cut into parts at options.imageCrcCuts, and of the whole (IMAGE.DAT's crc32). */
  imageCrcs: { parts: number[]; whole: number };
}

/** Writes the fileset for `disc` into `outDir` (atomically), computing every checksum while writing. */
export async function writeFileset(disc: Disc, outDir: string, options: WriteFilesetOptions = {}): Promise<FilesetResult> {
  const target = path.resolve(outDir);
  await refuseExisting(target, outDir, options.force);
  // Built before any file is written, so a refusal (too much CD-Text, too long a pregap) leaves nothing behind.
  const cdText = disc.cdText && hasCdText(disc.cdText) ? encodeCdText(disc.cdText) : undefined;
  const pq = writePqdescr(disc);
  const ddpms = writeDdpms({
    imageFrames: disc.leadOut,
    pregapFrames: disc.tracks[0] ? trackStart(disc.tracks[0]) : 0,
    pqBytes: pq.length,
    cdTextBytes: cdText?.length,
  });
  const ddpid = writeDdpid(disc);

  return writeFolderAtomically(
    target,
    outDir,
    async (temp) => {
      const stats = newRenderStats();
      const { image, crcs } = await writeImage(disc, path.join(temp, IMAGE_FILE), options, stats);
      const small: [string, Buffer | undefined][] = [
        ['DDPID', ddpid],
        ['DDPMS', ddpms],
        [CDTEXT_FILE, cdText],
        [PQ_FILE, pq],
      ];
      const files: WrittenFile[] = [];
      for (const [name, bytes] of small) {
        if (!bytes) continue;
        await writeFile(path.join(temp, name), bytes);
        files.push(describe(name, bytes));
      }
      files.push(image);
      await writeFile(path.join(temp, MD5_FILE), writeChecksumMd5(files));
      await writeFile(path.join(temp, CRC32_FILE), writeChecksumTxt(files));
      return { dir: target, files, render: stats, imageCrcs: crcs };
    },
    options.signal,
  );
}

function describe(name: string, bytes: Buffer): WrittenFile {
  const d = new StreamDigest();
  d.update(bytes);
  return { name, bytes: bytes.length, md5: d.md5Hex(), crc32: d.crc32() };
}

/**
 * Chunks in flight: one rendering, one being written, and the rest queued for the MD5 and analysis
 * threads (each reads the chunk where it is), so that a thread falling briefly behind does not stall
 * the others. 10 MB in all.
 */
export const IMAGE_POOL_SLOTS = 8;

/**
 * Streams the rendered image to a file with one write in flight while the next chunk renders. The
 * chunks live in a pool of shared memory: the MD5 thread (and any analysis thread) reads them there.
 * CRC-32 is computed here, cut into parts when asked.
 */
async function writeImage(disc: Disc, file: string, options: WriteFilesetOptions, stats: RenderStats): Promise<{ image: WrittenFile; crcs: FilesetResult['imageCrcs'] }> {
  const pool = options.pool ?? new ChunkPool(IMAGE_POOL_SLOTS, RENDER_CHUNK_BYTES);
  const md5 = new Md5Worker();
  const id = md5.open();
  const crc = new Crc32Parts(options.imageCrcCuts);
  let bytes = 0;
  const handle = await open(file, 'w');
  let pending: Promise<unknown> = Promise.resolve();
  try {
    for await (const chunk of renderChunks(disc, { seed: options.seed, signal: options.signal, pool }, stats)) {
      crc.update(chunk.bytes);
      await options.onImageChunk?.(chunk.bytes, chunk);
      md5.update(id, chunk);
      await pending;
      chunk.hold();
      pending = writeAll(handle, chunk.bytes).finally(() => chunk.release());
      bytes += chunk.bytes.length;
      options.onProgress?.(bytes / BYTES_PER_FRAME, disc.leadOut);
    }
    await pending;
    const whole = crc.whole();
    return { image: { name: IMAGE_FILE, bytes, md5: await md5.digest(id), crc32: whole }, crcs: { parts: crc.parts(), whole } };
  } finally {
    // After a failure the last write may still be in flight: let it end before the file is closed.
    await pending.catch(() => undefined);
    await handle.close();
    await md5.close();
  }
}
