// Seeded fuzzing of every fileset reader: thousands of damaged filesets, and not one exception may escape.
// The generator is xorshift32. Each case draws from its own generator, seeded from the run's seed and the
// case number, so a case does not depend on the ones before it: a failure message gives the run's seed,
// the case number, the case's own seed and the mutations made. Rerun with DDPKIT_FUZZ_SEED=<run seed> to
// replay; DDPKIT_FUZZ_SCALE=<n> runs n times the cases, for a longer hunt by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdir, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import * as zlib from 'node:zlib';
import { decodeCdText } from '../../src/cdtext/decode.js';
import { crc16 } from '../../src/cdtext/crc16.js';
import { encodeCdText } from '../../src/cdtext/encode.js';
import { checksumFileKind, parseCrc32File, parseMd5File, writeChecksumMd5, writeChecksumTxt } from '../../src/checksum/files.js';
import { readDdpid, writeDdpid } from '../../src/ddp/ddpid.js';
import { readDdpms, writeDdpms } from '../../src/ddp/ddpms.js';
import { DDPID_FIELDS, DDPMS_FIELDS, PQ_FIELDS, type FieldSpec } from '../../src/ddp/fields.js';
import { readPqdescr, writePqdescr } from '../../src/ddp/pqdescr.js';
import { readFileset } from '../../src/ddp/read-fileset.js';
import { verifyFileset } from '../../src/ddp/verify.js';
import type { Disc } from '../../src/disc/model.js';
import { DdpkitError, type Finding } from '../../src/errors.js';
import { BYTES_PER_FRAME, MAX_FRAMES } from '../../src/time.js';
import { removeDir, tempDir } from './fixture.js';

const SEED = Number(process.env.DDPKIT_FUZZ_SEED ?? 0x2026dd9) >>> 0;
const SCALE = Math.max(1, Number(process.env.DDPKIT_FUZZ_SCALE ?? 1) || 1);
const PARSER_CASES = 10_000 * SCALE;
const READ_CASES = 300 * SCALE;
const VERIFY_CASES = 100 * SCALE;

/** xorshift32 (Marsaglia): small, fast and the same on every machine. */
class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
    for (let i = 0; i < 4; i++) this.next();
  }

  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }

  /** 0 ≤ n < `below`. */
  int(below: number): number {
    return below <= 0 ? 0 : this.next() % below;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p * 0x1_0000_0000;
  }
}

/** The seed of case `n` of a run: each case replays on its own. */
function caseSeed(kind: number, n: number): number {
  return (Math.imul(SEED ^ Math.imul(kind + 1, 0x85ebca6b), 0x9e3779b1) + Math.imul(n + 1, 0xc2b2ae35)) >>> 0;
}

const hex = (n: number, digits = 2): string => `0x${n.toString(16).toUpperCase().padStart(digits, '0')}`;

// ---------------------------------------------------------------------------------------------------
// The fileset the mutations start from: small, valid, and using every feature the readers know.

const IMAGE_FRAMES = 825;
const IMAGE_BYTES = IMAGE_FRAMES * BYTES_PER_FRAME;

const DISC: Disc = {
  tracks: [
    {
      number: 1,
      indexes: [
        { number: 0, frame: 0 },
        { number: 1, frame: 150 },
        { number: 2, frame: 300 },
      ],
      isrc: 'XXDDK2600001',
      flags: { copyPermitted: true, preEmphasis: false, scms: false },
    },
    {
      number: 2,
      indexes: [
        { number: 0, frame: 450 },
        { number: 1, frame: 525 },
      ],
      isrc: 'XXDDK2600002',
      flags: { copyPermitted: false, preEmphasis: true, scms: false },
    },
  ],
  leadOut: IMAGE_FRAMES,
  upc: '2000123456782',
  masterId: 'FUZZ-0001',
  cdText: {
    language: 'en',
    // Every type present has a string for the disc and each track (an empty one reads back as '').
    disc: { title: 'Fuzzed Album With A Long Enough Title', performer: 'The Mutators', songwriter: '', message: 'Seeded' },
    tracks: [
      { title: 'Bit Flip', performer: 'The Mutators', songwriter: 'X. Orshift', message: '' },
      { title: 'Truncation Blues', performer: 'Guest', songwriter: 'Y. Orshift', message: 'ünïcødé latin-1' },
    ],
    discId: 'FZ-1',
    genre: { code: 8, text: 'Noise' },
  },
  spans: [],
};

/** A fileset in memory: file name → bytes, or a number for a file of that many zero bytes (the image). */
type Files = Map<string, Buffer | number>;

const md5Of = (b: Buffer): string => createHash('md5').update(b).digest('hex');

let baseFiles: Files;

