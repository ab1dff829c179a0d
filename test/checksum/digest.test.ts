import CRC32 from 'crc-32';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as zlib from 'node:zlib';
import { CRC32_IMPLEMENTATION, checkedNativeCrc32, Crc32Parts, StreamDigest, crc32, crc32Combine, crc32Hex } from '../../src/checksum/digest.js';

const ascii = (s: string): Buffer => Buffer.from(s, 'latin1');

describe('CRC-32 (zlib: poly 0xEDB88320 reflected, init and xorout 0xFFFFFFFF)', () => {
  it('gives the known answer for "123456789"', () => {
    expect(crc32(ascii('123456789'))).toBe(0xcbf43926);
    expect(crc32Hex(crc32(ascii('123456789')))).toBe('CBF43926');
  });

  it('is 0 for nothing and continues from a value', () => {
    expect(crc32(Buffer.alloc(0))).toBe(0);
    expect(crc32(ascii('56789'), crc32(ascii('1234')))).toBe(0xcbf43926);
  });

  it('agrees with the crc-32 package and node:zlib on odd lengths and every byte value, in shared memory too', () => {
    const data = Buffer.alloc(70001);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31 + (i >> 8)) & 0xff;
    expect(crc32(data)).toBe(CRC32.buf(data) >>> 0);
    expect(crc32(data)).toBe(zlib.crc32(data));
    const shared = Buffer.from(new SharedArrayBuffer(data.length + 3), 3, data.length);
    data.copy(shared);
    expect(crc32(shared)).toBe(crc32(data));
    for (const cut of [0, 1, 17, 4096, 70000]) expect(crc32(data.subarray(cut), crc32(data.subarray(0, cut)))).toBe(crc32(data));
  });

  it('runs @node-rs/crc32 where its binary loads (it does on the platforms CI uses)', () => {
    expect(CRC32_IMPLEMENTATION).toBe('native');
  });

  it('trusts a native CRC-32 only when it loads and gives the check value; otherwise node:zlib runs', () => {
    const zlibLike = { crc32: (data: Uint8Array, value?: number) => zlib.crc32(data, value ?? 0) };
    expect(checkedNativeCrc32(() => zlibLike)?.(ascii('123456789'), 0)).toBe(0xcbf43926);
    // A signed result is made unsigned.
    expect(checkedNativeCrc32(() => ({ crc32: (data: Uint8Array, value?: number) => zlib.crc32(data, value ?? 0) | 0 }))?.(ascii('123456789'), 0)).toBe(0xcbf43926);
    expect(checkedNativeCrc32(() => {
      throw new Error('Cannot find module @node-rs/crc32-freebsd-x64');
    })).toBeUndefined();
    expect(checkedNativeCrc32(() => ({}))).toBeUndefined();
    expect(checkedNativeCrc32(() => ({ crc32: () => 0 }))).toBeUndefined();
  });
});

describe('StreamDigest', () => {
  it('gives MD5 and CRC-32 of "abc"', () => {
    const d = new StreamDigest();
    d.update(ascii('abc'));
    expect(d.md5Hex()).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(d.crc32()).toBe(0x352441c2);
    expect(d.length()).toBe(3);
  });

  it('gives the digests of nothing', () => {
    const d = new StreamDigest();
    expect(d.md5Hex()).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(d.crc32()).toBe(0);
  });

  it('gives the same result byte by byte as in one chunk', () => {
    const data = Buffer.alloc(5000);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7 + 3) & 0xff;
    const whole = new StreamDigest();
    whole.update(data);
    const bytes = new StreamDigest();
    for (let i = 0; i < data.length; i++) bytes.update(data.subarray(i, i + 1));
    expect(bytes.md5Hex()).toBe(whole.md5Hex());
    expect(bytes.crc32()).toBe(whole.crc32());
    expect(whole.md5Hex()).toBe(createHash('md5').update(data).digest('hex'));
    expect(whole.crc32()).toBe(CRC32.buf(data) >>> 0);
  });

  it('can be asked for the MD5 twice but not updated after', () => {
    const d = new StreamDigest();
    d.update(ascii('abc'));
    expect(d.md5Hex()).toBe(d.md5Hex());
    expect(() => {
      d.update(ascii('d'));
    }).toThrow(/after md5Hex/);
  });
});

/** Deterministic bytes for the CRC tests. */
function bytesOf(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe('CRC-32 combination', () => {
  it('combines the CRCs of two parts into that of the whole, for any split', () => {
    const bytes = bytesOf(5000, 17);
    for (const split of [0, 1, 7, 2500, 4999, 5000]) {
      const a = crc32(bytes.subarray(0, split));
      const b = crc32(bytes.subarray(split));
      expect(crc32Combine(a, b, bytes.length - split)).toBe(crc32(bytes));
    }
  });

  it('gives the check value of "123456789" (CBF43926) from "1234" and "56789"', () => {
    const text = (s: string): Uint8Array => new TextEncoder().encode(s);
    expect(crc32Combine(crc32(text('1234')), crc32(text('56789')), 5)).toBe(0xcbf43926);
  });
});

describe('Crc32Parts', () => {
  it('gives the CRC of each part and of the whole, however the stream is cut into chunks', () => {
    const bytes = bytesOf(10_000, 5);
    const cuts = [0, 1000, 1000, 4097, 9999];
    const bounds = [0, ...cuts, bytes.length];
    const expected = cuts.map((_, i) => crc32(bytes.subarray(bounds[i], bounds[i + 1]))).concat(crc32(bytes.subarray(9999)));
    for (const chunk of [1, 3, 1000, 4096, 10_000]) {
      const parts = new Crc32Parts(cuts);
      for (let at = 0; at < bytes.length; at += chunk) parts.update(bytes.subarray(at, at + chunk));
      // Parts [0, 0) (empty: CRC 0), [0, 1000), [1000, 1000) (empty), [1000, 4097), [4097, 9999), [9999, 10000).
      expect(parts.parts()).toEqual(expected);
      expect(parts.parts()[0]).toBe(0);
      expect(parts.parts()[1]).toBe(crc32(bytes.subarray(0, 1000)));
      expect(parts.whole()).toBe(crc32(bytes));
    }
  });

  it('gives the whole stream\'s CRC before every part is reached, and with no cuts', () => {
    const bytes = bytesOf(3000, 9);
    const parts = new Crc32Parts([1000, 2000, 5000]);
    parts.update(bytes.subarray(0, 1500));
    expect(parts.whole()).toBe(crc32(bytes.subarray(0, 1500)));
    expect(parts.parts()).toEqual([crc32(bytes.subarray(0, 1000)), crc32(bytes.subarray(1000, 1500)), 0, 0]);
    const one = new Crc32Parts();
    one.update(bytes);
    expect(one.parts()).toEqual([crc32(bytes)]);
    expect(one.whole()).toBe(crc32(bytes));
  });

  it('refuses cuts that do not ascend', () => {
    expect(() => new Crc32Parts([10, 5])).toThrow('CRC-32 parts: cuts must ascend from 0, got 10, 5');
    expect(() => new Crc32Parts([-1])).toThrow(RangeError);
  });
});
