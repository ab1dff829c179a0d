// Reads CD-Text packs back (formats.md, CDTEXT.BIN): checks every pack of every block and decodes
// block 0 into the Disc model's CdText. Bad input becomes findings, never an exception, and nothing
// is allocated by a size read from the data: every buffer is bounded by the input's own length.

import { TEXT_FIELDS, type CdText, type TextFields } from '../disc/model.js';
import type { Finding } from '../errors.js';
import { crc16 } from './crc16.js';
import {
  CHAR_CODE_ASCII,
  CHAR_CODE_ISO_8859_1,
  CHAR_CODE_MS_JIS,
  CRC_OFFSET,
  FIRST_PACK_TYPE,
  LAST_PACK_TYPE,
  MAX_BLOCKS,
  MAX_PACKS_PER_BLOCK,
  MAX_POSITION,
  PACK_BYTES,
  PACK_TYPE,
  PAYLOAD_BYTES,
  PAYLOAD_OFFSET,
  SIZE_INFO,
  SIZE_INFO_PACKS,
  TEXT_PACK_TYPES,
  getPackHeader,
  hex2,
  packTypeName,
  type PackHeader,
} from './encode.js';
import { languageTag } from './languages.js';
import { MAX_TRACKS } from '../time.js';

/** What `decodeCdText` read: block 0 as CdText, the 0x8E codes, and every problem noticed. */
export interface CdTextDecoding {
  /** Block 0, or undefined when there is no readable block 0. */
  cdText: CdText | undefined;
  findings: Finding[];
  /** Whole 18-byte packs in the input, all blocks. */
  packCount: number;
  /** The disc string of pack type 0x8E (UPC/EAN) in block 0, when not empty. */
  upc?: string | undefined;
  /** The track strings of pack type 0x8E (ISRCs) in block 0, index 0 = first track; undefined where empty. */
  isrcs?: (string | undefined)[] | undefined;
}

/** One pack as found in the input. */
interface Pack {
  /** 0-based pack number in the input. */
  index: number;
  /** Byte offset of the pack in the input. */
  offset: number;
  header: PackHeader;
  payload: Uint8Array;
}

/** The packs of one block and what the checks so far know about them. */
interface Block {
  number: number;
  packs: Pack[];
  highestType: number;
  orderReported: boolean;
  doubleByte: boolean;
}

/** The 36 bytes of a block's size information and the 0x8F pack each third came from. */
interface SizeInfo {
  bytes: Uint8Array;
  parts: (Pack | undefined)[];
}


/** A long run of damaged packs would otherwise bury the report; the rest are counted in one note. */
const MAX_FINDINGS_PER_CODE = 20;

/** Collects findings for one file, keeping at most MAX_FINDINGS_PER_CODE of each code. */
class FindingLog {
  private readonly list: Finding[] = [];
  private readonly counts = new Map<string, number>();
  private readonly file: string;

  constructor(file: string) {
    this.file = file;
  }

  /** `at` is the pack the finding points at (a Pack, or the place a cut-off pack begins). */
  add(severity: Finding['severity'], code: string, message: string, at?: { index: number; offset: number }): void {
    const n = (this.counts.get(code) ?? 0) + 1;
    this.counts.set(code, n);
    if (n > MAX_FINDINGS_PER_CODE) return;
    this.list.push(
      at === undefined
        ? { severity, code, file: this.file, message }
        : { severity, code, file: this.file, offset: at.offset, packet: at.index, message },
    );
  }

  /** Adds a note where findings were left out and hands over the list. */
  finish(): Finding[] {
    for (const [code, n] of this.counts) {
      if (n > MAX_FINDINGS_PER_CODE) {
        this.list.push({
          severity: 'note',
          code,
          file: this.file,
          message: `${n - MAX_FINDINGS_PER_CODE} more ${code} findings are not listed`,
        });
      }
    }
    return this.list;
  }
}

