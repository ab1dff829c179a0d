// WAV header reader: finds where a source's samples are and how they are encoded, without reading them
// (manifest.md, "Sources" rule and "Fine print"). Only the chunk headers and the fmt chunk are read, with
// positional reads, so a 700 MB master costs a handful of small reads.
//
// Decisions where WAV writers disagree:
// - A block align that differs from channels × bits / 8 is an error, not a warning: every later step
//   strides through the data by block align and decodes samples as tightly packed, so a mismatch means
//   either a broken writer or a layout we would silently misread.
// - WAVE_FORMAT_EXTENSIBLE's valid-bits field is ignored: samples are left-justified in their container,
//   so a 20-bit file in a 24-bit container decodes correctly as 24-bit.
// - The RIFF size is only checked for the "unknown length" markers 0 and 0xFFFFFFFF; otherwise chunks are
//   walked up to the real end of the file, since many writers leave a stale RIFF size behind.

import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import type { SourceFormat } from '../disc/model.js';
import { DdpkitError, fail } from '../errors.js';
import { readAt } from '../file-io.js';

/** fmt chunk format tags (Microsoft "mmreg.h" registrations). */
const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

/** Names of encodings people actually meet, so the error says more than a number. */
const FORMAT_NAMES: ReadonlyMap<number, string> = new Map([
  [0x0002, 'Microsoft ADPCM'],
  [0x0006, 'A-law'],
  [0x0007, 'µ-law'],
  [0x0011, 'IMA ADPCM'],
  [0x0050, 'MPEG'],
  [0x0055, 'MP3'],
  [0x00ff, 'AAC'],
  [0xf1ac, 'FLAC'],
]);

/** Bytes 2..15 of every KSDATAFORMAT_SUBTYPE GUID built from a format tag (…-0000-0010-8000-00AA00389B71). */
const SUBTYPE_GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

/** fmt chunk sizes: WAVEFORMAT + bitsPerSample, and WAVEFORMATEXTENSIBLE. */
const FMT_MIN_BYTES = 16;
const FMT_EXTENSIBLE_BYTES = 40;

const SUPPORTED_ENCODINGS = 'supported are 8, 16, 24 and 32-bit integer PCM and 32 and 64-bit float';
const SUPPORTED_TAGS =
  'supported are PCM (0x0001), IEEE float (0x0003) and WAVE_FORMAT_EXTENSIBLE (0xFFFE) carrying one of them';

/** Opens a source file for reading, turning the OS error into a sentence that names the file. */
export async function openForReading(path: string): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    return fail('wav', describeOpenError(path, err));
  }
  try {
    // Opening a folder succeeds on Linux; only the first read would fail, with a less helpful error.
    if (!(await handle.stat()).isFile()) fail('wav', `${path}: cannot read the file (not a regular file)`);
  } catch (err) {
    await handle.close();
    throw err;
  }
  return handle;
}

/** Reads where the samples of a WAV file are and how they are encoded; never touches the sample data. */
export async function readWavHeader(path: string): Promise<SourceFormat> {
  const handle = await openForReading(path);
  try {
    return await parseHeader(path, handle);
  } catch (err) {
    if (err instanceof DdpkitError) throw err;
    return fail('wav', `${path}: cannot read the file (${errorReason(err)})`);
  } finally {
    await handle.close();
  }
}

interface DataChunk {
  offset: number;
  size: number;
}

async function parseHeader(path: string, handle: FileHandle): Promise<SourceFormat> {
  const fileSize = (await handle.stat()).size;
  const riff = await readAt(handle, 0, 12);
  const container = riff.length >= 4 ? riff.toString('latin1', 0, 4) : '';
  if (container === 'RIFX') fail('wav', `${path}: big-endian RIFX WAV files are not supported (save it as a standard WAV)`);
  if (container === 'RF64' || container === 'BW64') {
    fail('wav', `${path}: ${container} WAV files are not supported (save it as a standard WAV)`);
  }
  if (riff.length < 12 || container !== 'RIFF' || riff.toString('latin1', 8, 12) !== 'WAVE') {
    fail('wav', `${path}: not a WAV file (no RIFF/WAVE header)`);
  }
  checkSizeMarker(path, 'RIFF', riff.readUInt32LE(4));

  let fmt: Buffer | undefined;
  let data: DataChunk | undefined;
  let pos = 12;
  while (pos + 8 <= fileSize && !(fmt && data)) {
    const header = await readAt(handle, pos, 8);
    if (header.length < 8) break;
    const id = header.toString('latin1', 0, 4);
    const size = header.readUInt32LE(4);
    const body = pos + 8;
    const fits = body + size <= fileSize;
    if (id === 'data') {
      data ??= { offset: body, size };
      // An oversized data chunk hides whatever follows it; the checks below report it.
      if (!fits) break;
    } else if (!fits) {
      fail('wav', `${path}: truncated or corrupt WAV header (the file ends inside the ${chunkName(id)} chunk)`);
    } else if (id === 'fmt ' && !fmt) {
      fmt = await readFmt(path, handle, body, size);
    }
    // RIFF pads every odd-sized chunk with one byte so the next header is word-aligned.
    pos = body + size + (size & 1);
  }
  if (!(fmt && data) && pos < fileSize && pos + 8 > fileSize) {
    fail('wav', `${path}: truncated or corrupt WAV header (the file ends inside a chunk header)`);
  }

  if (data) {
    checkSizeMarker(path, 'data', data.size);
    if (data.offset + data.size > fileSize) {
      const left = Math.max(0, fileSize - data.offset);
      fail('wav', `${path}: truncated or corrupt WAV file (the data chunk says ${data.size} bytes, but the file holds only ${left})`);
    }
  }
  if (!fmt) return fail('wav', `${path}: WAV file has no fmt chunk`);
  if (!data) return fail('wav', `${path}: WAV file has no data chunk`);

  const format = decodeFmt(path, fmt, data);
  if (data.size % format.blockAlign !== 0) {
    fail(
      'wav',
      `${path}: truncated or corrupt WAV file (data size ${data.size} bytes is not a whole number of ${format.blockAlign}-byte sample frames)`,
    );
  }
  return format;
}

