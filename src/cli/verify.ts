// `ddpkit verify`: check a DDP fileset's structure and checksums; exit 0 only when nothing is wrong.
import { verifyFileset } from '../ddp/verify.js';
import { formatFinding } from '../errors.js';
import { framesToMsf } from '../time.js';
import type { Io } from './main.js';
import { ProgressBar } from './progress.js';

/** Verifies, prints the findings and a verdict, and returns the exit code. */
export async function verifyCommand(dir: string, opts: { json: boolean; quiet: boolean }, io: Io, signal: AbortSignal): Promise<number> {
  const bar = new ProgressBar(io, 'verify', io.isTty && !opts.quiet && !opts.json);
  const r = await verifyFileset(dir, { signal, onProgress: (done, total) => bar.update(done / 2352, total / 2352) }).finally(() => bar.done());
  const errors = r.findings.filter((f) => f.severity === 'error').length;
  const warnings = r.findings.filter((f) => f.severity === 'warning').length;
  if (opts.json) {
    io.out(
      `${JSON.stringify(
        {
          ok: r.ok,
          errors,
          warnings,
          findings: r.findings,
          checksums: r.checksums,
          tracks: r.disc?.tracks.length ?? null,
          leadOut: r.disc?.leadOut ?? null,
        },
        null,
        2,
      )}\n`,
    );
    return r.ok ? 0 : 1;
  }
  for (const f of r.findings) io.out(`${formatFinding(f)}\n`);
  const covered = [...new Set(r.checksums.flatMap((c) => c.coveredBy))];
  const what = r.disc ? `${r.disc.tracks.length} tracks, ${framesToMsf(r.disc.leadOut)}` : 'no readable disc';
  if (r.ok) {
    io.out(`OK: ${dir}: ${what}; ${r.checksums.length} files${covered.length ? `, checksums match (${covered.join(', ')})` : ''}${warnings ? `; ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}\n`);
    return 0;
  }
  io.out(`FAILED: ${dir}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`);
  return 1;
}
