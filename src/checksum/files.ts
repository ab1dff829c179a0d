// CHECKSUM.MD5 and CHECKSUM.TXT: writing ours, reading every dialect plants send back (formats.md, "Checksum files").
import { DdpkitError, type Finding } from '../errors.js';
import { crc32Hex } from './digest.js';

/** One line of an MD5 file. */
export interface Md5Entry {
  name: string;
  /** 32 lower-case hex digits. */
  md5: string;
  /** md5sum's `*` (binary) or ` ` (text) mode marker; BSD-style lines count as binary. */
  mode: 'binary' | 'text';
  /** 1-based line number. */
  line: number;
}

/** One line of a CRC32 checksum file. */
export interface Crc32Entry {
  name: string;
  crc32: number;
  line: number;
}

/** The section header of the CRC32 file. Ref: formats.md, "Checksum files". */
export const CRC32_HEADER = '[CRC32 Checksum]';
/** Names ddpkit gives its checksum files. Ref: formats.md, "Checksum files". */
export const MD5_FILE = 'CHECKSUM.MD5';
export const CRC32_FILE = 'CHECKSUM.TXT';

function checkName(name: string): void {
  if (name === '' || /[\r\n\\]/.test(name)) {
    throw new DdpkitError('ddp', `checksum file: cannot list the file name ${JSON.stringify(name)}`);
  }
}

/** CHECKSUM.MD5 text: `<md5> *<NAME>` per entry, LF line ends, in the order given. */
export function writeChecksumMd5(entries: { name: string; md5: string }[]): string {
  return entries
    .map(({ name, md5 }) => {
      checkName(name);
      if (!/^[0-9a-fA-F]{32}$/.test(md5)) throw new DdpkitError('ddp', `checksum file: "${md5}" is not an MD5 for ${name}`);
      return `${md5.toLowerCase()} *${name}\n`;
    })
    .join('');
}

/** CHECKSUM.TXT text: the `[CRC32 Checksum]` header, then `NAME=XXXXXXXX` per entry, LF line ends. */
export function writeChecksumTxt(entries: { name: string; crc32: number }[]): string {
  const lines = entries.map(({ name, crc32 }) => {
    checkName(name);
    if (name.includes('=')) throw new DdpkitError('ddp', `checksum file: cannot list the file name "${name}" (it has "=")`);
    if (!Number.isInteger(crc32) || crc32 < -0x80000000 || crc32 > 0xffffffff) {
      throw new DdpkitError('ddp', `checksum file: ${crc32} is not a CRC-32 for ${name}`);
    }
    return `${name}=${crc32Hex(crc32)}\n`;
  });
  return `${CRC32_HEADER}\n${lines.join('')}`;
}

/** Lines of a text with their 1-based numbers and byte offsets; LF or CRLF; a leading BOM skipped. */
function lines(text: string): { text: string; line: number; offset: number }[] {
  const out: { text: string; line: number; offset: number }[] = [];
  let offset = 0;
  let body = text;
  if (body.startsWith('\uFEFF')) {
    body = body.slice(1);
    offset = 3;
  }
  const parts = body.split('\n');
  parts.forEach((raw, i) => {
    const t = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    out.push({ text: t, line: i + 1, offset });
    offset += Buffer.byteLength(raw) + 1;
  });
  return out;
}

