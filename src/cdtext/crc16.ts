// CRC-16 of CD-Text packs (formats.md, CDTEXT.BIN, bytes 16–17).
//
// Parameters (reveng catalogue name CRC-16/GSM):
//   width 16, polynomial 0x1021, initial value 0x0000, input not reflected,
//   output not reflected, final XOR 0xFFFF (the result is inverted), check("123456789") = 0xCE3C.
// The pack stores the result big-endian in bytes 16–17, computed over bytes 0–15.

/** One table entry per byte value: the register shifted through eight MSB-first steps. */
const TABLE: Uint16Array = (() => {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let reg = byte << 8;
    for (let bit = 0; bit < 8; bit++) {
      reg = reg & 0x8000 ? ((reg << 1) ^ 0x1021) & 0xffff : (reg << 1) & 0xffff;
    }
    table[byte] = reg;
  }
  return table;
})();

/** Feeds bytes into a running CRC-16 register (start with 0); pass the end value to `crc16Final`. */
export function crc16Update(register: number, data: Uint8Array): number {
  let reg = register & 0xffff;
  for (const byte of data) {
    reg = ((reg << 8) & 0xffff) ^ TABLE[((reg >> 8) ^ byte) & 0xff]!;
  }
  return reg;
}

/** Turns a running register from `crc16Update` into the stored CRC (the inversion of CRC-16/GSM). */
export function crc16Final(register: number): number {
  return ~register & 0xffff;
}

/** CRC-16 of a CD-Text pack's bytes 0–15: poly 0x1021, init 0, not reflected, result inverted. */
export function crc16(data: Uint8Array): number {
  return crc16Final(crc16Update(0, data));
}
