// `ddpkit info` and `ddpkit extract`: read a DDP fileset (ours or another tool's).
import { extractFileset } from '../ddp/extract.js';
import { readFileset } from '../ddp/read-fileset.js';
import { formatFinding } from '../errors.js';
import { infoOf, infoText } from '../report/info.js';
import type { Io } from './main.js';
import { ProgressBar } from './progress.js';

/** Prints what a DDP player's listing shows; findings go to stderr. Exit 1 when the fileset has errors. */
export async function infoCommand(dir: string, opts: { json: boolean }, io: Io): Promise<number> {
  const read = await readFileset(dir);
  const info = infoOf(read);
  if (opts.json) io.out(`${JSON.stringify(info, null, 2)}\n`);
  else io.out(infoText(info));
  if (!opts.json) for (const f of read.findings.filter((x) => x.severity !== 'note')) io.err(`${formatFinding(f)}\n`);
  return read.findings.some((f) => f.severity === 'error') ? 1 : 0;
}

/** Options of the extract command. */
export interface ExtractCommandOptions {
  out: string;
  withPregap: boolean;
  single: boolean;
  force: boolean;
  quiet: boolean;
}

/** Writes one WAV per track (and the whole image with --single) plus cue sheets. */
export async function extractCommand(dir: string, opts: ExtractCommandOptions, io: Io, signal: AbortSignal): Promise<number> {
  const bar = new ProgressBar(io, 'extract', io.isTty && !opts.quiet);
  const r = await extractFileset(dir, opts.out, {
    withPregap: opts.withPregap,
    single: opts.single,
    force: opts.force,
    signal,
    onProgress: (d, t) => bar.update(d, t),
  }).finally(() => bar.done());
  for (const f of r.findings.filter((x) => x.severity !== 'note')) io.err(`${formatFinding(f)}\n`);
  if (!opts.quiet) {
    for (const f of r.files) io.out(`${f.md5}  ${f.name}\n`);
    io.out(`${r.files.length} files written to ${opts.out}\n`);
  }
  return 0;
}