function makeBase(): Files {
  const pq = writePqdescr(DISC);
  const cdText = encodeCdText(DISC.cdText!);
  const ddpms = writeDdpms({ imageFrames: IMAGE_FRAMES, pregapFrames: 150, pqBytes: pq.length, cdTextBytes: cdText.length });
  const ddpid = writeDdpid(DISC);
  const zeros = Buffer.alloc(IMAGE_BYTES);
  const list: [string, Buffer][] = [
    ['DDPID', ddpid],
    ['DDPMS', ddpms],
    ['CDTEXT.BIN', cdText],
    ['PQDESCR', pq],
    ['IMAGE.DAT', zeros],
  ];
  const sums = list.map(([name, bytes]) => ({ name, md5: md5Of(bytes), crc32: zlib.crc32(bytes) }));
  const files: Files = new Map(list.map(([name, bytes]) => [name, name === 'IMAGE.DAT' ? IMAGE_BYTES : bytes]));
  files.set('CHECKSUM.MD5', Buffer.from(writeChecksumMd5(sums), 'latin1'));
  files.set('CHECKSUM.TXT', Buffer.from(writeChecksumTxt(sums), 'latin1'));
  return files;
}

const cloneFiles = (files: Files): Files => new Map([...files].map(([k, v]) => [k, typeof v === 'number' ? v : Buffer.from(v)]));

// ---------------------------------------------------------------------------------------------------
// Mutations. Each takes the bytes and returns the new bytes, logging what it did.

type Log = string[];
type Mutation = (rng: Rng, buf: Buffer, log: Log) => Buffer;

const SPECIAL = [0x00, 0x20, 0x30, 0x39, 0xff, 0x80] as const;
const ABSURD = ['99999999', '999999999', '00000000', '-1', '1e9', '0x10', '', 'AA', '  9', '9  ', ' 0 1', '+5', '٣'];
const NAMES = ['DDPMS', 'DDPID', 'IMAGE.DAT', 'image.dat', 'PQDESCR', 'CDTEXT.BIN', 'CHECKSUM.MD5', 'NOPE', '', '../DDPMS', '/etc/passwd', 'A'.repeat(17)];

const place = (rng: Rng, buf: Buffer): number => rng.int(buf.length);

const flipBits: Mutation = (rng, buf, log) => {
  if (buf.length === 0) return buf;
  const n = 1 + rng.int(4);
  for (let k = 0; k < n; k++) {
    const at = place(rng, buf);
    const mask = rng.chance(0.5) ? 1 << rng.int(8) : 1 + rng.int(255);
    buf[at] = buf[at]! ^ mask;
    log.push(`xor ${hex(mask)} at ${at}`);
  }
  return buf;
};

const setSpecial: Mutation = (rng, buf, log) => {
  if (buf.length === 0) return buf;
  const at = place(rng, buf);
  const value = rng.pick(SPECIAL);
  const run = rng.chance(0.7) ? 1 : 1 + rng.int(24);
  buf.fill(value, at, Math.min(buf.length, at + run));
  log.push(`set ${run} byte(s) at ${at} to ${hex(value)}`);
  return buf;
};

const truncateTo: Mutation = (rng, buf, log) => {
  const len = rng.chance(0.5) ? rng.int(buf.length + 1) : Math.max(0, buf.length - 1 - rng.int(3));
  log.push(`truncate ${buf.length} → ${len}`);
  return buf.subarray(0, len);
};

const extend: Mutation = (rng, buf, log) => {
  const n = rng.pick([1, 2, 17, 18, 19, 63, 64, 65, 127, 128, 129, 1 + rng.int(600)]);
  const kind = rng.pick(['zeros', 'spaces', 'random', 'copy'] as const);
  let tail: Buffer;
  if (kind === 'zeros') tail = Buffer.alloc(n);
  else if (kind === 'spaces') tail = Buffer.alloc(n, 0x20);
  else if (kind === 'random') tail = Buffer.from(Array.from({ length: n }, () => rng.int(256)));
  else tail = Buffer.from(buf.subarray(0, n));
  log.push(`append ${tail.length} ${kind} byte(s)`);
  return Buffer.concat([buf, tail]);
};

const empty: Mutation = (_rng, _buf, log) => {
  log.push('empty');
  return Buffer.alloc(0);
};

const lowerCase: Mutation = (rng, buf, log) => {
  if (buf.length === 0) return buf;
  const at = place(rng, buf);
  const end = Math.min(buf.length, at + 1 + rng.int(40));
  Buffer.from(buf.toString('latin1', at, end).toLowerCase(), 'latin1').copy(buf, at);
  log.push(`lower-case ${at}..${end - 1}`);
  return buf;
};