/** Decodes CD-Text packs (CDTEXT.BIN, or a .cdt with its 4-byte header) into block 0's CdText and findings. */
export function decodeCdText(data: Uint8Array, fileName = 'CDTEXT.BIN'): CdTextDecoding {
  const log = new FindingLog(fileName);
  const { start, end } = frame(data, log);
  const packCount = Math.floor((end - start) / PACK_BYTES);
  const rest = end - start - packCount * PACK_BYTES;
  if (rest !== 0) {
    log.add('error', 'cdtext-length', `${end - start} bytes of packs is not a multiple of 18: the last ${rest} bytes are a cut-off pack`, {
      index: packCount,
      offset: start + packCount * PACK_BYTES,
    });
  }
  if (packCount === 0) {
    if (rest === 0) log.add('error', 'cdtext-length', data.length === 0 ? 'the file is empty' : 'the file holds no CD-Text packs');
    return { cdText: undefined, findings: log.finish(), packCount };
  }

  const blocks = readPacks(data, start, packCount, log);
  const infos = blocks.map((block) => (block ? readSizeInfo(block, log) : undefined));
  blocks.forEach((block, n) => {
    const info = infos[n];
    if (block && info) checkSizeInfo(block, info, blocks, log);
  });

  for (const block of blocks) {
    if (!block || block.number === 0) continue;
    const code = infos[block.number]?.bytes[SIZE_INFO.language + block.number];
    const language = code === undefined ? '' : ` (language ${describeLanguage(code)})`;
    log.add('note', 'cdtext-block', `block ${block.number}${language} is not read: ddpkit decodes block 0 only`, block.packs[0]);
  }

  const block0 = blocks[0];
  if (!block0) {
    if (blocks.some((b) => b !== undefined)) log.add('warning', 'cdtext-block', 'there is no block 0, the only block ddpkit decodes');
    return { cdText: undefined, findings: log.finish(), packCount };
  }
  const info0 = infos[0];
  const charCode = info0?.parts[0] ? info0.bytes[SIZE_INFO.charCode] : undefined;
  if (block0.doubleByte || charCode === CHAR_CODE_MS_JIS) {
    log.add('note', 'cdtext-double-byte', 'block 0 uses double-byte characters (MS-JIS), which ddpkit does not decode', block0.packs[0]);
    return { cdText: undefined, findings: log.finish(), packCount };
  }
  const decoded = decodeBlock(block0, info0, log);
  return { ...decoded, findings: log.finish(), packCount };
}

/** Where the packs lie in the input: after a .cdt header if there is one, before one trailing 0x00. */
function frame(data: Uint8Array, log: FindingLog): { start: number; end: number } {
  const length = data.length;
  const trailingZero = length > 0 && data[length - 1] === 0;
  const wholePacks = (n: number): boolean => n % PACK_BYTES === 0 || (n % PACK_BYTES === 1 && trailingZero);
  let start = 0;
  if (length >= 4 && data[2] === 0 && data[3] === 0) {
    const first = data[0]!;
    const field = (first << 8) | data[1]!;
    // A file of plain packs also opens with xx xx 00 00 (sequence 0, block 0, position 0); it wins
    // when its first byte is a pack type and its length fits, since then no header can be meant.
    const plainPacks = first >= FIRST_PACK_TYPE && first <= LAST_PACK_TYPE && wholePacks(length);
    if (!plainPacks) {
      // formats.md: "(size − 2) as big-endian 16 bits"; some writers leave the trailing 0x00 uncounted.
      if (field === length - 2 || (field === length - 3 && trailingZero)) {
        start = 4;
      } else if (first < FIRST_PACK_TYPE && wholePacks(length - 4)) {
        start = 4;
        log.add(
          'warning',
          'cdtext-header',
          `the file opens with a 4-byte .cdt header whose size field says ${field}, but ${length - 2} bytes follow that field`,
        );
      }
    }
  }
  let end = length;
  if ((end - start) % PACK_BYTES === 1 && trailingZero) end--;
  return { start, end };
}

