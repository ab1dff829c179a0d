// CD-Text packs: encode, decode, CRC-16 and language codes (formats.md, CDTEXT.BIN).

export { crc16, crc16Final, crc16Update } from './crc16.js';
export { LANGUAGE_CODES, languageCode, languageTag } from './languages.js';
export {
  MAX_PACKS_PER_BLOCK,
  PACK_BYTES,
  PACK_TYPE,
  encodeCdText,
  getPackHeader,
  hasCdText,
  putPackHeader,
  withCdtHeader,
  type PackHeader,
} from './encode.js';
export { decodeCdText, type CdTextDecoding } from './decode.js';
