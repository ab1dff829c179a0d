// MD5 and CRC-32 of a stream, computed together while a file is written or read.
// CRC-32 is zlib's (polynomial 0xEDB88320 reflected, initial and final XOR 0xFFFFFFFF; formats.md,
// "Checksum files"). bench/crc32.ts (npm run bench) on Node 20.20, 256 MB in 1 MB chunks: @node-rs/crc32
// (Rust's crc32fast with carry-less multiplication, prebuilt for each platform) 8.9–24 GB/s, node:zlib's
// crc32 2.3–5.4 GB/s, the crc-32 package 1.0 GB/s. The first is used where its binary loads, node:zlib's otherwise
// (Node 20.15+, as package.json asks); the crc-32 package is only a devDependency for the comparison and
// the tests. The CRC is the build's one pass over the image on the main thread, beside rendering and
// writing, so its speed shows in the build's time.
import { createHash, type Hash } from 'node:crypto';
import { createRequire } from 'node:module';
import { crc32 as zlibCrc32 } from 'node:zlib';

/** A CRC-32 continued from `value` over `data`, unsigned. */
export type Crc32 = (data: Uint8Array, value: number) => number;

/**
 * A native CRC-32 from what loading @node-rs/crc32 gave, or undefined when that failed (`load` threw:
 * a platform without a prebuilt binary) or when its function is missing or does not give the standard
 * check value: only a checked one is trusted.
 */
export function checkedNativeCrc32(load: () => unknown): Crc32 | undefined {
  try {
    const f = (load() as { crc32?: unknown } | undefined)?.crc32;
    if (typeof f !== 'function') return undefined;
    const crc = (data: Uint8Array, value: number): number => (f as (input: Uint8Array, initialState?: number) => number)(data, value) >>> 0;
    return crc(new TextEncoder().encode('123456789'), 0) === 0xcbf43926 ? crc : undefined;
  } catch {
    return undefined;
  }
}

const native = checkedNativeCrc32(() => createRequire(import.meta.url)('@node-rs/crc32'));

/** Which CRC-32 implementation runs: 'native' (@node-rs/crc32) or 'zlib' (node:zlib). */
export const CRC32_IMPLEMENTATION: 'native' | 'zlib' = native ? 'native' : 'zlib';

const crc32Update: Crc32 = native ?? ((data, value) => zlibCrc32(data, value));

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

// The CRC-32 of a whole stream from the CRCs of its parts, as zlib's crc32_combine() does (polynomial
// arithmetic modulo the CRC polynomial): so one pass gives the CRCs of the tracks and of the image.
const CRC_POLY = 0xedb88320;

/** a(x)·b(x) modulo the CRC polynomial (bit-reflected, as the CRC itself). */
function multModP(a: number, b: number): number {
  let m = 0x80000000;
  let p = 0;
  for (;;) {
    if ((a & m) !== 0) {
      p ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = b & 1 ? (b >>> 1) ^ CRC_POLY : b >>> 1;
  }
  return p >>> 0;
}

/** x^(2^k) modulo the CRC polynomial, k = 0…31. */
const X2N: number[] = [];
for (let k = 0, p = 0x40000000; k < 32; k++) {
  X2N.push(p);
  p = multModP(p, p);
}

/** The CRC-32 of A followed by B, from the CRC of A, the CRC of B and the length of B in bytes. */
export function crc32Combine(crcA: number, crcB: number, bytesB: number): number {
  // x^(8·bytesB) modulo the polynomial, by squaring.
  let p = 0x80000000;
  for (let k = 3, n = bytesB; n > 0; k++, n = Math.floor(n / 2)) if (n % 2 === 1) p = multModP(X2N[k % 32]!, p);
  return (multModP(p, crcA >>> 0) ^ crcB) >>> 0;
}

/**
 * CRC-32 of a stream cut into parts at given byte offsets, in one pass: the CRC of each part (a track's
 * audio, as rippers print it) and of the whole stream (combined from the parts, not computed twice).
 */
export class Crc32Parts {
  private readonly crcs: number[];
  private readonly ends: number[];
  private part = 0;
  private position = 0;

  /** `cuts`: ascending byte offsets where a new part begins (the first part begins at 0; the last one has no end). */
  constructor(cuts: readonly number[] = []) {
    let previous = 0;
    for (const c of cuts) {
      if (!Number.isSafeInteger(c) || c < previous) throw new RangeError(`CRC-32 parts: cuts must ascend from 0, got ${cuts.join(', ')}`);
      previous = c;
    }
    this.ends = [...cuts, Infinity];
    this.crcs = this.ends.map(() => 0);
  }

  /** Adds the next bytes of the stream. */
  update(chunk: Uint8Array): void {
    let at = 0;
    while (at < chunk.length) {
      while (this.ends[this.part]! <= this.position) this.part++;
      const take = Math.min(chunk.length - at, this.ends[this.part]! - this.position);
      this.crcs[this.part] = crc32Update(chunk.subarray(at, at + take), this.crcs[this.part]!);
      at += take;
      this.position += take;
    }
  }

  /** The CRC of each part, in order (parts not reached yet are empty: 0). */
  parts(): number[] {
    return [...this.crcs];
  }

  /** The CRC of the whole stream so far. */
  whole(): number {
    let crc = 0;
    let start = 0;
    for (let i = 0; i < this.crcs.length && start <= this.position; i++) {
      const end = Math.min(this.ends[i]!, this.position);
      crc = crc32Combine(crc, this.crcs[i]!, end - start);
      start = this.ends[i]!;
    }
    return crc;
  }
}
