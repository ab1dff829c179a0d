// A SOURCE on the command line is a manifest or a DDP fileset folder; both give a Disc.
import { stat } from 'node:fs/promises';
import type { Disc } from './disc/model.js';
import { readFileset, type FilesetRead } from './ddp/read-fileset.js';
import { DdpkitError, type Problem } from './errors.js';
import type { Album } from './manifest/album.js';
import { hasErrors, planDisc } from './plan.js';

/** A Disc from a manifest or from a fileset, with what else is known of it. */
export type LoadedDisc =
  | { kind: 'manifest'; disc: Disc; album: Album; warnings: Problem[] }
  | { kind: 'fileset'; disc: Disc; fileset: FilesetRead; imagePath: string };

/** Reads the disc a manifest or fileset folder describes; throws a DdpkitError naming every error. */
export async function loadDisc(source: string): Promise<LoadedDisc> {
  const isDir = await stat(source).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (isDir) {
    const fileset = await readFileset(source);
    const errors = fileset.findings.filter((f) => f.severity === 'error');
    if (!fileset.disc || !fileset.files.image || errors.length > 0) {
      const problems: Problem[] = errors.map((f) => ({ severity: 'error', code: 'ddp', message: f.message, file: f.file }));
      if (problems.length === 0) problems.push({ severity: 'error', code: 'ddp', message: `${source}: the fileset has no readable disc or image`, file: undefined });
      throw new DdpkitError('ddp', `${source}: the fileset has errors (run ddpkit verify)`, problems);
    }
    return { kind: 'fileset', disc: fileset.disc, fileset, imagePath: fileset.files.image.path };
  }
  const plan = await planDisc(source);
  if (hasErrors(plan.problems) || !plan.disc || !plan.album) {
    throw new DdpkitError('rule', `${source}: the manifest has errors`, plan.problems.filter((p) => p.severity === 'error'));
  }
  return { kind: 'manifest', disc: plan.disc, album: plan.album, warnings: plan.problems };
}
