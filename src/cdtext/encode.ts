// CD-Text packs for CDTEXT.BIN (formats.md, CDTEXT.BIN): block 0 only, ISO 8859-1, no header.
// The pack layout below is the one description that both this writer and decode.ts read from.

import { TEXT_FIELDS, type CdText, type TextField } from '../disc/model.js';
import { fail } from '../errors.js';
import { crc16 } from './crc16.js';
import { languageCode } from './languages.js';

// ---- Pack layout (formats.md, CDTEXT.BIN) ----

/** Bytes in one pack: 4 header bytes, 12 payload bytes, 2 CRC bytes. */
export const PACK_BYTES = 18;
/** Offset of the payload inside a pack. */
export const PAYLOAD_OFFSET = 4;
/** Bytes of payload per pack. */
export const PAYLOAD_BYTES = 12;
/** Offset of the big-endian CRC, which covers bytes 0..CRC_OFFSET-1. */
export const CRC_OFFSET = 16;
/** Packs one block can hold, the three size-information packs included. */
export const MAX_PACKS_PER_BLOCK = 256;
/** Blocks (languages) a disc can carry. */
export const MAX_BLOCKS = 8;
/** Size-information (0x8F) packs that close every block. */
export const SIZE_INFO_PACKS = 3;
/** Byte 3's position field saturates here: "15 = 15 or more". */
export const MAX_POSITION = 15;

/** Pack types (byte 0). 0x8A–0x8C are reserved. */
export const PACK_TYPE = {
  title: 0x80,
  performer: 0x81,
  songwriter: 0x82,
  composer: 0x83,
  arranger: 0x84,
  message: 0x85,
  discId: 0x86,
  genre: 0x87,
  toc: 0x88,
  toc2: 0x89,
  closedInfo: 0x8d,
  upcIsrc: 0x8e,
  sizeInfo: 0x8f,
} as const;

/** First and last pack type; the size information counts packs of each type in this range. */
export const FIRST_PACK_TYPE = 0x80;
export const LAST_PACK_TYPE = 0x8f;

/** Pack type of each per-track text field (types 0x80–0x85, in TEXT_FIELDS order). */
export const TEXT_PACK_TYPES: Readonly<Record<TextField, number>> = {
  title: PACK_TYPE.title,
  performer: PACK_TYPE.performer,
  songwriter: PACK_TYPE.songwriter,
  composer: PACK_TYPE.composer,
  arranger: PACK_TYPE.arranger,
  message: PACK_TYPE.message,
};

/** Words for a pack type in messages ("title", "disc ID", …). */
export function packTypeName(type: number): string {
  switch (type) {
    case PACK_TYPE.title:
      return 'title';
    case PACK_TYPE.performer:
      return 'performer';
    case PACK_TYPE.songwriter:
      return 'songwriter';
    case PACK_TYPE.composer:
      return 'composer';
    case PACK_TYPE.arranger:
      return 'arranger';
    case PACK_TYPE.message:
      return 'message';
    case PACK_TYPE.discId:
      return 'disc ID';
    case PACK_TYPE.genre:
      return 'genre';
    case PACK_TYPE.toc:
      return 'TOC';
    case PACK_TYPE.toc2:
      return 'second TOC';
    case PACK_TYPE.closedInfo:
      return 'closed information';
    case PACK_TYPE.upcIsrc:
      return 'UPC/ISRC';
    case PACK_TYPE.sizeInfo:
      return 'size information';
    default:
      return `type ${hex2(type)}`;
  }
}

/** The 4-byte pack header, field by field. */
export interface PackHeader {
  /** Byte 0. */
  type: number;
  /** Byte 1: track of the string holding payload byte 0 (0 = disc); the part 0–2 for 0x8F. */
  track: number;
  /** Byte 2: counts the packs of the block from 0. */
  sequence: number;
  /** Byte 3 bit 7. */
  doubleByte: boolean;
  /** Byte 3 bits 6–4. */
  block: number;
  /** Byte 3 bits 3–0: where payload byte 0 lies inside its string, 15 meaning 15 or more. */
  position: number;
}

/** Writes a header into bytes 0–3 of a pack. */
export function putPackHeader(pack: Uint8Array, h: PackHeader): void {
  pack[0] = h.type & 0xff;
  pack[1] = h.track & 0xff;
  pack[2] = h.sequence & 0xff;
  pack[3] = (h.doubleByte ? 0x80 : 0) | ((h.block & 0x07) << 4) | Math.min(h.position, MAX_POSITION);
}