/** Operations on whole records of `size` bytes (packets, packs). */
function recordOps(size: number): Mutation[] {
  const count = (buf: Buffer): number => Math.floor(buf.length / size);
  const record = (buf: Buffer, n: number): Buffer => buf.subarray(n * size, (n + 1) * size);
  const swap: Mutation = (rng, buf, log) => {
    const c = count(buf);
    if (c < 2) return buf;
    const a = rng.int(c);
    const b = rng.int(c);
    const ra = Buffer.from(record(buf, a));
    record(buf, b).copy(buf, a * size);
    ra.copy(buf, b * size);
    log.push(`swap records ${a} and ${b} (${size} bytes)`);
    return buf;
  };
  const duplicate: Mutation = (rng, buf, log) => {
    const c = count(buf);
    if (c === 0) return buf;
    const from = rng.int(c);
    const to = rng.int(c + 1);
    log.push(`copy record ${from} to ${to} (${size} bytes)`);
    return Buffer.concat([buf.subarray(0, to * size), record(buf, from), buf.subarray(to * size)]);
  };
  const remove: Mutation = (rng, buf, log) => {
    const c = count(buf);
    if (c === 0) return buf;
    const n = rng.int(c);
    log.push(`delete record ${n} (${size} bytes)`);
    return Buffer.concat([buf.subarray(0, n * size), buf.subarray((n + 1) * size)]);
  };
  return [swap, duplicate, remove];
}

/** Writes an absurd value into a field of a fixed-width record. */
function fieldOp(fields: readonly FieldSpec[], size: number, favourite: readonly string[]): Mutation {
  return (rng, buf, log) => {
    const c = Math.max(1, Math.floor(buf.length / size));
    const n = rng.int(c);
    const f = rng.chance(0.5) ? (fields.find((x) => x.name === rng.pick(favourite)) ?? rng.pick(fields)) : rng.pick(fields);
    let value: string;
    const r = rng.int(4);
    if (r === 0) value = rng.pick(ABSURD);
    else if (r === 1) value = '9'.repeat(f.len);
    else if (r === 2) value = Array.from({ length: f.len }, () => String(rng.int(10))).join('');
    else value = Array.from({ length: f.len }, () => String.fromCharCode(0x20 + rng.int(95))).join('');
    const text = rng.chance(0.5) ? value.padStart(f.len).slice(0, f.len) : value.padEnd(f.len).slice(0, f.len);
    const at = n * size + f.off;
    if (at + f.len > buf.length) return buf;
    buf.write(text, at, f.len, 'latin1');
    log.push(`record ${n} ${f.name} = ${JSON.stringify(text)}`);
    return buf;
  };
}

const GENERIC: Mutation[] = [flipBits, flipBits, setSpecial, setSpecial, truncateTo, extend, empty, lowerCase];

const DDPID_OPS: Mutation[] = [...GENERIC, fieldOp(DDPID_FIELDS, 128, ['level', 'upc', 'type', 'masterId']), fieldOp(DDPID_FIELDS, 128, ['upc'])];

/** DDPMS: absurd sizes, duplicated D0 packets, streams pointing at other files. */
const duplicateD0: Mutation = (rng, buf, log) => {
  const n = Math.floor(buf.length / 128);
  for (let k = 0; k < n; k++) {
    if (buf.toString('latin1', k * 128 + 4, k * 128 + 6) === 'D0') {
      const times = 1 + rng.int(2);
      log.push(`duplicate the D0 packet ${k} ${times} time(s)`);
      return Buffer.concat([buf, ...Array.from({ length: times }, () => buf.subarray(k * 128, (k + 1) * 128))]);
    }
  }
  return buf;
};
const setDsi: Mutation = (rng, buf, log) => {
  const n = rng.int(Math.max(1, Math.floor(buf.length / 128)));
  if ((n + 1) * 128 > buf.length) return buf;
  const name = rng.pick(NAMES);
  buf.write(name.padEnd(17).slice(0, 17), n * 128 + 74, 17, 'latin1');
  log.push(`packet ${n} DSI = ${JSON.stringify(name)}`);
  return buf;
};
const DDPMS_OPS: Mutation[] = [
  ...GENERIC,
  ...recordOps(128),
  duplicateD0,
  setDsi,
  fieldOp(DDPMS_FIELDS, 128, ['DSL', 'DSL', 'OFS', 'DSS', 'PRE2', 'DSIL', 'DST', 'SUB', 'CDM', 'SSM', 'SCR', 'TRK']),
  fieldOp(DDPMS_FIELDS, 128, ['DSL']),
];

const PQ_OPS: Mutation[] = [...GENERIC, ...recordOps(64), ...recordOps(64), fieldOp(PQ_FIELDS, 64, ['TRK', 'IDX', 'MSF', 'MSF', 'hours', 'CB1', 'ISRC', 'UPC', 'SPV'])];

