import CRC32 from 'crc-32';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { StreamDigest, crc32, crc32Hex } from '../../src/checksum/digest.js';

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

  it('agrees with the crc-32 package on odd lengths and every byte value', () => {
    const data = Buffer.alloc(70001);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31 + (i >> 8)) & 0xff;
    expect(crc32(data)).toBe(CRC32.buf(data) >>> 0);
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