/** md5sum line: optional `\` (escaped name), hash, space, mode (` ` text or `*` binary), name. */
const MD5SUM_LINE_RE = /^(\\?)([0-9a-fA-F]{32}) ([ *])(.+)$/;
/** BSD `md5 -r`-less form: `MD5 (NAME) = hash`. */
const BSD_LINE_RE = /^MD5 ?\((.+)\) ?= ?([0-9a-fA-F]{32})$/;
/** Comment lines some Windows tools write. */
const COMMENT_RE = /^\s*[#;]/;

/** Reads an MD5 checksum file (md5sum text or binary mode, BSD form, LF or CRLF). */
export function parseMd5File(text: string, fileName: string): { entries: Md5Entry[]; findings: Finding[] } {
  const entries: Md5Entry[] = [];
  const findings: Finding[] = [];
  for (const l of lines(text)) {
    if (l.text.trim() === '' || COMMENT_RE.test(l.text)) continue;
    let m = MD5SUM_LINE_RE.exec(l.text);
    if (m) {
      const name = m[1] === '\\' ? unescapeName(m[4]!) : m[4]!;
      entries.push({ name, md5: m[2]!.toLowerCase(), mode: m[3] === '*' ? 'binary' : 'text', line: l.line });
      continue;
    }
    m = BSD_LINE_RE.exec(l.text);
    if (m) {
      entries.push({ name: m[1]!, md5: m[2]!.toLowerCase(), mode: 'binary', line: l.line });
      continue;
    }
    findings.push({
      severity: 'error',
      code: 'md5-line',
      file: fileName,
      offset: l.offset,
      message: `line ${l.line} is not "<32 hex digits> *NAME": ${JSON.stringify(l.text.slice(0, 80))}`,
    });
  }
  duplicates(entries, (e) => e.md5, fileName, 'md5-duplicate', findings);
  if (entries.length === 0) findings.push({ severity: 'warning', code: 'md5-empty', file: fileName, message: 'no checksums in the file' });
  return { entries, findings };
}

/** md5sum escapes `\` and newlines in names when the line starts with `\`. */
function unescapeName(name: string): string {
  return name.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c));
}

/** `NAME=XXXXXXXX` (any case of hex). */
const CRC_LINE_RE = /^(.+)=\s*([0-9a-fA-F]{1,8})\s*$/;
/** A `[section]` line. */
const SECTION_RE = /^\[(.*)\]$/;

/** Reads a CRC32 checksum file (`[CRC32 Checksum]`, then `NAME=XXXXXXXX`; LF or CRLF). */
export function parseCrc32File(text: string, fileName: string): { entries: Crc32Entry[]; findings: Finding[] } {
  const entries: Crc32Entry[] = [];
  const findings: Finding[] = [];
  let header = false;
  for (const l of lines(text)) {
    const t = l.text.trim();
    if (t === '' || COMMENT_RE.test(t)) continue;
    const section = SECTION_RE.exec(t);
    if (section) {
      if (t.toUpperCase() === CRC32_HEADER.toUpperCase()) header = true;
      else findings.push({ severity: 'warning', code: 'crc-line', file: fileName, offset: l.offset, message: `line ${l.line}: unknown section ${t}` });
      continue;
    }
    const m = CRC_LINE_RE.exec(t);
    if (!m) {
      findings.push({
        severity: 'error',
        code: 'crc-line',
        file: fileName,
        offset: l.offset,
        message: `line ${l.line} is not "NAME=XXXXXXXX": ${JSON.stringify(t.slice(0, 80))}`,
      });
      continue;
    }
    entries.push({ name: m[1]!.trim(), crc32: parseInt(m[2]!, 16) >>> 0, line: l.line });
  }
  if (!header) findings.push({ severity: 'warning', code: 'crc-header', file: fileName, message: `no ${CRC32_HEADER} line` });
  duplicates(entries, (e) => String(e.crc32), fileName, 'crc-duplicate', findings);
  if (entries.length === 0) findings.push({ severity: 'warning', code: 'crc-empty', file: fileName, message: 'no checksums in the file' });
  return { entries, findings };
}

function duplicates<E extends { name: string; line: number }>(
  entries: E[],
  value: (e: E) => string,
  fileName: string,
  code: string,
  findings: Finding[],
): void {
  const seen = new Map<string, E>();
  for (const e of entries) {
    const key = e.name.toUpperCase();
    const first = seen.get(key);
    if (!first) seen.set(key, e);
    else if (value(first) !== value(e)) {
      findings.push({
        severity: 'error',
        code,
        file: fileName,
        message: `line ${e.line} gives ${e.name} a different checksum than line ${first.line}`,
      });
    }
  }
}

/** Which kind of checksum file a name is: `*.md5` or the CRC32 `CHECKSUM.TXT` (any case). */
export function checksumFileKind(name: string): 'md5' | 'crc32' | undefined {
  if (/\.md5$/i.test(name)) return 'md5';
  if (name.toUpperCase() === CRC32_FILE) return 'crc32';
  return undefined;
}

/** True for names of checksum files a verifier reads (`*.md5`, `CHECKSUM.TXT`, any case). */
export function isChecksumFileName(name: string): boolean {
  return checksumFileKind(name) !== undefined;
}
