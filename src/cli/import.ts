// `ddpkit import`: a cue sheet → an album manifest (format 1).
import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { importCue } from '../cue/import.js';
import { DdpkitError, formatProblem } from '../errors.js';
import type { Io } from './main.js';

/** Imports a cue sheet and writes the manifest; refuses to overwrite an existing file unless forced. */
export async function importCommand(cue: string, opts: { out: string; force: boolean }, io: Io): Promise<number> {
  const exists = await stat(opts.out).then(
    () => true,
    () => false,
  );
  if (exists && !opts.force) throw new DdpkitError('io', `${opts.out} already exists; use --force to replace it`);
  const r = await importCue(cue, { manifestDir: path.dirname(path.resolve(opts.out)) });
  for (const p of r.problems) io.err(`${formatProblem(p)}\n`);
  for (const c of r.wavCopies) io.out(`WAV copy of ${c.from}: ${c.to}\n`);
  await writeFile(opts.out, r.yaml);
  io.out(`wrote ${opts.out}\n`);
  return 0;
}