/** CD-Text: header bytes, size information, extra blocks, a .cdt header, trailing zero. */
const packHeader: Mutation = (rng, buf, log) => {
  const packs = Math.floor(buf.length / 18);
  if (packs === 0) return buf;
  const p = rng.int(packs);
  const byte = rng.int(4);
  const value = rng.pick([rng.int(256), 0x80 + rng.int(16), 0x8f, rng.int(100), 0xff, 0, rng.int(16) | (rng.int(8) << 4), 0x80 | rng.int(16)]);
  buf[p * 18 + byte] = value;
  log.push(`pack ${p} byte ${byte} = ${hex(value)}`);
  return buf;
};
const sizeInfo: Mutation = (rng, buf, log) => {
  const packs = Math.floor(buf.length / 18);
  const info = Array.from({ length: packs }, (_, p) => p).filter((p) => buf[p * 18] === 0x8f);
  if (info.length === 0) return buf;
  const p = rng.pick(info);
  const at = 4 + rng.int(12);
  const value = rng.pick([0, 1, 2, 3, 99, 100, 0xff, 0x80, rng.int(256)]);
  buf[p * 18 + at] = value;
  log.push(`size information pack ${p} payload byte ${at - 4} = ${hex(value)}`);
  return buf;
};
const addBlock: Mutation = (rng, buf, log) => {
  const copy = Buffer.from(buf.subarray(0, Math.floor(buf.length / 18) * 18));
  const block = 1 + rng.int(7);
  for (let p = 0; p < copy.length / 18; p++) copy[p * 18 + 3] = (copy[p * 18 + 3]! & 0x8f) | (block << 4);
  log.push(`append a copy as block ${block}`);
  return rng.chance(0.5) ? Buffer.concat([buf, copy]) : Buffer.concat([copy, buf]);
};
const cdtHeader: Mutation = (rng, buf, log) => {
  const header = Buffer.alloc(4);
  const field = rng.chance(0.7) ? buf.length + 2 : rng.int(0x10000);
  header.writeUInt16BE(field & 0xffff, 0);
  log.push(`.cdt header with size field ${field}`);
  return Buffer.concat([header, buf]);
};
const trailingZero: Mutation = (_rng, buf, log) => {
  log.push('append one 0x00');
  return Buffer.concat([buf, Buffer.alloc(1)]);
};
const CDTEXT_OPS: Mutation[] = [...GENERIC, ...recordOps(18), ...recordOps(18), packHeader, packHeader, sizeInfo, sizeInfo, addBlock, cdtHeader, trailingZero];

/** Recomputes every pack's CRC, so that the damage reaches the checks behind the CRC check. */
function fixCrcs(buf: Buffer): Buffer {
  for (let p = 0; p + 18 <= buf.length; p += 18) buf.writeUInt16BE(crc16(buf.subarray(p, p + 16)), p + 16);
  return buf;
}

/** Checksum files: odd lines of every dialect. */
const insertLine: Mutation = (rng, buf, log) => {
  const h = (n: number): string => Array.from({ length: n }, () => '0123456789abcdefABCDEF'[rng.int(22)]).join('');
  const line = rng.pick([
    `${h(32)} *${rng.pick(NAMES)}`,
    `${h(32)}  ${rng.pick(NAMES)}`,
    `\\${h(32)} *DD\\\\P\\nID`,
    `MD5 (${rng.pick(NAMES)}) = ${h(32)}`,
    `${rng.pick(NAMES)}=${h(rng.int(10))}`,
    `${rng.pick(NAMES)}= ${h(8)} `,
    '[CRC32 Checksum]',
    '[other]',
    '; comment',
    '\uFEFF',
    `${h(31)} *X`,
    '=',
    '*',
    'x'.repeat(rng.int(3000)),
  ]);
  const text = buf.toString('latin1');
  const lines = text.split('\n');
  const at = rng.int(lines.length + 1);
  lines.splice(at, 0, line);
  log.push(`insert line ${at}: ${JSON.stringify(line.slice(0, 60))}`);
  return Buffer.from(lines.join(rng.chance(0.2) ? '\r\n' : '\n'), 'latin1');
};
const utf8Bom: Mutation = (_rng, buf, log) => {
  log.push('prepend a UTF-8 byte-order mark');
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), buf]);
};
const CHECKSUM_OPS: Mutation[] = [...GENERIC, insertLine, insertLine, utf8Bom];

const OPS: Record<string, Mutation[]> = {
  DDPID: DDPID_OPS,
  DDPMS: DDPMS_OPS,
  PQDESCR: PQ_OPS,
  'CDTEXT.BIN': CDTEXT_OPS,
  'CHECKSUM.MD5': CHECKSUM_OPS,
  'CHECKSUM.TXT': CHECKSUM_OPS,
};

