// Fixed-width ASCII records of a DDP fileset, each described once as a table (formats.md, "DDP 2.00
// fileset for an audio CD"); writers and readers both derive their work from these tables.
import { DdpkitError } from '../errors.js';
import { FRAMES_PER_SECOND, MAX_FRAMES, framesToMsfDigits, msfToFrames } from '../time.js';

/**
 * How a field is written and read:
 * - `num`: decimal, right-aligned with leading spaces; read with spaces or zeros as padding; blank = none.
 * - `zeroNum`: decimal, zero-padded; read like `num`.
 * - `pqTrack`: like `zeroNum`, plus `AA` for the lead-out (value {@link LEAD_OUT_TRACK}).
 * - `msf`: a time in frames written as zero-padded `MMSSFF`; read with spaces or zeros as padding.
 * - `text`: left-aligned, padded with blanks; read with trailing blanks trimmed.
 * - `blank`: always written blank; read as trimmed text, for information only.
 */
export type FieldKind = 'num' | 'zeroNum' | 'pqTrack' | 'msf' | 'text' | 'blank';

/** One field of a record: name, offset, length and kind. */
export interface FieldSpec {
  readonly name: string;
  readonly off: number;
  readonly len: number;
  readonly kind: FieldKind;
}

/** The track number a PQ packet's `AA` stands for (above every real track number 1–99). */
export const LEAD_OUT_TRACK = 0xaa;

/** DDPID: one 128-byte record. Ref: formats.md, DDPID. */
export const DDPID_FIELDS = [
  { name: 'level', off: 0, len: 8, kind: 'text' },
  { name: 'upc', off: 8, len: 13, kind: 'text' },
  { name: 'mss', off: 21, len: 8, kind: 'blank' },
  { name: 'msl', off: 29, len: 8, kind: 'blank' },
  { name: 'mediaNumber', off: 37, len: 1, kind: 'blank' },
  { name: 'masterId', off: 38, len: 48, kind: 'text' },
  { name: 'book', off: 86, len: 1, kind: 'blank' },
  { name: 'type', off: 87, len: 2, kind: 'text' },
  { name: 'sides', off: 89, len: 4, kind: 'blank' },
  { name: 'userTextLength', off: 93, len: 2, kind: 'blank' },
  { name: 'userText', off: 95, len: 33, kind: 'blank' },
] as const satisfies readonly FieldSpec[];

/** DDPMS: a sequence of 128-byte map packets. Ref: formats.md, DDPMS. */
export const DDPMS_FIELDS = [
  { name: 'MPV', off: 0, len: 4, kind: 'text' },
  { name: 'DST', off: 4, len: 2, kind: 'text' },
  { name: 'DSP', off: 6, len: 8, kind: 'blank' },
  { name: 'DSL', off: 14, len: 8, kind: 'num' },
  { name: 'DSS', off: 22, len: 8, kind: 'num' },
  { name: 'SUB', off: 30, len: 8, kind: 'text' },
  { name: 'CDM', off: 38, len: 2, kind: 'text' },
  { name: 'SSM', off: 40, len: 1, kind: 'num' },
  { name: 'SCR', off: 41, len: 1, kind: 'num' },
  { name: 'PRE1', off: 42, len: 4, kind: 'blank' },
  { name: 'PRE2', off: 46, len: 4, kind: 'num' },
  { name: 'PST', off: 50, len: 4, kind: 'blank' },
  { name: 'MED', off: 54, len: 1, kind: 'blank' },
  { name: 'TRK', off: 55, len: 2, kind: 'zeroNum' },
  { name: 'IDX', off: 57, len: 2, kind: 'blank' },
  { name: 'ISRC', off: 59, len: 12, kind: 'blank' },
  { name: 'DSIL', off: 71, len: 3, kind: 'num' },
  { name: 'DSI', off: 74, len: 17, kind: 'text' },
  { name: 'NEW', off: 91, len: 1, kind: 'blank' },
  { name: 'PRE1NXT', off: 92, len: 4, kind: 'blank' },
  { name: 'PAUSEADD', off: 96, len: 8, kind: 'blank' },
  { name: 'OFS', off: 104, len: 9, kind: 'num' },
  { name: 'padding', off: 113, len: 15, kind: 'blank' },
] as const satisfies readonly FieldSpec[];

