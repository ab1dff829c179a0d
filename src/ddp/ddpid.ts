// DDPID: the fileset's identifier record (formats.md, DDPID).
import { toEan13, wrongCheckDigit } from '../disc/codes.js';
import type { Disc } from '../disc/model.js';
import type { Finding } from '../errors.js';
import { DDPID_LENGTH, DDPID_RECORD, type FieldProblem } from './fields.js';

/** What a DDPID says, as read. */
export interface Ddpid {
  /** `DDP 2.00`, `DDP 1.01`, … */
  level: string;
  /** 13-digit EAN (a 12-digit UPC-A widened), or undefined when blank or malformed. */
  upc: string | undefined;
  masterId: string | undefined;
  /** `CD` for a CD; blank in some DDP 1.01 filesets. */
  type: string;
}

/** DDP levels readers accept without comment. Ref: formats.md, DDPID. */
export const DDP_LEVELS = ['DDP 2.00', 'DDP 1.01'] as const;

/** The DDPID record for a disc: level `DDP 2.00`, UPC, master ID, type `CD`. */
export function writeDdpid(disc: Disc): Buffer {
  return DDPID_RECORD.encode({ level: 'DDP 2.00', upc: disc.upc, masterId: disc.masterId, type: 'CD' });
}

/** Reads a DDPID record; oddities are findings, never exceptions. */
export function readDdpid(buf: Buffer, fileName: string): { ddpid: Ddpid; findings: Finding[] } {
  const findings: Finding[] = [];
  let record = buf;
  if (buf.length !== DDPID_LENGTH) {
    const short = buf.length < DDPID_LENGTH;
    findings.push({
      severity: short ? 'error' : 'warning',
      code: 'ddpid-size',
      file: fileName,
      message: `DDPID has ${buf.length} bytes; it must have ${DDPID_LENGTH}`,
    });
    // Pad a short record with blanks so that the fields that are there can still be read.
    record = Buffer.alloc(DDPID_LENGTH, 0x20);
    buf.copy(record, 0, 0, Math.min(buf.length, DDPID_LENGTH));
  }
  const { values, problems } = DDPID_RECORD.get(record, 0);
  findings.push(...fieldFindings(problems, 'ddpid', fileName, 0, undefined));

  const level = values.level;
  if (!(DDP_LEVELS as readonly string[]).includes(level)) {
    const ddp = level.startsWith('DDP ');
    findings.push({
      severity: ddp ? 'warning' : 'error',
      code: 'ddpid-level',
      file: fileName,
      offset: 0,
      message: ddp
        ? `DDP level "${level}" is neither DDP 2.00 nor DDP 1.01`
        : `"${level}" is not a DDP level (expected "DDP 2.00"): is this a DDPID file?`,
    });
  }
  if (values.type !== 'CD' && values.type !== '') {
    findings.push({
      severity: 'warning',
      code: 'ddpid-type',
      file: fileName,
      offset: DDPID_RECORD.offsetOf('type'),
      message: `media type "${values.type}" is not CD`,
    });
  }
  const upc = checkUpc(values.upc.trim(), fileName, DDPID_RECORD.offsetOf('upc'), undefined, findings);
  const masterId = values.masterId.trim();
  return { ddpid: { level, upc, masterId: masterId === '' ? undefined : masterId, type: values.type }, findings };
}

/** Turns a record's field problems into findings (`<prefix>-ascii`, `<prefix>-field`). */
export function fieldFindings(
  problems: FieldProblem[],
  prefix: string,
  fileName: string,
  recordOffset: number,
  packet: number | undefined,
): Finding[] {
  return problems.map((p) => ({
    // An unreadable field ddpkit never uses is worth a warning, not an error.
    severity: p.fieldKind === 'blank' ? 'warning' : 'error',
    code: p.kind === 'ascii' ? `${prefix}-ascii` : `${prefix}-field`,
    file: fileName,
    offset: recordOffset + p.off,
    packet,
    message: `${p.field}: ${p.message}`,
  }));
}

/**
 * Checks a UPC/EAN field as read (blank allowed): 13 digits with the right check digit; a 12-digit
 * UPC-A is widened. Returns the EAN or undefined, pushing findings for anything wrong.
 */
export function checkUpc(
  text: string,
  fileName: string,
  offset: number,
  packet: number | undefined,
  findings: Finding[],
): string | undefined {
  if (text === '' || /^0+$/.test(text)) return undefined;
  const ean = /^\d{12}$/.test(text) ? toEan13(text) : text;
  if (ean !== text) {
    findings.push({
      severity: 'note',
      code: 'upc-format',
      file: fileName,
      offset,
      packet,
      message: `UPC "${text}" has 12 digits; read as EAN-13 ${ean}`,
    });
  }
  if (!/^\d{13}$/.test(ean)) {
    findings.push({
      severity: 'error',
      code: 'upc-format',
      file: fileName,
      offset,
      packet,
      message: `UPC/EAN "${text}" is not 13 digits`,
    });
    return undefined;
  }
  const expected = wrongCheckDigit(ean);
  if (expected !== undefined) {
    findings.push({
      severity: 'error',
      code: 'upc-check-digit',
      file: fileName,
      offset,
      packet,
      message: `UPC/EAN ${ean} has a wrong check digit: it should end in ${expected}`,
    });
  }
  return ean;
}