/** Reads every pack, checking its CRC, type, block order and sequence number; groups packs by block. */
function readPacks(data: Uint8Array, start: number, packCount: number, log: FindingLog): (Block | undefined)[] {
  const blocks: (Block | undefined)[] = new Array<Block | undefined>(MAX_BLOCKS).fill(undefined);
  let highestBlock = 0;
  for (let index = 0; index < packCount; index++) {
    const offset = start + index * PACK_BYTES;
    const bytes = data.subarray(offset, offset + PACK_BYTES);
    const header = getPackHeader(bytes);
    const pack: Pack = { index, offset, header, payload: bytes.subarray(PAYLOAD_OFFSET, PAYLOAD_OFFSET + PAYLOAD_BYTES) };

    const stored = (bytes[CRC_OFFSET]! << 8) | bytes[CRC_OFFSET + 1]!;
    const computed = crc16(bytes.subarray(0, CRC_OFFSET));
    if (stored !== computed) {
      if (stored === 0) {
        log.add('warning', 'cdtext-crc', `the CRC is 0x0000 where bytes 0–15 give ${hex4(computed)}: the writer left it out`, pack);
      } else {
        log.add('error', 'cdtext-crc', `the CRC is ${hex4(stored)}, but bytes 0–15 give ${hex4(computed)}`, pack);
      }
    }

    const { type } = header;
    if (type < FIRST_PACK_TYPE || type > LAST_PACK_TYPE) {
      log.add('error', 'cdtext-pack-type', `byte 0 is ${hex2(type)}, which is not a CD-Text pack type (0x80–0x8F)`, pack);
      continue;
    }
    if (type >= 0x8a && type <= 0x8c) {
      log.add('warning', 'cdtext-pack-type', `pack type ${hex2(type)} is reserved; its payload is ignored`, pack);
    }

    if (header.block < highestBlock) {
      log.add(
        'error',
        'cdtext-block',
        `the pack belongs to block ${header.block}, but block ${highestBlock} has begun: each block's packs must come together, in block order`,
        pack,
      );
    }
    highestBlock = Math.max(highestBlock, header.block);
    let block = blocks[header.block];
    if (!block) {
      block = { number: header.block, packs: [], highestType: 0, orderReported: false, doubleByte: false };
      blocks[header.block] = block;
    }

    // Either reading is right: the pack's place in its block, or one more than the pack before. So a
    // single damaged number, or a single missing pack, gives one finding and not one per later pack.
    const previous = block.packs[block.packs.length - 1]?.header.sequence ?? -1;
    if (header.sequence !== block.packs.length && header.sequence !== previous + 1) {
      log.add(
        'error',
        'cdtext-sequence',
        `the sequence number is ${header.sequence}, expected ${previous + 1}: the packs of block ${block.number} are numbered from 0 without gaps`,
        pack,
      );
    }
    if (block.packs.length === MAX_PACKS_PER_BLOCK) {
      log.add('error', 'cdtext-length', `block ${block.number} has more than ${MAX_PACKS_PER_BLOCK} packs`, pack);
    }
    if (type < block.highestType && !block.orderReported) {
      log.add(
        'warning',
        'cdtext-order',
        `a ${packTypeName(type)} pack follows ${packTypeName(block.highestType)} packs: pack types should come in ascending order`,
        pack,
      );
      block.orderReported = true;
    }
    block.highestType = Math.max(block.highestType, type);
    if (header.doubleByte) block.doubleByte = true;
    block.packs.push(pack);
  }
  return blocks;
}

/** Gathers a block's three 0x8F payloads into the 36-byte size information. */
function readSizeInfo(block: Block, log: FindingLog): SizeInfo | undefined {
  const parts: (Pack | undefined)[] = [undefined, undefined, undefined];
  const bytes = new Uint8Array(SIZE_INFO.length);
  for (const pack of block.packs) {
    if (pack.header.type !== PACK_TYPE.sizeInfo) continue;
    const part = pack.header.track;
    if (part >= SIZE_INFO_PACKS) {
      log.add('error', 'cdtext-size-info', `a size information pack gives part ${part}; the parts are 0, 1 and 2`, pack);
    } else if (parts[part]) {
      log.add('error', 'cdtext-size-info', `size information part ${part} appears twice in block ${block.number}; the first is used`, pack);
    } else {
      parts[part] = pack;
      bytes.set(pack.payload, part * PAYLOAD_BYTES);
    }
  }
  if (parts.every((p) => p === undefined)) {
    log.add(
      'error',
      'cdtext-size-info',
      `block ${block.number} has no size information (the three 0x8F packs that close a block)`,
      block.packs[0],
    );
    return undefined;
  }
  parts.forEach((p, part) => {
    if (!p) log.add('error', 'cdtext-size-info', `block ${block.number} lacks size information part ${part}`, block.packs[block.packs.length - 1]);
  });
  return { bytes, parts };
}