/** PQDESCR: a sequence of 64-byte packets. Ref: formats.md, PQDESCR. */
export const PQ_FIELDS = [
  { name: 'SPV', off: 0, len: 4, kind: 'text' },
  { name: 'TRK', off: 4, len: 2, kind: 'pqTrack' },
  { name: 'IDX', off: 6, len: 2, kind: 'zeroNum' },
  { name: 'hours', off: 8, len: 2, kind: 'num' },
  { name: 'MSF', off: 10, len: 6, kind: 'msf' },
  { name: 'CB1', off: 16, len: 2, kind: 'text' },
  { name: 'CB2', off: 18, len: 2, kind: 'blank' },
  { name: 'ISRC', off: 20, len: 12, kind: 'text' },
  { name: 'UPC', off: 32, len: 13, kind: 'text' },
  { name: 'text', off: 45, len: 19, kind: 'blank' },
] as const satisfies readonly FieldSpec[];

/** Record lengths. Ref: formats.md, DDPID / DDPMS / PQDESCR. */
export const DDPID_LENGTH = 128;
export const DDPMS_PACKET_LENGTH = 128;
export const PQ_PACKET_LENGTH = 64;

/** Something wrong with one field of a record being read (the caller turns it into a Finding). */
export interface FieldProblem {
  field: string;
  /** The field's kind: problems in `blank` fields are harmless to readers. */
  fieldKind: FieldKind;
  /** Offset of the field inside the record. */
  off: number;
  kind: 'ascii' | 'number';
  message: string;
}

/** A field kind as a token: its length and how a value is put into and got out of a buffer. */
export interface FieldToken<TPut, TGet> {
  readonly len: number;
  /** Writes `value` at `off`; returns the offset after the field. Throws DdpkitError if it does not fit. */
  put(buf: Buffer, off: number, value: TPut | undefined): number;
  /** Reads the field at `off`; a field it cannot make sense of gives `undefined` and a problem. */
  get(buf: Buffer, off: number): { value: TGet; problem?: { kind: FieldProblem['kind']; message: string } };
}

const SPACE = 0x20;

/** The field's bytes as text (Latin-1 so every byte maps to one character), and a problem if any is not printable ASCII. */
function readAscii(buf: Buffer, off: number, len: number): { text: string; problem?: { kind: 'ascii'; message: string } } {
  const bytes = buf.subarray(off, off + len);
  const text = bytes.toString('latin1');
  const bad = bytes.findIndex((b) => b < SPACE || b > 0x7e);
  if (bad < 0) return { text };
  const hex = bytes[bad]!.toString(16).toUpperCase().padStart(2, '0');
  return { text, problem: { kind: 'ascii', message: `byte 0x${hex} at position ${bad} is not printable ASCII` } };
}

function writeAscii(buf: Buffer, off: number, len: number, text: string): number {
  if (text.length > len) throw new DdpkitError('ddp', `"${text}" is longer than ${len} characters`);
  if (!/^[\x20-\x7e]*$/.test(text)) throw new DdpkitError('ddp', `"${text}" has characters outside printable ASCII`);
  buf.write(text.padEnd(len, ' '), off, len, 'latin1');
  return off + len;
}

/** Digits with spaces or zeros in front (and blanks after, as some writers left-align): a number. */
function parseDigits(text: string): number | undefined {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return undefined;
  return Number(t);
}

function checkWhole(value: number, len: number, pad: 'space' | 'zero'): string {
  if (!Number.isSafeInteger(value) || value < 0) throw new DdpkitError('ddp', `${value} is not a whole number ≥ 0`);
  const digits = value.toString();
  if (digits.length > len) throw new DdpkitError('ddp', `${value} does not fit in ${len} digits`);
  return pad === 'space' ? digits.padStart(len, ' ') : digits.padStart(len, '0');
}

/** Right-aligned decimal with leading spaces; blank when undefined. Ref: formats.md, "Length and count fields". */
export function asciiNum(len: number): FieldToken<number, number | undefined> {
  return numToken(len, 'space');
}