/** Applies 1–3 mutations of the file's kind (and for CD-Text, maybe repairs the CRCs afterwards). */
function mutateBytes(rng: Rng, name: string, buf: Buffer, log: Log): Buffer {
  const ops = OPS[name.toUpperCase()] ?? GENERIC;
  const done: Log = [];
  let out = buf;
  const n = 1 + rng.int(3);
  for (let k = 0; k < n; k++) out = rng.pick(ops)(rng, out, done);
  if (name.toUpperCase() === 'CDTEXT.BIN' && rng.chance(0.6)) {
    out = fixCrcs(Buffer.from(out));
    done.push('CRCs recomputed');
  }
  log.push(`${name}: ${done.join(', ')}`);
  return out;
}

/** Mutations of the fileset as a whole: contents, sizes, names, files deleted or added. */
function mutateFileset(rng: Rng, files: Files, log: Log): void {
  const n = 1 + rng.int(3);
  for (let k = 0; k < n; k++) {
    const names = [...files.keys()];
    if (names.length === 0) return;
    const name = rng.pick(names);
    const content = files.get(name)!;
    const r = rng.int(20);
    if (r === 0) {
      files.delete(name);
      log.push(`delete ${name}`);
    } else if (r === 1) {
      files.delete(name);
      files.set(name.toLowerCase(), content);
      log.push(`rename ${name} to ${name.toLowerCase()}`);
    } else if (r === 2) {
      files.set(name.toLowerCase() === name ? name.toUpperCase() : name.toLowerCase(), content);
      log.push(`copy ${name} under a name differing in case`);
    } else if (r === 3) {
      files.set(name, Buffer.alloc(0));
      log.push(`empty ${name}`);
    } else if (r === 4) {
      const extra = rng.pick(['NOTES.TXT', 'x.md5', 'Checksum.txt', 'MD5_CHECKSUM.MD5', 'IMAGE.DAT.bak', 'D']);
      files.set(extra, Buffer.from(rng.pick(['', 'garbage\n', `${'0'.repeat(32)} *DDPID\r\n`, '[CRC32 Checksum]\nDDPMS=1\n'])));
      log.push(`add ${extra}`);
    } else if (typeof content === 'number') {
      const size = rng.pick([0, 1, content - 1, content + 1, content - BYTES_PER_FRAME, content + BYTES_PER_FRAME, 2352 * 2, content + rng.int(1000)]);
      files.set(name, Math.max(0, size));
      log.push(`${name} size ${content} → ${Math.max(0, size)}`);
    } else {
      files.set(name, mutateBytes(rng, name, Buffer.from(content), log));
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Variants every reader must accept (formats.md: "Readers accept both space- and zero-padded forms
// everywhere"; DSS 00000000; any case of `AA`). They must read exactly as the original, without a finding.

/** Rewrites the numeric fields of each record in the other padding, at random; blank DSS and OFS as zeros. */
function paddingVariant(rng: Rng, buf: Buffer, fields: readonly FieldSpec[], size: number, log: Log): Buffer {
  const out = Buffer.from(buf);
  for (let n = 0; n + size <= out.length; n += size) {
    for (const f of fields) {
      if (!rng.chance(0.5)) continue;
      const at = n + f.off;
      const text = out.toString('latin1', at, at + f.len);
      let variant: string | undefined;
      if (f.kind === 'pqTrack' && text === 'AA') variant = 'aa';
      else if (text.trim() === '' && (f.name === 'DSS' || f.name === 'OFS')) variant = '0'.repeat(f.len);
      else if (/^ *\d+$/.test(text) && (f.kind === 'num' || f.kind === 'zeroNum' || f.kind === 'pqTrack' || f.kind === 'msf')) {
        const digits = f.kind === 'msf' ? text.replaceAll(' ', '0') : String(Number(text.trim()));
        // An MSF time keeps its six digits; its leading zeros may be blanks.
        variant = f.kind === 'msf' ? digits.replace(/^0+(?=\d)/, (z) => ' '.repeat(z.length)) : digits.padStart(f.len, rng.pick([' ', '0']));
      }
      if (variant === undefined || variant === text) continue;
      out.write(variant, at, f.len, 'latin1');
      log.push(`record ${n / size} ${f.name} ${JSON.stringify(text)} → ${JSON.stringify(variant)}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// What must hold for any input.

const SEVERITIES = new Set(['error', 'warning', 'note']);
/** Every finding code the cases of a test reached: the mutations must get past the first checks. */
const reached = new Set<string>();
/** Cases in which readFileset refused a folder as not a fileset. */
let notAFileset = 0;

/** Why a findings list is malformed, or undefined when it is fine. */
function badFinding(findings: Finding[]): string | undefined {
  for (const f of findings) {
    reached.add(f.code);
    const what = JSON.stringify(f);
    if (!SEVERITIES.has(f.severity)) return `bad severity: ${what}`;
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(f.code)) return `bad code: ${what}`;
    if (typeof f.message !== 'string' || f.message === '') return `empty message: ${what}`;
    if (/\bundefined\b|\bNaN\b|\[object |Infinity/.test(f.message)) return `message shows a missing value: ${what}`;
    if (f.file !== undefined && (typeof f.file !== 'string' || f.file === '')) return `bad file: ${what}`;
    for (const n of [f.offset, f.packet]) {
      if (n !== undefined && (!Number.isSafeInteger(n) || n < 0)) return `bad offset or packet: ${what}`;
    }
  }
  return undefined;
}

/** Runs every parser on its file of an in-memory fileset; returns what went wrong, if anything. */
function parseAll(files: Files, rng: Rng, log: Log): string | undefined {
  const get = (name: string): Buffer => {
    const v = files.get(name);
    return v === undefined ? Buffer.alloc(0) : typeof v === 'number' ? Buffer.alloc(Math.min(v, 4096)) : v;
  };
  const inputs: [string, Buffer][] = ['DDPID', 'DDPMS', 'PQDESCR', 'CDTEXT.BIN', 'CHECKSUM.MD5', 'CHECKSUM.TXT'].map((n) => [n, get(n)]);
  // Now and then, a file given to the wrong parser.
  if (rng.chance(0.1)) {
    const i = rng.int(inputs.length);
    const j = rng.int(inputs.length);
    log.push(`parsers swapped: ${inputs[i]![0]} ↔ ${inputs[j]![0]}`);
    const t = inputs[i]![1];
    inputs[i]![1] = inputs[j]![1];
    inputs[j]![1] = t;
  }
  const [ddpid, ddpms, pq, cdText, md5, txt] = inputs.map(([, b]) => b) as [Buffer, Buffer, Buffer, Buffer, Buffer, Buffer];
  const before = inputs.map(([, b]) => Buffer.from(b));
  const runs: [string, () => Finding[]][] = [
    ['readDdpid', () => readDdpid(ddpid, 'DDPID').findings],
    ['readDdpms', () => readDdpms(ddpms, 'DDPMS').findings],
    [
      'readPqdescr',
      () => {
        const r = readPqdescr(pq, 'PQDESCR');
        for (const t of r.layout.tracks) {
          if (!t.indexes.some((i) => i.number === 1)) throw new Error(`track ${t.number} without index 01 in the layout`);
        }
        return r.findings;
      },
    ],
    [
      'decodeCdText',
      () => {
        const r = decodeCdText(cdText, 'CDTEXT.BIN');
        if (r.cdText && r.cdText.tracks.length > 99) throw new Error(`${r.cdText.tracks.length} CD-Text tracks`);
        return r.findings;
      },
    ],
    ['parseMd5File', () => parseMd5File(md5.toString('latin1'), 'CHECKSUM.MD5').findings],
    ['parseCrc32File', () => parseCrc32File(txt.toString('latin1'), 'CHECKSUM.TXT').findings],
  ];
  for (const [name, run] of runs) {
    try {
      const bad = badFinding(run());
      if (bad !== undefined) return `${name}: ${bad}`;
    } catch (e) {
      return `${name} threw ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
    }
  }
  if (inputs.some(([, b], i) => !b.equals(before[i]!))) return 'a parser changed its input';
  return undefined;
}

async function writeFileset(dir: string, files: Files): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  for (const [name, content] of files) {
    const path = join(dir, name);
    if (typeof content === 'number') {
      await writeFile(path, '');
      await truncate(path, content);
    } else await writeFile(path, content);
  }
}

/** Reads (or verifies) a fileset on disk; returns what went wrong, if anything. */
async function readOnDisk(dir: string, files: Files, verify: boolean): Promise<string | undefined> {
  await writeFileset(dir, files);
  const hasDdpms = [...files.keys()].some((n) => n.toUpperCase() === 'DDPMS');
  try {
    const r = verify ? await verifyFileset(dir) : await readFileset(dir);
    if (!hasDdpms) return 'read a folder without DDPMS';
    const bad = badFinding(r.findings);
    if (bad !== undefined) return bad;
    if (r.disc) {
      if (r.disc.tracks.length === 0) return 'a disc without tracks';
      if (!Number.isSafeInteger(r.disc.leadOut) || r.disc.leadOut < 0) return `lead-out ${r.disc.leadOut}`;
    }
    if (r.files.image && r.files.image.frames > MAX_FRAMES) return `image of ${r.files.image.frames} frames`;
    if ('checksums' in r) {
      const v = r as Awaited<ReturnType<typeof verifyFileset>>;
      if (v.ok !== !v.findings.some((f) => f.severity === 'error')) return `ok is ${v.ok} with findings ${JSON.stringify(v.findings)}`;
      // Every file but the checksum files is hashed, once, under its own name.
      const checksumFiles = new Set(v.files.others.filter((f) => checksumFileKind(f.name) !== undefined).map((f) => f.name));
      const hashed = v.checksums.map((c) => c.name).sort();
      const expected = [...files.keys()].filter((name) => !checksumFiles.has(name)).sort();
      if (hashed.join('/') !== expected.join('/')) return `checksums list ${hashed.join(', ')}; the files are ${expected.join(', ')}`;
      for (const c of v.checksums) {
        const content = files.get(c.name);
        const size = typeof content === 'number' ? content : content?.length;
        if (c.bytes !== size) return `checksums say ${c.name} has ${c.bytes} bytes, it has ${size}`;
      }
    }
    return undefined;
  } catch (e) {
    if (e instanceof DdpkitError && e.code === 'ddp' && !hasDdpms) {
      notAFileset++;
      return undefined;
    }
    return `threw ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
  }
}

/** Failures as one readable message, with what it takes to replay them. */
function report(failures: string[], total: number): string {
  return `${failures.length} of ${total} cases failed (DDPKIT_FUZZ_SEED=${hex(SEED, 8)}):\n${failures.slice(0, 5).join('\n\n')}`;
}

let work: string;
beforeAll(async () => {
  baseFiles = makeBase();
  work = await tempDir();
});
afterAll(async () => {
  await removeDir(work);
});

describe(`fuzzing the fileset readers (seed ${hex(SEED, 8)})`, { timeout: 60_000 * SCALE }, () => {
  it('the unchanged base fileset is clean', async () => {
    const dir = join(work, 'base');
    await writeFileset(dir, baseFiles);
    const r = await verifyFileset(dir);
    expect(r.findings).toEqual([]);
    expect(r.disc).toEqual(DISC);
  });

  it(`parsers: ${PARSER_CASES} mutated filesets, no exception, well-formed findings`, () => {
    const failures: string[] = [];
    reached.clear();
    for (let n = 0; n < PARSER_CASES; n++) {
      const rng = new Rng(caseSeed(0, n));
      const files = cloneFiles(baseFiles);
      const log: Log = [];
      // Most mutations go to the small files; IMAGE.DAT plays no part here.
      const targets = 1 + rng.int(2);
      for (let k = 0; k < targets; k++) {
        const name = rng.pick(['DDPID', 'DDPMS', 'DDPMS', 'PQDESCR', 'PQDESCR', 'CDTEXT.BIN', 'CDTEXT.BIN', 'CHECKSUM.MD5', 'CHECKSUM.TXT']);
        files.set(name, mutateBytes(rng, name, Buffer.from(files.get(name) as Buffer), log));
      }
      const problem = parseAll(files, rng, log);
      if (problem !== undefined) failures.push(`case ${n} (seed ${hex(caseSeed(0, n), 8)}): ${log.join('; ')}\n  → ${problem}`);
    }
    expect(failures.length, report(failures, PARSER_CASES)).toBe(0);
    // The damage reached the checks behind the markers, sizes and CRCs.
    for (const code of ['cdtext-size-info', 'cdtext-position', 'cdtext-strings', 'cdtext-sequence', 'cdtext-block', 'pq-time-order', 'pq-track-length', 'pq-index-order', 'isrc-conflict', 'upc-check-digit', 'ddpms-stream-type', 'ddpms-dsi-length', 'md5-line', 'md5-duplicate', 'crc-line']) {
      expect([...reached], `finding ${code} never reached`).toContain(code);
    }
  });

  it(`readFileset: ${READ_CASES} mutated filesets on disk; only "not a fileset" may throw, as DdpkitError('ddp')`, async () => {
    const failures: string[] = [];
    notAFileset = 0;
    reached.clear();
    for (let n = 0; n < READ_CASES; n++) {
      const rng = new Rng(caseSeed(1, n));
      const files = cloneFiles(baseFiles);
      const log: Log = [];
      mutateFileset(rng, files, log);
      const problem = await readOnDisk(join(work, 'read'), files, false);
      if (problem !== undefined) failures.push(`case ${n} (seed ${hex(caseSeed(1, n), 8)}): ${log.join('; ')}\n  → ${problem}`);
    }
    expect(failures.length, report(failures, READ_CASES)).toBe(0);
    expect(notAFileset, 'cases without DDPMS').toBeGreaterThan(0);
    for (const code of ['fileset-missing', 'fileset-ambiguous', 'ddpms-image', 'stream-size', 'image-size', 'ddpid-missing', 'pq-lead-out', 'cdtext-crc']) {
      expect([...reached], `finding ${code} never reached`).toContain(code);
    }
  });

  it(`verifyFileset: ${VERIFY_CASES} mutated filesets on disk`, async () => {
    const failures: string[] = [];
    reached.clear();
    for (let n = 0; n < VERIFY_CASES; n++) {
      const rng = new Rng(caseSeed(2, n));
      const files = cloneFiles(baseFiles);
      const log: Log = [];
      mutateFileset(rng, files, log);
      const problem = await readOnDisk(join(work, 'verify'), files, true);
      if (problem !== undefined) failures.push(`case ${n} (seed ${hex(caseSeed(2, n), 8)}): ${log.join('; ')}\n  → ${problem}`);
    }
    expect(failures.length, report(failures, VERIFY_CASES)).toBe(0);
    for (const code of ['md5-mismatch', 'crc32-mismatch', 'checksum-missing-file', 'checksum-uncovered']) {
      expect([...reached], `finding ${code} never reached`).toContain(code);
    }
  });

  it('every padding variant reads as the original, without a finding', async () => {
    const ddpms = baseFiles.get('DDPMS') as Buffer;
    const pq = baseFiles.get('PQDESCR') as Buffer;
    const originalMap = readDdpms(ddpms, 'DDPMS');
    const originalPq = readPqdescr(pq, 'PQDESCR');
    expect([...originalMap.findings, ...originalPq.findings]).toEqual([]);
    const failures: string[] = [];
    for (let n = 0; n < 1000 * SCALE; n++) {
      const rng = new Rng(caseSeed(3, n));
      const log: Log = [];
      const map = paddingVariant(rng, ddpms, DDPMS_FIELDS, 128, log);
      const packets = paddingVariant(rng, pq, PQ_FIELDS, 64, log);
      const m = readDdpms(map, 'DDPMS');
      const p = readPqdescr(packets, 'PQDESCR');
      const same = isDeepStrictEqual([m.packets, p.packets, p.layout], [originalMap.packets, originalPq.packets, originalPq.layout]);
      const findings = [...m.findings, ...p.findings];
      if (findings.length > 0 || !same) {
        failures.push(`case ${n} (seed ${hex(caseSeed(3, n), 8)}): ${log.join('; ')}\n  → ${same ? '' : 'read differently; '}${JSON.stringify(findings)}`);
      }
      if (n % 20 === 0) {
        // And a few whole filesets on disk.
        const files = cloneFiles(baseFiles);
        files.set('DDPMS', map);
        files.set('PQDESCR', packets);
        const dir = join(work, 'variant');
        await writeFileset(dir, files);
        const r = await readFileset(dir);
        if (r.findings.length > 0 || !isDeepStrictEqual(r.disc, DISC)) {
          failures.push(`case ${n} on disk (seed ${hex(caseSeed(3, n), 8)}): ${log.join('; ')}\n  → ${JSON.stringify(r.findings)}`);
        }
      }
    }
    expect(failures.length, report(failures, 1000 * SCALE)).toBe(0);
  });

  it('absurd lengths and offsets allocate nothing they name (DSL 99999999, OFS 999999999, ...)', async () => {
    const ddpms = baseFiles.get('DDPMS') as Buffer;
    const set = (packet: number, off: number, text: string): Buffer => {
      const b = Buffer.from(ddpms);
      b.write(text, packet * 128 + off, 'latin1');
      return b;
    };
    const cases: [string, Buffer, string[]][] = [
      ['CD-Text DSL 99999999', set(0, 14, '99999999'), ['stream-size']],
      ['PQ DSL 99999999', set(1, 14, '99999999'), ['stream-size']],
      ['D0 DSL 99999999', set(2, 14, '99999999'), ['ddpms-dsl']],
      ['D0 OFS 999999999', set(2, 104, '999999999'), ['image-size']],
      ['PQ OFS 999999999', set(1, 104, '999999999'), ['stream-size']],
      ['CD-Text OFS 999999999', set(0, 104, '999999999'), ['stream-size']],
      ['D0 DSS 99999999', set(2, 22, '99999999'), ['ddpms-dss']],
    ];
    for (const [what, bytes, codes] of cases) {
      const files = cloneFiles(baseFiles);
      files.set('DDPMS', bytes);
      const dir = join(work, 'absurd');
      const problem = await readOnDisk(dir, files, true);
      expect(problem, what).toBeUndefined();
      const r = await verifyFileset(dir);
      const found = r.findings.filter((f) => f.file !== 'DDPMS' || f.code !== 'md5-mismatch').map((f) => f.code);
      for (const code of codes) expect(found, what).toContain(code);
      expect(r.ok, what).toBe(false);
    }
    // A PQ stream pointing at the image: far more than any PQ, so not read at all.
    const files = cloneFiles(baseFiles);
    files.set('DDPMS', set(1, 74, 'IMAGE.DAT        '));
    files.set('DDPMS', Buffer.from((files.get('DDPMS') as Buffer).toString('latin1').replace('     512', `${IMAGE_BYTES}`.padStart(8)), 'latin1'));
    await writeFileset(join(work, 'absurd'), files);
    const r = await readFileset(join(work, 'absurd'));
    expect(r.findings.map((f) => f.code)).toContain('stream-size');
  });
});