/** Reads the header from bytes 0–3 of a pack. */
export function getPackHeader(pack: Uint8Array): PackHeader {
  const b3 = pack[3] ?? 0;
  return {
    type: pack[0] ?? 0,
    track: pack[1] ?? 0,
    sequence: pack[2] ?? 0,
    doubleByte: (b3 & 0x80) !== 0,
    block: (b3 >> 4) & 0x07,
    position: b3 & 0x0f,
  };
}

/** Offsets in the 36-byte size information formed by the payloads of the three 0x8F packs. */
export const SIZE_INFO = {
  /** 0x00 ISO 8859-1, 0x01 ASCII, 0x80 MS-JIS. */
  charCode: 0,
  firstTrack: 1,
  lastTrack: 2,
  /** 0 or 3. */
  copyright: 3,
  /** 16 bytes: packs of each type 0x80..0x8F (0x8F counts its own 3). */
  packCounts: 4,
  /** 8 bytes: last sequence number of blocks 0–7. */
  lastSequence: 20,
  /** 8 bytes: language code of blocks 0–7. */
  language: 28,
  length: 36,
} as const;

/** Character code for ISO 8859-1 in the size information. */
export const CHAR_CODE_ISO_8859_1 = 0x00;
/** Character code for 7-bit ASCII. */
export const CHAR_CODE_ASCII = 0x01;
/** Character code for MS-JIS (double-byte). */
export const CHAR_CODE_MS_JIS = 0x80;

// ---- Writer ----

/** One NUL-terminated string of a pack type and the words naming it in errors. */
interface Piece {
  bytes: number[];
  track: number;
  what: string;
}

/** One pack before sequence numbers and CRCs are known. */
interface Draft {
  type: number;
  track: number;
  position: number;
  payload: Uint8Array;
  what: string;
}

/** Whether `encodeCdText` would write any text pack, i.e. whether a CDTEXT.BIN is called for. */
export function hasCdText(cdText: CdText): boolean {
  return (
    TEXT_FIELDS.some((f) => nonEmpty(cdText.disc[f]) || cdText.tracks.some((t) => nonEmpty(t[f]))) ||
    nonEmpty(cdText.discId) ||
    cdText.genre !== undefined
  );
}

/** Raw CD-Text packs (block 0, no header) for CDTEXT.BIN, exactly as formats.md, CDTEXT.BIN lays them out. */
export function encodeCdText(cdText: CdText): Buffer {
  const trackCount = cdText.tracks.length;
  if (trackCount < 1 || trackCount > 99) {
    fail('cdtext', `CD-Text needs 1 to 99 tracks, not ${trackCount}`);
  }
  const language = languageCode(cdText.language);
  if (language === undefined) {
    fail('cdtext', `CD-Text language "${cdText.language}" has no EBU language code`);
  }

  const drafts: Draft[] = [];
  // A type whose strings would all be empty is left out (manifest.md, "Fine print").
  for (const field of TEXT_FIELDS) {
    const strings = [cdText.disc[field], ...cdText.tracks.map((t) => t[field])];
    if (!strings.some(nonEmpty)) continue;
    const pieces = strings.map((s, track) => {
      const what = track === 0 ? `the disc's ${field}` : `the ${field} of track ${track}`;
      return { bytes: latin1(s ?? '', what), track, what };
    });
    drafts.push(...cut(TEXT_PACK_TYPES[field], pieces));
  }
  if (nonEmpty(cdText.discId)) {
    drafts.push(...cut(PACK_TYPE.discId, [{ bytes: latin1(cdText.discId, 'the disc ID'), track: 0, what: 'the disc ID' }]));
  }
  if (cdText.genre !== undefined) {
    const { code, text } = cdText.genre;
    if (!Number.isInteger(code) || code < 0 || code > 0xffff) {
      fail('cdtext', `the genre code ${code} is not a whole number from 0 to 65535`);
    }
    // The 2-byte code opens the genre string, so it counts for the position byte (formats.md).
    const bytes = [code >> 8, code & 0xff, ...latin1(text, 'the genre')];
    drafts.push(...cut(PACK_TYPE.genre, [{ bytes, track: 0, what: 'the genre' }]));
  }

  const total = drafts.length + SIZE_INFO_PACKS;
  if (total > MAX_PACKS_PER_BLOCK) {
    // The first pack past the limit opens with the text that no longer fits.
    const over = drafts[MAX_PACKS_PER_BLOCK - SIZE_INFO_PACKS]!;
    fail(
      'cdtext',
      `CD-Text needs ${total} packs, ${total - MAX_PACKS_PER_BLOCK} more than the ${MAX_PACKS_PER_BLOCK} one block can hold ` +
        `(${SIZE_INFO_PACKS} of them size information): it runs over in ${over.what}`,
    );
  }

  drafts.push(...sizeInfo(drafts, trackCount, language, total));

  const out = Buffer.alloc(total * PACK_BYTES);
  drafts.forEach((d, sequence) => {
    const pack = out.subarray(sequence * PACK_BYTES, (sequence + 1) * PACK_BYTES);
    putPackHeader(pack, { type: d.type, track: d.track, sequence, doubleByte: false, block: 0, position: d.position });
    pack.set(d.payload, PAYLOAD_OFFSET);
    pack.writeUInt16BE(crc16(pack.subarray(0, CRC_OFFSET)), CRC_OFFSET);
  });
  return out;
}

