// A SOURCE on the command line is a manifest or a DDP fileset folder; both give a Disc.
import { stat } from 'node:fs/promises';
import type { Disc } from './disc/model.js';
import { readFileset, usableDisc, type FilesetRead } from './ddp/read-fileset.js';
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
    // The same rule as extract: a readable layout and a whole image; other findings are verify's business.
    const { disc, image } = usableDisc(fileset, source, 'read its disc');
    return { kind: 'fileset', disc, fileset, imagePath: image.path };
  }
  const plan = await planDisc(source);
  if (hasErrors(plan.problems) || !plan.disc || !plan.album) {
    throw new DdpkitError('rule', `${source}: the manifest has errors`, plan.problems.filter((p) => p.severity === 'error'));
  }
  return { kind: 'manifest', disc: plan.disc, album: plan.album, warnings: plan.problems };
}