/** Compares a block's size information with the packs actually there. */
function checkSizeInfo(block: Block, info: SizeInfo, blocks: (Block | undefined)[], log: FindingLog): void {
  const partOf = (field: number): Pack | undefined => info.parts[Math.floor(field / PAYLOAD_BYTES)];
  const at = (field: number): number => info.bytes[field]!;
  const n = block.number;

  const charCodePack = partOf(SIZE_INFO.charCode);
  if (charCodePack) {
    const code = at(SIZE_INFO.charCode);
    if (code !== CHAR_CODE_ISO_8859_1 && code !== CHAR_CODE_ASCII && code !== CHAR_CODE_MS_JIS) {
      log.add(
        'warning',
        'cdtext-size-info',
        `the character code ${hex2(code)} of block ${n} is none of 0x00 (ISO 8859-1), 0x01 (ASCII), 0x80 (MS-JIS)`,
        charCodePack,
      );
    }
    const first = at(SIZE_INFO.firstTrack);
    const last = at(SIZE_INFO.lastTrack);
    if (!validTrackRange(first, last)) {
      log.add(
        'error',
        'cdtext-size-info',
        `the size information of block ${n} gives tracks ${first} to ${last}; it must be 1 ≤ first ≤ last ≤ 99`,
        charCodePack,
      );
    }
  }

  for (let k = 0; k <= LAST_PACK_TYPE - FIRST_PACK_TYPE; k++) {
    const field = SIZE_INFO.packCounts + k;
    const pack = partOf(field);
    if (!pack) continue;
    const type = FIRST_PACK_TYPE + k;
    const declared = at(field);
    const actual = block.packs.filter((p) => p.header.type === type).length;
    if (declared !== actual) {
      log.add(
        'error',
        'cdtext-size-info',
        `the size information counts ${declared} ${packTypeName(type)} packs (${hex2(type)}), but block ${n} has ${actual}`,
        pack,
      );
    }
  }

  for (let j = 0; j < MAX_BLOCKS; j++) {
    const field = SIZE_INFO.lastSequence + j;
    const pack = partOf(field);
    if (!pack) continue;
    const declared = at(field);
    const other = blocks[j];
    if (other) {
      const actual = other.packs[other.packs.length - 1]!.header.sequence;
      if (declared !== actual) {
        // A wrong figure for its own block misleads players; for another block it is only inconsistent.
        log.add(
          j === n ? 'error' : 'warning',
          'cdtext-size-info',
          `the size information of block ${n} gives ${declared} as the last sequence number of block ${j}, but its last pack has ${actual}`,
          pack,
        );
      }
    } else if (declared !== 0) {
      log.add(
        'warning',
        'cdtext-size-info',
        `the size information of block ${n} gives a last sequence number of ${declared} for block ${j}, which is absent`,
        pack,
      );
    }
  }
}

