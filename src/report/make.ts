// `ddpkit report SOURCE`: the disc report of a manifest (rendered, not written) or of a DDP fileset (read
// once, checksums and analysis in the same pass).
import path from 'node:path';
import { renderImage } from '../render/render.js';
import { loadDisc } from '../source.js';
import { verifyFileset } from '../ddp/verify.js';
import { TOOL } from '../version.js';
import { ReportCollector } from './collect.js';
import { reportData, type ReportData } from './report.js';

/** Options of reportFor. */
export interface ReportOptions {
  onProgress?: ((framesDone: number, framesTotal: number) => void) | undefined;
  signal?: AbortSignal | undefined;
}

/** Measures a manifest's or fileset's audio and returns the report's data. */
export async function reportFor(source: string, options: ReportOptions = {}): Promise<ReportData> {
  const loaded = await loadDisc(source);
  const collector = new ReportCollector(loaded.disc);
  const name = path.basename(path.resolve(source));
  if (loaded.kind === 'manifest') {
    let frames = 0;
    for await (const chunk of renderImage(loaded.disc, { signal: options.signal })) {
      collector.push(chunk);
      frames += chunk.length / 2352;
      options.onProgress?.(frames, loaded.disc.leadOut);
    }
    const { analysis, overview } = collector.finish();
    return reportData({ disc: loaded.disc, analysis, overview, source: name, tool: TOOL });
  }
  const verified = await verifyFileset(source, {
    signal: options.signal,
    onImageChunk: (chunk) => collector.push(chunk),
    onProgress: (done, total) => options.onProgress?.(done / 2352, total / 2352),
  });
  const { analysis, overview } = collector.finish();
  const files = verified.checksums.map((c) => ({ name: c.name, bytes: c.bytes, md5: c.md5, crc32: Number.parseInt(c.crc32, 16) }));
  return reportData({ disc: loaded.disc, analysis, overview, files, source: name, tool: TOOL });
}
