// `ddpkit build`: manifest → DDP fileset, with a progress bar and a summary.
import path from 'node:path';
import { build } from '../build.js';
import { writeBurnFiles } from '../cue/burn-files.js';
import { formatProblem } from '../errors.js';
import { framesToMsf } from '../time.js';
import type { Io } from './main.js';
import { formatSeconds, ProgressBar } from './progress.js';

/** Options of the build command. */
export interface BuildCommandOptions {
  out: string;
  force: boolean;
  quiet: boolean;
  cue?: boolean;
  toc?: boolean;
  cdt?: boolean;
  /** Analyse and write REPORT.html / REPORT.json (default true). */
  report?: boolean;
}

/** Builds, prints warnings and the summary; errors propagate to main() as DdpkitError. */
export async function buildCommand(manifest: string, opts: BuildCommandOptions, io: Io, signal: AbortSignal): Promise<number> {
  const bar = new ProgressBar(io, 'IMAGE.DAT', io.isTty && !opts.quiet);
  try {
    const r = await build(manifest, opts.out, { force: opts.force, report: opts.report !== false, signal, onProgress: (d, t) => bar.update(d, t) });
    bar.done();
    // Burn files go next to the fileset folder, never inside it: plants want the fileset clean.
    const beside = (name: string): string => path.join(path.dirname(r.dir), name);
    const burn = await writeBurnFiles(r.disc, {
      image: path.join(r.dir, 'IMAGE.DAT'),
      cue: opts.cue || opts.cdt ? beside('IMAGE.cue') : undefined,
      toc: opts.toc ? beside('IMAGE.toc') : undefined,
      cdt: opts.cdt ? beside('IMAGE.cdt') : undefined,
    });
    for (const w of r.warnings) io.err(`${formatProblem(w)}\n`);
    for (const w of r.report?.data.warnings ?? []) io.err(`warning: ${w.message}\n`);
    if (!opts.quiet) {
      const image = r.files[r.files.length - 1]!;
      const lines = [
        `DDP fileset written to ${opts.out}`,
        `  tracks        ${r.disc.tracks.length}`,
        `  total length  ${framesToMsf(r.disc.leadOut)} (${r.disc.leadOut} frames)`,
        `  image size    ${image.bytes} bytes`,
        `  IMAGE.DAT MD5 ${r.imageMd5}`,
        `  files         ${r.files.map((f) => f.name).join(', ')}, CHECKSUM.MD5, CHECKSUM.TXT`,
        `  elapsed       ${formatSeconds(r.elapsedMs / 1000)} (${(r.elapsedMs / 1000).toFixed(2)} s)`,
      ];
      if (r.report) lines.push(`  report        ${r.report.html}, ${r.report.json}${r.report.data.warnings.length ? ` (${r.report.data.warnings.length} warning${r.report.data.warnings.length === 1 ? '' : 's'})` : ''}`);
      if (burn.length > 0) lines.push(`  burn files    ${burn.join(', ')}`);
      if (r.render.clippedSamples > 0) lines.push(`  clipped       ${r.render.clippedSamples} samples (fades, crossfades or float sources over full scale)`);
      io.out(`${lines.join('\n')}\n`);
    }
    return 0;
  } finally {
    bar.done();
  }
}