/** The .cdt form for burning software: a 4-byte header, then the packs (formats.md, CDTEXT.BIN, last point). */
export function withCdtHeader(packs: Buffer): Buffer {
  // "size" is the whole .cdt file, header included, as in the MMC READ TOC format 0101b reply whose
  // length field counts the bytes after itself: the field is packs.length + 4 − 2.
  const field = packs.length + 2;
  if (field > 0xffff) fail('cdtext', `CD-Text of ${packs.length} bytes is too long for a .cdt header`);
  const header = Buffer.alloc(4);
  header.writeUInt16BE(field, 0);
  return Buffer.concat([header, packs]);
}

/** Lays a type's strings end to end and cuts them into 12-byte payloads, the last zero-padded. */
function cut(type: number, pieces: Piece[]): Draft[] {
  const length = pieces.reduce((n, p) => n + p.bytes.length, 0);
  const stream = new Uint8Array(Math.ceil(length / PAYLOAD_BYTES) * PAYLOAD_BYTES);
  const drafts: Draft[] = [];
  let offset = 0;
  for (const piece of pieces) {
    piece.bytes.forEach((byte, position) => {
      stream[offset] = byte;
      // Byte 1 and byte 3 describe the string that payload byte 0 lies in, even when it is the NUL.
      if (offset % PAYLOAD_BYTES === 0) {
        const payload = stream.subarray(offset, offset + PAYLOAD_BYTES);
        drafts.push({ type, track: piece.track, position: Math.min(position, MAX_POSITION), payload, what: piece.what });
      }
      offset++;
    });
  }
  return drafts;
}

/** The three 0x8F packs closing block 0. */
function sizeInfo(drafts: Draft[], trackCount: number, language: number, total: number): Draft[] {
  const info = new Uint8Array(SIZE_INFO.length);
  info[SIZE_INFO.charCode] = CHAR_CODE_ISO_8859_1;
  info[SIZE_INFO.firstTrack] = 1;
  info[SIZE_INFO.lastTrack] = trackCount;
  info[SIZE_INFO.copyright] = 0;
  for (const d of drafts) {
    const at = SIZE_INFO.packCounts + d.type - FIRST_PACK_TYPE;
    info[at] = (info[at] ?? 0) + 1;
  }
  info[SIZE_INFO.packCounts + PACK_TYPE.sizeInfo - FIRST_PACK_TYPE] = SIZE_INFO_PACKS;
  info[SIZE_INFO.lastSequence] = total - 1;
  info[SIZE_INFO.language] = language;
  return [0, 1, 2].map((part) => ({
    type: PACK_TYPE.sizeInfo,
    track: part,
    position: 0,
    payload: info.subarray(part * PAYLOAD_BYTES, (part + 1) * PAYLOAD_BYTES),
    what: 'the size information',
  }));
}

/** A string's ISO 8859-1 bytes and its terminating NUL; refuses what would not survive the trip. */
function latin1(text: string, what: string): number[] {
  const bytes: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0) fail('cdtext', `${what} contains a NUL character, which would end the CD-Text string early`);
    if (cp > 0xff) {
      const u = cp.toString(16).toUpperCase().padStart(4, '0');
      fail('cdtext', `${what} has "${ch}" (U+${u}), which ISO 8859-1 cannot encode`);
    }
    bytes.push(cp);
  }
  bytes.push(0);
  return bytes;
}

function nonEmpty(s: string | undefined): s is string {
  return s !== undefined && s !== '';
}

/** `0x8F` style. */
export function hex2(n: number): string {
  return `0x${n.toString(16).toUpperCase().padStart(2, '0')}`;
}