async function readFmt(path: string, handle: FileHandle, offset: number, size: number): Promise<Buffer> {
  if (size < FMT_MIN_BYTES) {
    fail('wav', `${path}: truncated or corrupt WAV header (fmt chunk is ${size} bytes, needs at least ${FMT_MIN_BYTES})`);
  }
  // Anything after WAVEFORMATEXTENSIBLE is vendor data nobody needs here.
  return readAt(handle, offset, Math.min(size, FMT_EXTENSIBLE_BYTES));
}

function decodeFmt(path: string, fmt: Buffer, data: DataChunk): SourceFormat {
  const tag = fmt.readUInt16LE(0);
  const channels = fmt.readUInt16LE(2);
  const sampleRate = fmt.readUInt32LE(4);
  const blockAlign = fmt.readUInt16LE(12);
  const bitsPerSample = fmt.readUInt16LE(14);

  let code = tag;
  if (tag === WAVE_FORMAT_EXTENSIBLE) {
    if (fmt.length < FMT_EXTENSIBLE_BYTES) {
      fail(
        'wav',
        `${path}: truncated or corrupt WAV header (WAVE_FORMAT_EXTENSIBLE fmt chunk is ${fmt.length} bytes, needs ${FMT_EXTENSIBLE_BYTES})`,
      );
    }
    const guid = fmt.subarray(24, 40);
    code = guid.readUInt16LE(0);
    if (!SUBTYPE_GUID_TAIL.every((b, i) => guid[i + 2] === b)) {
      fail('wav', `${path}: unsupported WAV encoding: WAVE_FORMAT_EXTENSIBLE with sub-format GUID ${guidText(guid)}; supported are PCM and IEEE float`);
    }
    if (code !== WAVE_FORMAT_PCM && code !== WAVE_FORMAT_IEEE_FLOAT) {
      fail('wav', `${path}: unsupported WAV encoding: WAVE_FORMAT_EXTENSIBLE with sub-format ${tagText(code)}; supported are PCM and IEEE float`);
    }
  } else if (tag !== WAVE_FORMAT_PCM && tag !== WAVE_FORMAT_IEEE_FLOAT) {
    fail('wav', `${path}: unsupported WAV encoding: format tag ${tagText(tag)}; ${SUPPORTED_TAGS}`);
  }

  const sampleFormat = code === WAVE_FORMAT_PCM ? 'int' : 'float';
  const supportedBits = sampleFormat === 'int' ? [8, 16, 24, 32] : [32, 64];
  if (!supportedBits.includes(bitsPerSample)) {
    const kind = sampleFormat === 'int' ? 'integer PCM' : 'float';
    fail('wav', `${path}: unsupported WAV encoding: ${bitsPerSample}-bit ${kind}; ${SUPPORTED_ENCODINGS}`);
  }
  if (channels !== 1 && channels !== 2) {
    fail('wav', `${path}: unsupported channel count: ${channels} channels; only mono and stereo sources are supported`);
  }
  const expected = channels * (bitsPerSample / 8);
  if (blockAlign !== expected) {
    const what = channels === 1 ? `1 channel of ${bitsPerSample} bits needs` : `${channels} channels of ${bitsPerSample} bits need`;
    fail('wav', `${path}: corrupt WAV header (block align is ${blockAlign} bytes, but ${what} ${expected})`);
  }
  return {
    sampleFormat,
    bitsPerSample,
    channels,
    sampleRate,
    dataOffset: data.offset,
    dataLength: data.size,
    blockAlign,
    frameCount: Math.floor(data.size / blockAlign),
  };
}

/** Writers that stream without seeking leave 0 or 0xFFFFFFFF where a length belongs. */
function checkSizeMarker(path: string, chunk: string, size: number): void {
  if (size === 0 || size === 0xffffffff) {
    fail('wav', `${path}: truncated or corrupt WAV file (${chunk} size is ${size === 0 ? '0' : '0xFFFFFFFF'})`);
  }
}


function tagText(tag: number): string {
  const hex = `0x${tag.toString(16).toUpperCase().padStart(4, '0')}`;
  const name = FORMAT_NAMES.get(tag);
  return name === undefined ? hex : `${hex} (${name})`;
}

/** The registry form {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}: the first three fields are little-endian. */
function guidText(g: Buffer): string {
  const hex = (b: Buffer): string => b.toString('hex').toUpperCase();
  const le = (start: number, end: number): string => hex(Buffer.from(g.subarray(start, end)).reverse());
  return `{${le(0, 4)}-${le(4, 6)}-${le(6, 8)}-${hex(g.subarray(8, 10))}-${hex(g.subarray(10, 16))}}`;
}

/** A chunk id for a message: printable as it is, else in hex. */
function chunkName(id: string): string {
  return /^[\x20-\x7e]{4}$/.test(id) ? `'${id}'` : `0x${Buffer.from(id, 'latin1').toString('hex').toUpperCase()}`;
}

function describeOpenError(path: string, err: unknown): string {
  const code = errorCode(err);
  if (code === 'ENOENT' || code === 'ENOTDIR') return `${path}: file not found`;
  return `${path}: cannot read the file (${errorReason(err)})`;
}

function errorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

function errorReason(err: unknown): string {
  const code = errorCode(err);
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'not a regular file';
  if (code !== undefined) return code;
  return err instanceof Error ? err.message : String(err);
}
