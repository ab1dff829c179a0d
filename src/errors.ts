// Errors and findings as values: a code, where it happened (file, line, track, key) and a plain sentence.

/** Every kind of problem ddpkit reports. */
export type ProblemCode =
  | 'usage'
  | 'io'
  | 'yaml'
  | 'schema'
  | 'time'
  | 'source'
  | 'rule'
  | 'cdtext'
  | 'wav'
  | 'ddp'
  | 'cue'
  | 'interrupted';

/** Where in a text file (1-based line and column). */
export interface Position {
  line: number;
  column: number;
}

/** One problem found in user input, ready to print. */
export interface Problem {
  severity: 'error' | 'warning';
  code: ProblemCode;
  message: string;
  file?: string | undefined;
  position?: Position | undefined;
  track?: { number: number; title?: string | undefined } | undefined;
  key?: string | undefined;
}

/** The one-line form: `album.yaml:14:12 track 2 "Noon": isrc "X" must be …`. */
export function formatProblem(p: Problem): string {
  let where = p.file ?? '';
  if (p.file !== undefined && p.position) where += `:${p.position.line}:${p.position.column}`;
  if (p.track) {
    const title = p.track.title !== undefined && p.track.title !== '' ? ` "${p.track.title}"` : '';
    where += `${where ? ' ' : ''}track ${p.track.number}${title}`;
  }
  const prefix = p.severity === 'warning' ? 'warning: ' : '';
  return where ? `${where}: ${prefix}${p.message}` : `${prefix}${p.message}`;
}

/** An error that stops an operation; the CLI prints `problems` and exits 1 (or 2 for usage). */
export class DdpkitError extends Error {
  override readonly name = 'DdpkitError';
  readonly code: ProblemCode;
  readonly problems: Problem[];

  constructor(code: ProblemCode, message: string, problems?: Problem[]) {
    super(message);
    this.code = code;
    this.problems = problems ?? [{ severity: 'error', code, message }];
  }
}

/** Shorthand for a one-problem error. */
export function fail(code: ProblemCode, message: string, extra: Omit<Problem, 'severity' | 'code' | 'message'> = {}): never {
  throw new DdpkitError(code, message, [{ severity: 'error', code, message, ...extra }]);
}

/** Something a reader or verifier noticed in a DDP fileset (or CD-Text, cue, …) it was given. */
export interface Finding {
  severity: 'error' | 'warning' | 'note';
  /** Stable machine-readable code, e.g. `pq-time-order`, `md5-mismatch`, `cdtext-crc`. */
  code: string;
  /** File name inside the fileset (as found on disk), if any. */
  file?: string | undefined;
  /** Byte offset in that file, if it points at one place. */
  offset?: number | undefined;
  /** Packet (PQ/DDPMS) or pack (CD-Text) number, 0-based, if it points at one. */
  packet?: number | undefined;
  message: string;
}

/** `PQDESCR packet 3 (offset 192): error pq-time-order: …` for printing. */
export function formatFinding(f: Finding): string {
  const where: string[] = [];
  if (f.file !== undefined) where.push(f.file);
  if (f.packet !== undefined) where.push(`packet ${f.packet}`);
  if (f.offset !== undefined) where.push(`offset ${f.offset}`);
  return `${f.severity} ${f.code}${where.length ? ` (${where.join(', ')})` : ''}: ${f.message}`;
}
