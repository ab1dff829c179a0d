import { describe, expect, it } from 'vitest';
import { crc16, crc16Final, crc16Update } from '../../src/cdtext/crc16.js';

const fromHex = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex.replaceAll(' ', ''), 'hex'));

describe('crc16 (formats.md, CDTEXT.BIN)', () => {
  it('gives the known answer A714 for the "Disc Title" pack', () => {
    expect(crc16(fromHex('80 00 00 00 44 69 73 63 20 54 69 74 6C 65 00 54'))).toBe(0xa714);
  });

  it('gives the CRC-16/GSM check value for "123456789"', () => {
    expect(crc16(new TextEncoder().encode('123456789'))).toBe(0xce3c);
  });

  it('gives 0xFFFF for no bytes (initial 0, inverted)', () => {
    expect(crc16(new Uint8Array(0))).toBe(0xffff);
  });

  it('gives the same result fed piece by piece as all at once', () => {
    const data = fromHex('80 00 00 00 44 69 73 63 20 54 69 74 6C 65 00 54');
    for (let cut = 0; cut <= data.length; cut++) {
      const reg = crc16Update(crc16Update(0, data.subarray(0, cut)), data.subarray(cut));
      expect(crc16Final(reg)).toBe(0xa714);
    }
    let reg = 0;
    for (const byte of data) reg = crc16Update(reg, Uint8Array.of(byte));
    expect(crc16Final(reg)).toBe(0xa714);
  });

  it('validates a whole pack: the CRC over bytes 0-17 of a sealed pack leaves the inverted residue', () => {
    // Appending a non-inverted CRC gives a zero register; the stored CRC is inverted, so 0x1D0F remains.
    const pack = fromHex('80 00 00 00 44 69 73 63 20 54 69 74 6C 65 00 54 A7 14');
    expect(crc16Update(0, pack)).toBe(0x1d0f);
  });
});
