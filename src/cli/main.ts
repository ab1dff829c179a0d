// The command line: a thin shell over the library. Only this file maps errors to exit codes.
import { Command, CommanderError } from 'commander';
import { DdpkitError, formatProblem } from '../errors.js';
import { TOOL } from '../version.js';
import { buildCommand } from './build.js';
import { burnCommand } from './burn.js';
import { extractCommand, infoCommand } from './fileset.js';
import { importCommand } from './import.js';
import { reportCommand } from './report.js';
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
    .version(TOOL.version)
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
    .option('--cue', 'also write IMAGE.cue next to the fileset folder (never inside it)')
    .option('--toc', 'also write IMAGE.toc (cdrdao) next to the fileset folder')
    .option('--cdt', 'also write IMAGE.cdt (raw CD-Text packs) next to the fileset folder, named by the cue')
    .option('--no-report', 'do not analyse the audio nor write REPORT.html and REPORT.json next to the fileset folder')
    .action(async (manifest: string, opts: { out: string; force?: boolean; quiet?: boolean; cue?: boolean; toc?: boolean; cdt?: boolean; report: boolean }) => {
      code = await buildCommand(
        manifest,
        { out: opts.out, force: opts.force === true, quiet: opts.quiet === true, cue: opts.cue === true, toc: opts.toc === true, cdt: opts.cdt === true, report: opts.report },
        io,
        abort.signal,
      );
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
  for (const kind of ['cue', 'toc'] as const) {
    const cmd = program
      .command(kind)
      .description(kind === 'cue' ? 'write a CDRWIN cue sheet (raw IMAGE.DAT, INDEX at the PQ times) for burning a CD-R' : 'write a cdrdao TOC file for burning a CD-R')
      .argument('<source>', 'album manifest (YAML) or DDP fileset folder')
      .requiredOption('-o, --out <file>', `the ${kind === 'cue' ? '.cue' : '.toc'} file to write`)
      .option('--image <file>', 'the raw image the file points at (default: the fileset\'s IMAGE.DAT)');
    if (kind === 'cue') cmd.option('--cdt', 'also write the CD-Text packs beside the cue (raw, no header) and name them in CDTEXTFILE');
    cmd.action(async (source: string, opts: { out: string; image?: string; cdt?: boolean }) => {
      code = await burnCommand(kind, source, { out: opts.out, image: opts.image, cdt: opts.cdt === true }, io);
    });
  }
  program
    .command('info')
    .description('list a DDP fileset as a DDP player does: level, UPC, tracks, indexes, ISRC, flags, CD-Text')
    .argument('<dir>', 'DDP fileset folder')
    .option('--json', 'print the listing as JSON')
    .action(async (dir: string, opts: { json?: boolean }) => {
      code = await infoCommand(dir, { json: opts.json === true }, io);
    });
  program
    .command('extract')
    .description('write one 16-bit 44.1 kHz WAV per track (index 01 to the next index 01) and a cue sheet')
    .argument('<dir>', 'DDP fileset folder')
    .requiredOption('-o, --out <dir>', 'folder to write the WAV files into (must not exist unless --force)')
    .option('--with-pregap', 'start each track at its index 00 instead of its index 01')
    .option('--single', 'also write the whole image as one WAV with its own cue sheet')
    .option('-f, --force', 'replace an existing output folder')
    .option('-q, --quiet', 'no progress bar and no file list')
    .action(async (dir: string, opts: { out: string; withPregap?: boolean; single?: boolean; force?: boolean; quiet?: boolean }) => {
      code = await extractCommand(
        dir,
        { out: opts.out, withPregap: opts.withPregap === true, single: opts.single === true, force: opts.force === true, quiet: opts.quiet === true },
        io,
        abort.signal,
      );
    });
  program
    .command('report')
    .description('PQ sheet and audio analysis (loudness, true peak, clipping, CRC) of a manifest or a DDP fileset')
    .argument('<source>', 'album manifest (YAML) or DDP fileset folder')
    .option('--format <format>', 'text, json or html', 'text')
    .option('-o, --out <file>', 'write the report to a file (default: print it)')
    .option('-q, --quiet', 'no progress bar')
    .action(async (source: string, opts: { format: string; out?: string; quiet?: boolean }) => {
      code = await reportCommand(source, { format: opts.format, out: opts.out, quiet: opts.quiet === true }, io, abort.signal);
    });
  program
    .command('import')
    .description('write an album manifest from a cue sheet (one continuous file with INDEX points, or one FILE per track)')
    .argument('<cue>', 'cue sheet')
    .requiredOption('-o, --out <file>', 'manifest to write (album.yaml)')
    .option('-f, --force', 'replace an existing manifest')
    .action(async (cue: string, opts: { out: string; force?: boolean }) => {
      code = await importCommand(cue, { out: opts.out, force: opts.force === true }, io);
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
