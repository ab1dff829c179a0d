// The library's build: manifest → validated Disc → DDP fileset. The CLI's `build` is a shell around this.
import { DdpkitError, type Problem } from './errors.js';
import type { Disc } from './disc/model.js';
import type { Album } from './manifest/album.js';
import { writeFileset, type FilesetResult, type WriteFilesetOptions } from './ddp/write-fileset.js';
import { hasErrors, planDisc } from './plan.js';

/** Options of build(). */
export type BuildOptions = WriteFilesetOptions;

/** What build() made. */
export interface BuildResult extends FilesetResult {
  album: Album;
  disc: Disc;
  /** Warnings from the manifest (errors stop the build). */
  warnings: Problem[];
  /** MD5 of IMAGE.DAT. */
  imageMd5: string;
  elapsedMs: number;
}

/** Builds the DDP fileset of a manifest into `outDir`; throws a DdpkitError listing every problem on bad input. */
export async function build(manifestPath: string, outDir: string, options: BuildOptions = {}): Promise<BuildResult> {
  const started = performance.now();
  const plan = await planDisc(manifestPath);
  if (hasErrors(plan.problems) || !plan.disc || !plan.album) {
    throw new DdpkitError('rule', `${manifestPath}: the manifest has errors`, plan.problems.filter((p) => p.severity === 'error'));
  }
  const result = await writeFileset(plan.disc, outDir, options);
  const image = result.files[result.files.length - 1]!;
  return {
    ...result,
    album: plan.album,
    disc: plan.disc,
    warnings: plan.problems,
    imageMd5: image.md5,
    elapsedMs: performance.now() - started,
  };
}