/** Zero-padded decimal (`01`, `00`); blank when undefined. Ref: formats.md, PQDESCR. */
export function zeroNum(len: number): FieldToken<number, number | undefined> {
  return numToken(len, 'zero');
}

function numToken(len: number, pad: 'space' | 'zero'): FieldToken<number, number | undefined> {
  return {
    len,
    put(buf, off, value) {
      if (value === undefined) return writeAscii(buf, off, len, '');
      return writeAscii(buf, off, len, checkWhole(value, len, pad));
    },
    get(buf, off) {
      const { text, problem } = readAscii(buf, off, len);
      if (problem) return { value: undefined, problem };
      if (text.trim() === '') return { value: undefined };
      const value = parseDigits(text);
      if (value === undefined) return { value, problem: { kind: 'number', message: `"${text}" is not a number` } };
      return { value };
    },
  };
}

/** PQ track number: two zero-padded digits, or `AA` for the lead-out. Ref: formats.md, PQDESCR. */
export function pqTrack(len: number): FieldToken<number, number | undefined> {
  const inner = zeroNum(len);
  return {
    len,
    put(buf, off, value) {
      return value === LEAD_OUT_TRACK ? writeAscii(buf, off, len, 'AA') : inner.put(buf, off, value);
    },
    get(buf, off) {
      const raw = buf.subarray(off, off + len).toString('latin1');
      return raw.toUpperCase() === 'AA' ? { value: LEAD_OUT_TRACK } : inner.get(buf, off);
    },
  };
}

/** A time in frames as zero-padded `MMSSFF`; read with spaces or zeros as padding. Ref: formats.md, PQDESCR. */
export function msfTime(len: number): FieldToken<number, number | undefined> {
  return {
    len,
    put(buf, off, value) {
      if (value === undefined) return writeAscii(buf, off, len, '');
      if (!Number.isSafeInteger(value) || value < 0 || value > MAX_FRAMES) {
        throw new DdpkitError('ddp', `frame ${value} is not a time between 00:00:00 and 99:59:74`);
      }
      return writeAscii(buf, off, len, framesToMsfDigits(value));
    },
    get(buf, off) {
      const { text, problem } = readAscii(buf, off, len);
      if (problem) return { value: undefined, problem };
      if (text.trim() === '') return { value: undefined };
      const digits = /^ *\d+$/.test(text) ? text.replaceAll(' ', '0') : '';
      if (digits.length !== 6) return { value: undefined, problem: { kind: 'number', message: `"${text}" is not a time MMSSFF` } };
      const mm = Number(digits.slice(0, 2));
      const ss = Number(digits.slice(2, 4));
      const ff = Number(digits.slice(4, 6));
      if (ss >= 60 || ff >= FRAMES_PER_SECOND) {
        return { value: undefined, problem: { kind: 'number', message: `"${text}" is not a time MMSSFF (SS < 60, FF < 75)` } };
      }
      return { value: msfToFrames(mm, ss, ff) };
    },
  };
}

/** Left-aligned text padded with blanks; read with trailing blanks trimmed. */
export function asciiText(len: number): FieldToken<string, string> {
  return {
    len,
    put(buf, off, value) {
      return writeAscii(buf, off, len, value ?? '');
    },
    get(buf, off) {
      const { text, problem } = readAscii(buf, off, len);
      return problem ? { value: text.trimEnd(), problem } : { value: text.trimEnd() };
    },
  };
}

/** A field always written blank; read as trimmed text for information. */
export function blankField(len: number): FieldToken<never, string> {
  const text = asciiText(len);
  return {
    len,
    put(buf, off) {
      return text.put(buf, off, '');
    },
    get: (buf, off) => text.get(buf, off),
  };
}

/** The token for a field kind. */
export function tokenFor(kind: FieldKind, len: number): FieldToken<unknown, unknown> {
  switch (kind) {
    case 'num':
      return asciiNum(len);
    case 'zeroNum':
      return zeroNum(len);
    case 'pqTrack':
      return pqTrack(len);
    case 'msf':
      return msfTime(len);
    case 'text':
      return asciiText(len);
    case 'blank':
      return blankField(len);
  }
}

type PutValue<K extends FieldKind> = K extends 'text' ? string : K extends 'blank' ? never : number;
type GetValue<K extends FieldKind> = K extends 'text' | 'blank' ? string : number | undefined;

