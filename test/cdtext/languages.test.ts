import { describe, expect, it } from 'vitest';
import { LANGUAGE_CODES, languageCode, languageTag } from '../../src/cdtext/languages.js';

describe('CD-Text language codes (EBU Tech 3264)', () => {
  const known: [string, number][] = [
    ['en', 0x09],
    ['de', 0x08],
    ['fr', 0x0f],
    ['es', 0x0a],
    ['it', 0x15],
    ['nl', 0x1d],
    ['ja', 0x69],
    ['sv', 0x28],
    ['pl', 0x20],
    ['pt', 0x21],
    ['fi', 0x27],
    ['da', 0x07],
    ['no', 0x1e],
    ['ru', 0x56],
    ['zh', 0x75],
    ['ko', 0x65],
    ['el', 0x70],
    ['ar', 0x7e],
    ['am', 0x7f],
    ['zu', 0x45],
    ['und', 0x00],
  ];
  for (const [tag, code] of known) {
    it(`maps ${tag} to 0x${code.toString(16).padStart(2, '0')} and back`, () => {
      expect(languageCode(tag)).toBe(code);
      expect(languageTag(code)).toBe(tag);
    });
  }

  it('ignores case in the tag', () => {
    expect(languageCode('EN')).toBe(0x09);
    expect(languageCode('De')).toBe(0x08);
  });

  it('knows nothing of unknown tags or reserved codes', () => {
    expect(languageCode('xx')).toBeUndefined();
    expect(languageCode('english')).toBeUndefined();
    expect(languageCode('')).toBeUndefined();
    expect(languageTag(0x2c)).toBeUndefined();
    expect(languageTag(0x44)).toBeUndefined();
    expect(languageTag(0x80)).toBeUndefined();
  });

  it('reads aliases back as the canonical tag', () => {
    expect(languageCode('nb')).toBe(0x1e);
    expect(languageCode('nn')).toBe(0x1e);
    expect(languageTag(0x1e)).toBe('no');
  });

  it('uses only EBU codes 0x00-0x2B and 0x45-0x7F, every one of them', () => {
    const codes = new Set(LANGUAGE_CODES.values());
    for (const code of codes) expect((code >= 0x00 && code <= 0x2b) || (code >= 0x45 && code <= 0x7f)).toBe(true);
    for (let code = 0x00; code <= 0x7f; code++) {
      if (code > 0x2b && code < 0x45) continue;
      expect(codes.has(code)).toBe(true);
    }
  });
});