/** Decodes block 0's strings into a CdText (and the 0x8E codes). */
function decodeBlock(block: Block, info: SizeInfo | undefined, log: FindingLog): Omit<CdTextDecoding, 'findings' | 'packCount'> {
  const byType = new Map<number, Pack[]>();
  for (const pack of block.packs) {
    const list = byType.get(pack.header.type);
    if (list) list.push(pack);
    else byType.set(pack.header.type, [pack]);
  }

  const perTrackTypes = [...TEXT_FIELDS.map((f) => TEXT_PACK_TYPES[f]), PACK_TYPE.upcIsrc];
  let first = 1;
  let trackCount: number;
  const declared = info?.parts[0] ? { first: info.bytes[SIZE_INFO.firstTrack]!, last: info.bytes[SIZE_INFO.lastTrack]! } : undefined;
  if (declared && validTrackRange(declared.first, declared.last)) {
    first = declared.first;
    trackCount = declared.last - declared.first + 1;
  } else {
    // Without believable size information, the strings themselves say how many tracks there are.
    trackCount = 0;
    for (const type of perTrackTypes) {
      const packs = byType.get(type);
      if (packs) trackCount = Math.min(MAX_TRACKS, Math.max(trackCount, lastNonEmpty(split(packs).strings)));
    }
  }

  const charCode = info?.parts[0] ? info.bytes[SIZE_INFO.charCode]! : CHAR_CODE_ISO_8859_1;
  const languageByte = info?.parts[2] ? info.bytes[SIZE_INFO.language]! : undefined;
  let language = 'und';
  if (languageByte !== undefined) {
    const tag = languageTag(languageByte);
    if (tag === undefined) {
      log.add(
        'note',
        'cdtext-language',
        `the language code ${hex2(languageByte)} of block 0 is not an EBU language code; it is read as "und" (unknown)`,
        info?.parts[2],
      );
    }
    language = tag ?? 'und';
  }

  const context: StringContext = { first, trackCount, charCode, log };
  const disc: TextFields = {};
  // CdText.tracks[0] is track 1 whatever the first track is, so tracks before `first` stay empty.
  const tracks: TextFields[] = Array.from({ length: first - 1 + trackCount }, () => ({}));
  for (const field of TEXT_FIELDS) {
    const packs = byType.get(TEXT_PACK_TYPES[field]);
    if (!packs) continue;
    const values = readStrings(packs, true, context);
    if (values[0] !== undefined) disc[field] = values[0];
    for (let s = 1; s < values.length; s++) {
      const v = values[s];
      if (v !== undefined) tracks[first + s - 2]![field] = v;
    }
  }
  const cdText: CdText = { language, disc, tracks };

  const discIdPacks = byType.get(PACK_TYPE.discId);
  if (discIdPacks) {
    const discId = readStrings(discIdPacks, false, context)[0];
    if (discId !== undefined && discId !== '') cdText.discId = discId;
  }
  const genrePacks = byType.get(PACK_TYPE.genre);
  if (genrePacks) cdText.genre = readGenre(genrePacks, context);

  const codePacks = byType.get(PACK_TYPE.upcIsrc);
  if (!codePacks) return { cdText };
  const codes = readStrings(codePacks, true, context).map((s) => (s === '' ? undefined : s));
  const isrcs = Array.from({ length: tracks.length }, (_, k) => (k + 1 >= first ? codes[k + 2 - first] : undefined));
  return { cdText, upc: codes[0], isrcs };
}

/** What reading one type's strings needs to know about the block. */
interface StringContext {
  first: number;
  trackCount: number;
  charCode: number;
  log: FindingLog;
}

/** A type's payloads split at each NUL, and where each pack's payload byte 0 lies. */
interface Split {
  /** NUL-terminated strings (the zero padding of the last pack makes empty ones). */
  strings: { bytes: Uint8Array; pack: Pack }[];
  /** Bytes after the last NUL: text whose terminator is missing. */
  tail: Uint8Array;
  /** Per pack: index of the string holding payload byte 0, and that byte's place inside it. */
  starts: { string: number; position: number }[];
}

/** Lays a type's payloads end to end and cuts them at each NUL. */
function split(packs: Pack[]): Split {
  const stream = payloads(packs);
  const strings: Split['strings'] = [];
  const starts: Split['starts'] = [];
  let begin = 0;
  for (let i = 0; i < stream.length; i++) {
    if (i % PAYLOAD_BYTES === 0) starts.push({ string: strings.length, position: i - begin });
    if (stream[i] === 0) {
      strings.push({ bytes: stream.subarray(begin, i), pack: packs[Math.floor(begin / PAYLOAD_BYTES)]! });
      begin = i + 1;
    }
  }
  return { strings, tail: stream.subarray(begin), starts };
}

/** A type's payloads end to end: its strings as one stream. */
function payloads(packs: Pack[]): Uint8Array {
  const stream = new Uint8Array(packs.length * PAYLOAD_BYTES);
  packs.forEach((p, i) => {
    stream.set(p.payload, i * PAYLOAD_BYTES);
  });
  return stream;
}

/** Number of the last non-empty string (0 = disc), i.e. the tracks the strings imply. */
function lastNonEmpty(strings: Split['strings']): number {
  for (let s = strings.length - 1; s >= 0; s--) if (strings[s]!.bytes.length > 0) return s;
  return 0;
}

