// MD5 and CRC-32 of a stream, computed together while a file is written or read.
// CRC-32 is zlib's (polynomial 0xEDB88320 reflected, initial and final XOR 0xFFFFFFFF; formats.md,
// "Checksum files"). bench/crc32.ts (npm run bench) on Node 20.20, 256 MB in 1 MB chunks: node:zlib's crc32
// 2.0–5.4 GB/s, the crc-32 package 1.2–1.5 GB/s, so node:zlib's is used (Node 20.15+, as package.json asks);
// the package is only a devDependency for that comparison and the tests.
import { createHash, type Hash } from 'node:crypto';
import { crc32 as zlibCrc32 } from 'node:zlib';

const crc32Update = (data: Uint8Array, value: number): number => zlibCrc32(data, value);

/** CRC-32 (zlib) of one buffer, or continued from `value`. */
export function crc32(data: Uint8Array, value = 0): number {
  return crc32Update(data, value);
}

/** MD5 and CRC-32 of everything passed to `update`, for checksum files and verification. */
export class StreamDigest {
  private readonly hash: Hash = createHash('md5');
  private crc = 0;
  private md5: string | undefined;
  private bytes = 0;

  /** Adds the next chunk of the stream. */
  update(chunk: Uint8Array): void {
    if (this.md5 !== undefined) throw new Error('StreamDigest: update after md5Hex()');
    this.hash.update(chunk);
    this.crc = crc32Update(chunk, this.crc);
    this.bytes += chunk.length;
  }

  /** MD5 of the stream so far as 32 lower-case hex digits; no more updates after this. */
  md5Hex(): string {
    this.md5 ??= this.hash.digest('hex');
    return this.md5;
  }

  /** CRC-32 of the stream so far, unsigned. */
  crc32(): number {
    return this.crc;
  }

  /** Bytes seen so far. */
  length(): number {
    return this.bytes;
  }
}

/** A CRC-32 as 8 upper-case hex digits, as CHECKSUM.TXT writes it. */
export function crc32Hex(value: number): string {
  return (value >>> 0).toString(16).toUpperCase().padStart(8, '0');
}
