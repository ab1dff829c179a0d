// `ddpkit report`: the PQ sheet and audio analysis of a manifest or a DDP fileset.
import { writeFile } from 'node:fs/promises';
import { DdpkitError } from '../errors.js';
import { reportHtml } from '../report/html.js';
import { reportFor } from '../report/make.js';
import { reportJson, reportText } from '../report/report.js';
import type { Io } from './main.js';
import { ProgressBar } from './progress.js';

/** The report formats. */
export const REPORT_FORMATS = ['text', 'json', 'html'] as const;

/** Measures SOURCE and writes the report to `out` (or prints it). */
export async function reportCommand(source: string, opts: { format: string; out?: string | undefined; quiet: boolean }, io: Io, signal: AbortSignal): Promise<number> {
  if (!(REPORT_FORMATS as readonly string[]).includes(opts.format)) {
    throw new DdpkitError('usage', `--format must be one of ${REPORT_FORMATS.join(', ')}, not "${opts.format}"`);
  }
  const bar = new ProgressBar(io, 'analyse', io.isTty && !opts.quiet);
  const data = await reportFor(source, { signal, onProgress: (d, t) => bar.update(d, t) }).finally(() => bar.done());
  const text = opts.format === 'html' ? reportHtml(data) : opts.format === 'json' ? reportJson(data) : reportText(data);
  if (opts.out === undefined) io.out(text);
  else {
    await writeFile(opts.out, text);
    if (!opts.quiet) io.out(`wrote ${opts.out}\n`);
  }
  for (const w of data.warnings) io.err(`warning: ${w.message}\n`);
  return 0;
}