/** Decodes the disc string and, for a per-track type, one string per track; checks bytes 1 and 3. */
function readStrings(packs: Pack[], perTrack: boolean, ctx: StringContext): (string | undefined)[] {
  const { first, trackCount, log } = ctx;
  const type = packs[0]!.header.type;
  const name = packTypeName(type);
  const wanted = perTrack ? 1 + trackCount : 1;
  const what = (s: number): string => (s === 0 ? (perTrack ? `the disc's ${name}` : `the ${name}`) : `the ${name} of track ${first + s - 1}`);
  const { strings, tail, starts } = split(packs);

  starts.forEach(({ string, position }, i) => {
    if (string >= wanted) return; // zero padding after the last string
    const pack = packs[i]!;
    const track = string === 0 ? 0 : first + string - 1;
    const expected = Math.min(position, MAX_POSITION);
    if (pack.header.track !== track || pack.header.position !== expected) {
      log.add(
        'warning',
        'cdtext-position',
        `byte 1 says track ${pack.header.track} and byte 3 position ${pack.header.position}, ` +
          `but payload byte 0 is character ${position} of ${what(string)}: expected track ${track}, position ${expected}`,
        pack,
      );
    }
  });

  if (strings.length < wanted) {
    const needs = perTrack ? `the disc and its ${trackCount} tracks need ${wanted}` : `it needs ${wanted}`;
    log.add('warning', 'cdtext-strings', `the ${name} packs hold ${strings.length} complete strings, but ${needs}`, packs[0]);
  }
  if (strings.slice(wanted).some((s) => s.bytes.length > 0) || (tail.length > 0 && strings.length >= wanted)) {
    log.add(
      'warning',
      'cdtext-strings',
      `the ${name} packs hold more strings than the disc and its ${trackCount} tracks need; the extra text is ignored`,
      packs[0],
    );
  }

  const values: (string | undefined)[] = [];
  for (let s = 0; s < wanted; s++) {
    const found = strings[s];
    let bytes: Uint8Array;
    let pack: Pack;
    if (found) {
      ({ bytes, pack } = found);
    } else if (s === strings.length && tail.length > 0) {
      bytes = tail;
      pack = packs[packs.length - 1]!;
      log.add('warning', 'cdtext-strings', `${what(s)} has no terminating NUL`, pack);
    } else {
      break;
    }
    // A lone TAB repeats the previous track's text (the CD-Text shortcut for identical strings).
    if (s > 0 && bytes.length === 1 && bytes[0] === 0x09) {
      values.push(values[s - 1]);
      continue;
    }
    checkCharacters(bytes, what(s), pack, ctx);
    values.push(latin1(bytes));
  }
  return values;
}

/** Decodes the genre: a 2-byte big-endian code, then NUL-terminated text. */
function readGenre(packs: Pack[], ctx: StringContext): { code: number; text: string } {
  const stream = payloads(packs);
  const code = (stream[0]! << 8) | stream[1]!;
  let end = stream.indexOf(0, 2);
  if (end < 0) {
    ctx.log.add('warning', 'cdtext-strings', 'the genre text has no terminating NUL', packs[packs.length - 1]);
    end = stream.length;
  }
  const bytes = stream.subarray(2, end);
  checkCharacters(bytes, 'the genre text', packs[0]!, ctx);
  return { code, text: latin1(bytes) };
}

/** Flags bytes that are not ISO 8859-1 characters (C0 and C1 control codes), or not ASCII when declared so. */
function checkCharacters(bytes: Uint8Array, what: string, pack: Pack, ctx: StringContext): void {
  for (const b of bytes) {
    if (b < 0x20 || (b >= 0x7f && b <= 0x9f)) {
      ctx.log.add('warning', 'cdtext-charset', `${what} contains byte ${hex2(b)}, a control code rather than an ISO 8859-1 character`, pack);
      return;
    }
    if (ctx.charCode === CHAR_CODE_ASCII && b >= 0x80) {
      ctx.log.add('warning', 'cdtext-charset', `${what} contains byte ${hex2(b)}, but the size information declares 7-bit ASCII`, pack);
      return;
    }
  }
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
}

function validTrackRange(first: number, last: number): boolean {
  return first >= 1 && first <= last && last <= MAX_TRACKS;
}

function describeLanguage(code: number): string {
  const tag = languageTag(code);
  return tag === undefined ? hex2(code) : `${tag}, ${hex2(code)}`;
}

function hex4(n: number): string {
  return `0x${n.toString(16).toUpperCase().padStart(4, '0')}`;
}
