// ISRC and UPC/EAN: normalising and checking (formats.md, "Red Book basics").

/** ISRC as stored: 2 letters, 3 letters/digits, 2 digits (year), 5 digits. */
export const ISRC_RE = /^[A-Z]{2}[A-Z0-9]{3}[0-9]{7}$/;

/** Removes presentation dashes and upper-cases an ISRC as written. */
export function normaliseIsrc(text: string): string {
  return text.replaceAll('-', '').toUpperCase();
}

/** The EAN-13 check digit of the first 12 digits (weights 1,3,1,3,…). */
export function eanCheckDigit(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

/** A 12-digit UPC-A widened to EAN-13 (leading 0); 13 digits unchanged. */
export function toEan13(upc: string): string {
  return upc.length === 12 ? `0${upc}` : upc;
}

/** Undefined when the 13-digit code's check digit is right, else the digit it should be. */
export function wrongCheckDigit(ean13: string): number | undefined {
  const expected = eanCheckDigit(ean13.slice(0, 12));
  return Number(ean13[12]) === expected ? undefined : expected;
}
