// The command line: a thin shell over the library. Only this file maps errors to exit codes.
import { Command, CommanderError } from 'commander';
import { DdpkitError, formatProblem } from '../errors.js';
import { buildCommand } from './build.js';
import { validateCommand } from './validate.js';
import { verifyCommand } from './verify.js';

/** Exit codes: 0 ok, 1 invalid input or failed verification, 2 usage. */
export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;

/** Where the CLI writes; tests pass buffers. */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  isTty: boolean;
}

const processIo: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  isTty: process.stderr.isTTY,
};

/** Runs the CLI with argv (node, script, …args); resolves to the exit code. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command('ddpkit')
    .description('Turn a mastered album (YAML manifest + WAV files) into a DDP 2.0 fileset for CD replication')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError('(run ddpkit --help for usage)');
  program
    .command('validate')
    .description('check a manifest and print the disc plan (tracks, indexes, times)')
    .argument('<manifest>', 'album manifest (YAML)')
    .option('--json', 'print the result as JSON')
    .action(async (manifest: string, opts: { json?: boolean }) => {
      code = await validateCommand(manifest, { json: opts.json === true }, io);
    });
  program
    .command('build')
    .description('build the DDP 2.00 fileset of a manifest')
    .argument('<manifest>', 'album manifest (YAML)')
    .requiredOption('-o, --out <dir>', 'fileset folder to write (created; must not exist unless --force)')
    .option('-f, --force', 'replace an existing fileset folder')
    .option('-q, --quiet', 'no progress bar and no summary')
    .action(async (manifest: string, opts: { out: string; force?: boolean; quiet?: boolean }) => {
      code = await buildCommand(manifest, { out: opts.out, force: opts.force === true, quiet: opts.quiet === true }, io, abort.signal);
    });
  program
    .command('verify')
    .description('verify a DDP fileset (ours or another tool\'s): structure, PQ, CD-Text and every checksum')
    .argument('<dir>', 'DDP fileset folder')
    .option('--json', 'print the result as JSON')
    .option('-q, --quiet', 'no progress bar')
    .action(async (dir: string, opts: { json?: boolean; quiet?: boolean }) => {
      code = await verifyCommand(dir, { json: opts.json === true, quiet: opts.quiet === true }, io, abort.signal);
    });
  // Ctrl-C stops a build between chunks; the temporary folder is removed and nothing is left behind.
  const abort = new AbortController();
  const onSigint = (): void => abort.abort();
  process.once('SIGINT', onSigint);
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    if (e instanceof DdpkitError && e.code === 'interrupted') {
      io.err('ddpkit: interrupted; nothing was written\n');
      return 130;
    }
    if (e instanceof DdpkitError) {
      for (const p of e.problems) io.err(`${formatProblem(p)}\n`);
      return e.code === 'usage' ? EXIT.usage : EXIT.invalid;
    }
    io.err(`ddpkit: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 70;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
  return code;
}
