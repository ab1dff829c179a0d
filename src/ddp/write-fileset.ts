// Disc → a DDP 2.00 fileset folder, written atomically: everything goes into a temporary folder beside
// the target, which is renamed into place only when complete (DESIGN.md, "Habits").
import { open, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { encodeCdText, hasCdText } from '../cdtext/encode.js';
import { StreamDigest, crc32 } from '../checksum/digest.js';
import { Md5Worker } from '../checksum/md5-worker.js';
import { CRC32_FILE, MD5_FILE, writeChecksumMd5, writeChecksumTxt } from '../checksum/files.js';
import { trackStart, type Disc } from '../disc/model.js';
import { refuseExisting, writeAll, writeFolderAtomically } from '../atomic-folder.js';
import { newRenderStats, renderImage, type RenderStats } from '../render/render.js';
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
  /** Sees every chunk of IMAGE.DAT as it is written (for analysis without reading the image back); awaited. */
  onImageChunk?: ((chunk: Buffer) => void | Promise<void>) | undefined;
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
      const image = await writeImage(disc, path.join(temp, IMAGE_FILE), options, stats);
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
      return { dir: target, files, render: stats };
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
 * Streams the rendered image to a file with one write in flight while the next chunk renders. CRC-32 is
 * computed here; MD5, the slowest step, runs on a worker thread over a copy of each chunk.
 */
async function writeImage(disc: Disc, file: string, options: WriteFilesetOptions, stats: RenderStats): Promise<WrittenFile> {
  const md5 = new Md5Worker();
  const id = md5.open();
  let crc = 0;
  let bytes = 0;
  const handle = await open(file, 'w');
  try {
    let pending: Promise<unknown> = Promise.resolve();
    for await (const chunk of renderImage(disc, { seed: options.seed, signal: options.signal }, stats)) {
      crc = crc32(chunk, crc);
      await options.onImageChunk?.(chunk);
      const copy = await md5.take(chunk.length);
      chunk.copy(copy);
      md5.update(id, copy);
      await pending;
      pending = writeAll(handle, chunk);
      bytes += chunk.length;
      options.onProgress?.(bytes / BYTES_PER_FRAME, disc.leadOut);
    }
    await pending;
    return { name: IMAGE_FILE, bytes, md5: await md5.digest(id), crc32: crc };
  } finally {
    await handle.close();
    await md5.close();
  }
}
