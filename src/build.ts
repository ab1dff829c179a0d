// The library's build: manifest → validated Disc → DDP fileset. The CLI's `build` is a shell around this.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DdpkitError, type Problem } from './errors.js';
import type { PooledChunk } from './render/chunk-pool.js';
import { RENDER_CHUNK_BYTES } from './render/render.js';
import { ReportCollector } from './report/collect.js';
import { reportHtml } from './report/html.js';
import { reportData, reportJson, type ReportData } from './report/report.js';
import { TOOL } from './version.js';
import type { Disc } from './disc/model.js';
import type { Album } from './manifest/album.js';
import { IMAGE_POOL_SLOTS, writeFileset, type FilesetResult, type WriteFilesetOptions } from './ddp/write-fileset.js';
import { hasErrors, planDisc } from './plan.js';

/** Options of build(). */
export interface BuildOptions extends WriteFilesetOptions {
  /** Write REPORT.html and REPORT.json next to the fileset folder (default true). */
  report?: boolean;
}

/** What build() made. */
export interface BuildResult extends FilesetResult {
  album: Album;
  disc: Disc;
  /** Warnings from the manifest (errors stop the build). */
  warnings: Problem[];
  /** MD5 of IMAGE.DAT. */
  imageMd5: string;
  /** The disc report (unless `report: false`), and where it was written. */
  report?: { data: ReportData; html: string; json: string } | undefined;
  elapsedMs: number;
}

/** Builds the DDP fileset of a manifest into `outDir`; throws a DdpkitError listing every problem on bad input. */
export async function build(manifestPath: string, outDir: string, options: BuildOptions = {}): Promise<BuildResult> {
  const started = performance.now();
  const plan = await planDisc(manifestPath);
  if (hasErrors(plan.problems) || !plan.disc || !plan.album) {
    throw new DdpkitError('rule', `${manifestPath}: the manifest has errors`, plan.problems.filter((p) => p.severity === 'error'));
  }
  // The analysis sees each chunk as it is written: the report costs no second pass over the audio.
  // The writer's CRC-32 pass gives the tracks' CRCs too (cut at each index 01): the analysis thread need not.
  // The image is rendered straight into the analysis thread's memory: it analyses each chunk where it lies.
  const collector = options.report === false ? undefined : new ReportCollector(plan.disc, { crcGiven: true, pool: { slots: IMAGE_POOL_SLOTS, slotBytes: RENDER_CHUNK_BYTES } });
  const onImageChunk = collector
    ? async (bytes: Buffer, chunk: PooledChunk): Promise<void> => {
        collector.push(bytes, chunk);
        await options.onImageChunk?.(bytes, chunk);
      }
    : options.onImageChunk;
  let result;
  try {
    result = await writeFileset(plan.disc, outDir, { ...options, onImageChunk, imageCrcCuts: collector?.crcCuts() ?? options.imageCrcCuts, pool: collector?.pool ?? options.pool });
  } catch (e) {
    collector?.close();
    throw e;
  }
  const image = result.files[result.files.length - 1]!;
  let report: BuildResult['report'];
  if (collector) {
    const { analysis, overview } = await collector.finish(result.imageCrcs).finally(() => collector.close());
    const data = reportData({ disc: plan.disc, analysis, overview, files: result.files, source: path.basename(manifestPath), tool: TOOL });
    // Next to the fileset folder, never inside it: plants want the fileset clean.
    const html = path.join(path.dirname(result.dir), 'REPORT.html');
    const json = path.join(path.dirname(result.dir), 'REPORT.json');
    await writeFile(html, reportHtml(data));
    await writeFile(json, reportJson(data));
    report = { data, html, json };
  }
  return {
    ...result,
    report,
    album: plan.album,
    disc: plan.disc,
    warnings: plan.problems,
    imageMd5: image.md5,
    elapsedMs: performance.now() - started,
  };
}
