// `ddpkit cue` and `ddpkit toc`: burn files for a manifest or a DDP fileset.
import path from 'node:path';
import { writeBurnFiles } from '../cue/burn-files.js';
import { DdpkitError } from '../errors.js';
import { loadDisc } from '../source.js';
import type { Io } from './main.js';

/** Options of the cue and toc commands. */
export interface BurnOptions {
  out: string;
  /** The image the file points at; default: the fileset's IMAGE.DAT, or IMAGE.DAT beside the output for a manifest. */
  image?: string | undefined;
  /** Also write the raw CD-Text packs beside the cue (cue only). */
  cdt?: boolean;
}

/** Writes a cue sheet or TOC file for SOURCE. */
export async function burnCommand(kind: 'cue' | 'toc', source: string, opts: BurnOptions, io: Io): Promise<number> {
  const loaded = await loadDisc(source);
  const image = opts.image ?? (loaded.kind === 'fileset' ? loaded.imagePath : path.join(path.dirname(opts.out), 'IMAGE.DAT'));
  if (loaded.kind === 'manifest' && opts.image === undefined) {
    io.err(`note: ${source} is a manifest: the ${kind} file names ${image}; build the fileset there or give --image\n`);
  }
  if (opts.cdt && kind !== 'cue') throw new DdpkitError('usage', '--cdt goes with the cue command');
  const cdt = opts.cdt ? withExtension(opts.out, '.cdt') : undefined;
  const written = await writeBurnFiles(loaded.disc, kind === 'cue' ? { image, cue: opts.out, cdt } : { image, toc: opts.out });
  for (const w of written) io.out(`wrote ${w}\n`);
  return 0;
}

/** `dir/name.cue` → `dir/name.cdt`. */
export function withExtension(file: string, ext: string): string {
  return path.join(path.dirname(file), `${path.basename(file, path.extname(file))}${ext}`);
}
