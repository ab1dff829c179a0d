// `ddpkit report SOURCE`: the disc report of a manifest (rendered, not written) or of a DDP fileset (read
// once, checksums and analysis in the same pass).
import path from 'node:path';
import { RENDER_CHUNK_BYTES, renderChunks } from '../render/render.js';
import { loadDisc, type LoadedDisc } from '../source.js';
import { VERIFY_CHUNK_BYTES, VERIFY_POOL_SLOTS, verifyFileset } from '../ddp/verify.js';
import { BYTES_PER_FRAME } from '../time.js';
import { TOOL } from '../version.js';
import { ReportCollector } from './collect.js';
import { reportData, type ReportData } from './report.js';

/** Chunks in flight while a manifest renders: one rendering, the rest with the analysis thread. */
const POOL_SLOTS = 4;

/** Options of reportFor. */
export interface ReportOptions {
  onProgress?: ((framesDone: number, framesTotal: number) => void) | undefined;
  signal?: AbortSignal | undefined;
}

/** Measures a manifest's or fileset's audio and returns the report's data. */
export async function reportFor(source: string, options: ReportOptions = {}): Promise<ReportData> {
  const loaded = await loadDisc(source);
  // A manifest is rendered, a fileset read (in the verify pass), straight into the analysis thread's memory.
  const pool = loaded.kind === 'manifest' ? { slots: POOL_SLOTS, slotBytes: RENDER_CHUNK_BYTES } : { slots: VERIFY_POOL_SLOTS, slotBytes: VERIFY_CHUNK_BYTES };
  const collector = new ReportCollector(loaded.disc, { pool });
  try {
    return await measure(source, loaded, collector, options);
  } finally {
    // finish() has stopped the worker on success; after a failure it must not keep the process alive.
    collector.close();
  }
}

async function measure(source: string, loaded: LoadedDisc, collector: ReportCollector, options: ReportOptions): Promise<ReportData> {
  const name = path.basename(path.resolve(source));
  if (loaded.kind === 'manifest') {
    let frames = 0;
    for await (const chunk of renderChunks(loaded.disc, { signal: options.signal, pool: collector.pool })) {
      collector.push(chunk.bytes, chunk);
      frames += chunk.bytes.length / BYTES_PER_FRAME;
      options.onProgress?.(frames, loaded.disc.leadOut);
    }
    const { analysis, overview } = await collector.finish();
    return reportData({ disc: loaded.disc, analysis, overview, source: name, tool: TOOL });
  }
  const verified = await verifyFileset(source, {
    read: loaded.fileset,
    signal: options.signal,
    pool: collector.pool,
    onImageChunk: (bytes, chunk) => collector.push(bytes, chunk),
    onProgress: (done, total) => options.onProgress?.(done / BYTES_PER_FRAME, total / BYTES_PER_FRAME),
  });
  const { analysis, overview } = await collector.finish();
  const files = verified.checksums.map((c) => ({ name: c.name, bytes: c.bytes, md5: c.md5, crc32: Number.parseInt(c.crc32, 16) }));
  return reportData({ disc: loaded.disc, analysis, overview, files, source: name, tool: TOOL });
}