/** The values a writer gives: every field optional (missing = blank); blank fields cannot be set. */
export type RecordPut<F extends readonly FieldSpec[]> = {
  [E in F[number] as E['kind'] extends 'blank' ? never : E['name']]?: PutValue<E['kind']> | undefined;
};

/** The values a reader gets: every field, numbers `undefined` when blank or unreadable. */
export type RecordGet<F extends readonly FieldSpec[]> = { [E in F[number] as E['name']]: GetValue<E['kind']> };

/** A whole record derived from its table: its length, `put` and `get`. */
export interface RecordToken<F extends readonly FieldSpec[]> {
  readonly len: number;
  readonly fields: F;
  /** Writes a whole record at `off` (blank where a value is not given); returns the offset after it. */
  put(buf: Buffer, off: number, values: RecordPut<F>): number;
  /** A new Buffer holding one record. */
  encode(values: RecordPut<F>): Buffer;
  /** Offset of a field inside the record, from the table. */
  offsetOf(name: F[number]['name']): number;
  /** Reads a whole record at `off` (which must have `len` bytes), with a problem for every unreadable field. */
  get(buf: Buffer, off: number): { values: RecordGet<F>; problems: FieldProblem[] };
}

/** Derives `put`/`get` for a record from its field table (fields must tile the record; see {@link checkTiling}). */
export function recordToken<F extends readonly FieldSpec[]>(fields: F, len: number, what: string): RecordToken<F> {
  const gaps = checkTiling(fields, len);
  if (gaps.length > 0) throw new Error(`${what} field table: ${gaps.join('; ')}`);
  const tokens = fields.map((f) => ({ spec: f, token: tokenFor(f.kind, f.len) }));
  const token: RecordToken<F> = {
    len,
    fields,
    put(buf, off, values) {
      const given = values as Record<string, unknown>;
      for (const { spec, token: t } of tokens) {
        const v = given[spec.name];
        try {
          t.put(buf, off + spec.off, v);
        } catch (e) {
          if (e instanceof DdpkitError) throw new DdpkitError('ddp', `${what} ${spec.name}: ${e.message}`);
          throw e;
        }
      }
      return off + len;
    },
    encode(values) {
      const buf = Buffer.alloc(len, SPACE);
      token.put(buf, 0, values);
      return buf;
    },
    offsetOf(name) {
      return fields.find((f) => f.name === name)!.off;
    },
    get(buf, off) {
      const values: Record<string, unknown> = {};
      const problems: FieldProblem[] = [];
      for (const { spec, token: t } of tokens) {
        const { value, problem } = t.get(buf, off + spec.off);
        values[spec.name] = value;
        if (problem) problems.push({ field: spec.name, fieldKind: spec.kind, off: spec.off, ...problem });
      }
      return { values: values as RecordGet<F>, problems };
    },
  };
  return token;
}

/** Gaps, overlaps and overruns in a field table (empty when the fields tile `len` bytes exactly). */
export function checkTiling(fields: readonly FieldSpec[], len: number): string[] {
  const out: string[] = [];
  let at = 0;
  for (const f of [...fields].sort((a, b) => a.off - b.off)) {
    if (f.len <= 0) out.push(`${f.name} has length ${f.len}`);
    if (f.off > at) out.push(`gap at ${at}..${f.off - 1} before ${f.name}`);
    if (f.off < at) out.push(`${f.name} at ${f.off} overlaps the field before (ends at ${at})`);
    at = Math.max(at, f.off + f.len);
  }
  if (at !== len) out.push(`fields end at ${at}, the record has ${len} bytes`);
  return out;
}

/** DDPID record token. Ref: formats.md, DDPID. */
export const DDPID_RECORD = recordToken(DDPID_FIELDS, DDPID_LENGTH, 'ddpid');
/** DDPMS map packet token. Ref: formats.md, DDPMS. */
export const DDPMS_RECORD = recordToken(DDPMS_FIELDS, DDPMS_PACKET_LENGTH, 'ddpms');
/** PQDESCR packet token. Ref: formats.md, PQDESCR. */
export const PQ_RECORD = recordToken(PQ_FIELDS, PQ_PACKET_LENGTH, 'pqdescr');
