import { describe, expect, it } from 'vitest';
import type { CdText } from '../../src/disc/model.js';
import { DdpkitError } from '../../src/errors.js';
import { encodeCdText, hasCdText, withCdtHeader } from '../../src/cdtext/encode.js';

/** The packs as one upper-case hex line each, to compare with hex worked out by hand. */
function packLines(buf: Buffer): string[] {
  const lines: string[] = [];
  for (let off = 0; off < buf.length; off += 18) {
    lines.push([...buf.subarray(off, off + 18)].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' '));
  }
  return lines;
}

/** The error `fn` throws, checked to be a DdpkitError. */
function thrown(fn: () => unknown): DdpkitError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DdpkitError);
    return e as DdpkitError;
  }
  throw new Error('expected a DdpkitError');
}

const tracks = (n: number, make: (i: number) => CdText['tracks'][number]): CdText['tracks'] =>
  Array.from({ length: n }, (_, i) => make(i + 1));

describe('encodeCdText: a small disc, every byte worked out by hand', () => {
  // Titles "Disc Title\0" "Tide\0" "Noon\0" = 21 bytes = 2 packs; performers "Artist\0" "\0" "\0" = 1 pack;
  // size info: 2 title packs, 1 performer pack, 3 size packs; 6 packs, last sequence 5; English 0x09.
  // CRCs computed independently (Python binascii.crc_hqx, inverted).
  const cdText: CdText = {
    language: 'en',
    disc: { title: 'Disc Title', performer: 'Artist' },
    tracks: [{ title: 'Tide' }, { title: 'Noon' }],
  };

  it('writes exactly these six packs', () => {
    expect(packLines(encodeCdText(cdText))).toEqual([
      '80 00 00 00 44 69 73 63 20 54 69 74 6C 65 00 54 A7 14',
      '80 01 01 01 69 64 65 00 4E 6F 6F 6E 00 00 00 00 E7 9F',
      '81 00 02 00 41 72 74 69 73 74 00 00 00 00 00 00 19 EF',
      '8F 00 03 00 00 01 02 00 02 01 00 00 00 00 00 00 32 33',
      '8F 01 04 00 00 00 00 00 00 00 00 03 05 00 00 00 8F 5A',
      '8F 02 05 00 00 00 00 00 09 00 00 00 00 00 00 00 1C 80',
    ]);
  });

  it('writes the same bytes when the missing track performers are given as ""', () => {
    const explicit: CdText = { ...cdText, tracks: [{ title: 'Tide', performer: '' }, { title: 'Noon', performer: '' }] };
    expect(encodeCdText(explicit)).toEqual(encodeCdText(cdText));
  });

  it('is deterministic', () => {
    expect(encodeCdText(cdText)).toEqual(encodeCdText(structuredClone(cdText)));
  });
});

describe('encodeCdText: byte 1 and byte 3 follow payload byte 0', () => {
  it('writes 80 02 01 03 for a pack opening with the NUL after track 2\'s 3-character title (the cue2ddp case)', () => {
    // "Disc\0" "One\0" "Two" fill pack 0; pack 1 opens with Two's NUL, then "Dusk\0". German 0x08.
    const cdText: CdText = { language: 'de', disc: { title: 'Disc' }, tracks: [{ title: 'One' }, { title: 'Two' }, { title: 'Dusk' }] };
    expect(packLines(encodeCdText(cdText))).toEqual([
      '80 00 00 00 44 69 73 63 00 4F 6E 65 00 54 77 6F 34 E1',
      '80 02 01 03 00 44 75 73 6B 00 00 00 00 00 00 00 DB 78',
      '8F 00 02 00 00 01 03 00 02 00 00 00 00 00 00 00 9E 76',
      '8F 01 03 00 00 00 00 00 00 00 00 03 04 00 00 00 89 E8',
      '8F 02 04 00 00 00 00 00 08 00 00 00 00 00 00 00 20 32',
    ]);
  });

  it('gives an empty track string that opens a pack position 0', () => {
    // "Hello World\0" fills pack 0 exactly; pack 1 opens with track 1's empty string.
    const lines = packLines(encodeCdText({ language: 'en', disc: { title: 'Hello World' }, tracks: [{}, { title: 'B' }] }));
    expect(lines[1]!.slice(0, 11)).toBe('80 01 01 00');
    expect(lines[1]!.slice(12, 47)).toBe('00 42 00 00 00 00 00 00 00 00 00 00');
  });

  it('caps the position at 15', () => {
    // A 30-character disc title: packs open at characters 0, 12 and 24 (written 15).
    const lines = packLines(encodeCdText({ language: 'en', disc: { title: 'A'.repeat(30) }, tracks: [{}] }));
    expect(lines.slice(0, 3).map((l) => l.slice(0, 11))).toEqual(['80 00 00 00', '80 00 01 0C', '80 00 02 0F']);
    expect(lines[2]!.slice(12, 47)).toBe('41 41 41 41 41 41 00 00 00 00 00 00');
  });
});

describe('encodeCdText: disc ID and genre', () => {
  it('writes 0x86 and 0x87 with the genre code counted in the position, as worked out by hand', () => {
    // Title "Album\0Song\0"; disc ID "CAT-0042\0"; genre 00 05 "Classical Baroque\0" = 20 bytes = 2 packs,
    // the second opening at character 12 of the genre string (2 code bytes + "Classical ").
    // Size info: 1 title, 1 disc ID, 2 genre, 3 size = 7 packs, last sequence 6; French 0x0F.
    const cdText: CdText = {
      language: 'fr',
      disc: { title: 'Album' },
      tracks: [{ title: 'Song' }],
      discId: 'CAT-0042',
      genre: { code: 5, text: 'Classical Baroque' },
    };
    expect(packLines(encodeCdText(cdText))).toEqual([
      '80 00 00 00 41 6C 62 75 6D 00 53 6F 6E 67 00 00 81 A9',
      '86 00 01 00 43 41 54 2D 30 30 34 32 00 00 00 00 C4 70',
      '87 00 02 00 00 05 43 6C 61 73 73 69 63 61 6C 20 C6 19',
      '87 00 03 0C 42 61 72 6F 71 75 65 00 00 00 00 00 86 73',
      '8F 00 04 00 00 01 01 00 01 00 00 00 00 00 01 02 90 9D',
      '8F 01 05 00 00 00 00 00 00 00 00 03 06 00 00 00 6F E7',
      '8F 02 06 00 00 00 00 00 0F 00 00 00 00 00 00 00 11 E8',
    ]);
  });

  it('writes a genre with no text as its code and a NUL', () => {
    const lines = packLines(encodeCdText({ language: 'en', disc: {}, tracks: [{}], genre: { code: 0x1b, text: '' } }));
    expect(lines[0]!.slice(0, 47)).toBe('87 00 00 00 00 1B 00 00 00 00 00 00 00 00 00 00');
    expect(lines).toHaveLength(4);
  });

  it('leaves out an empty disc ID', () => {
    const lines = packLines(encodeCdText({ language: 'en', disc: { title: 'T' }, tracks: [{}], discId: '' }));
    expect(lines.map((l) => l.slice(0, 2))).toEqual(['80', '8F', '8F', '8F']);
  });
});

describe('encodeCdText: which types are written', () => {
  it('leaves out a type whose strings are all empty, and writes types in ascending order', () => {
    const cdText: CdText = {
      language: 'en',
      disc: { performer: '', message: 'Hi' },
      tracks: [{ performer: '', composer: 'C' }, { performer: '' }],
    };
    const lines = packLines(encodeCdText(cdText));
    expect(lines.map((l) => l.slice(0, 2))).toEqual(['83', '85', '8F', '8F', '8F']);
    // Composer "\0" "C\0" "\0"; message "Hi\0" "\0" "\0".
    expect(lines[0]!.slice(12, 47)).toBe('00 43 00 00 00 00 00 00 00 00 00 00');
    expect(lines[1]!.slice(12, 47)).toBe('48 69 00 00 00 00 00 00 00 00 00 00');
    // Character code 0, tracks 1-2, copyright 0; counts: 0x83 1, 0x85 1, 0x8F 3; last sequence 4.
    expect(lines[2]!.slice(12, 47)).toBe('00 01 02 00 00 00 00 01 00 01 00 00');
    expect(lines[3]!.slice(12, 47)).toBe('00 00 00 00 00 00 00 03 04 00 00 00');
  });

  it('writes ISO 8859-1 bytes for accented letters', () => {
    const lines = packLines(encodeCdText({ language: 'de', disc: { title: 'Grüße ©' }, tracks: [{ title: 'ÿ' }] }));
    expect(lines[0]!.slice(12, 47)).toBe('47 72 FC DF 65 20 A9 00 FF 00 00 00');
  });

  it('writes only size information when there is no text at all, and hasCdText says so', () => {
    const empty: CdText = { language: 'en', disc: {}, tracks: [{ title: '' }] };
    expect(hasCdText(empty)).toBe(false);
    expect(packLines(encodeCdText(empty)).map((l) => l.slice(0, 11))).toEqual(['8F 00 00 00', '8F 01 01 00', '8F 02 02 00']);
    expect(hasCdText({ ...empty, tracks: [{ arranger: 'A' }] })).toBe(true);
    expect(hasCdText({ ...empty, discId: 'X' })).toBe(true);
    expect(hasCdText({ ...empty, genre: { code: 1, text: '' } })).toBe(true);
  });

  it('writes the last track number and the last sequence number for 99 tracks', () => {
    const lines = packLines(encodeCdText({ language: 'en', disc: { title: 'X' }, tracks: tracks(99, (i) => ({ title: `T${i}` })) }));
    // Titles: "X\0" + 9 × 3 bytes + 90 × 4 bytes = 389 bytes = 33 packs; 36 packs in all.
    expect(lines).toHaveLength(36);
    expect(lines[33]!.slice(0, 47)).toBe('8F 00 21 00 00 01 63 00 21 00 00 00 00 00 00 00');
    expect(lines[34]!.slice(0, 47)).toBe('8F 01 22 00 00 00 00 00 00 00 00 03 23 00 00 00');
  });
});

describe('encodeCdText: the 256-pack limit', () => {
  it('accepts exactly 256 packs', () => {
    // Disc title of 3034 characters + NUL, track 1's NUL: 3036 bytes = 253 packs, + 3 size packs.
    const buf = encodeCdText({ language: 'en', disc: { title: 'a'.repeat(3034) }, tracks: [{}] });
    expect(buf.length).toBe(256 * 18);
    const lines = packLines(buf);
    expect(lines[255]!.slice(0, 11)).toBe('8F 02 FF 00');
    expect(lines[254]!.slice(12, 47)).toBe('00 00 00 00 00 00 00 03 FF 00 00 00');
  });

  it('refuses 257 packs, naming the text that runs over', () => {
    const e = thrown(() => encodeCdText({ language: 'en', disc: { title: 'a'.repeat(3035) }, tracks: [{}] }));
    expect(e.code).toBe('cdtext');
    expect(e.message).toBe(
      'CD-Text needs 257 packs, 1 more than the 256 one block can hold (3 of them size information): it runs over in the title of track 1',
    );
    expect(e.problems).toEqual([{ severity: 'error', code: 'cdtext', message: e.message }]);
  });

  it('names the track whose title runs over', () => {
    // 99 titles of 30 characters: 1 + 99 × 31 = 3070 bytes = 256 packs, 259 in all. Pack 253 opens at byte
    // 3036, inside track 98's title (bytes 3008-3038).
    const e = thrown(() => encodeCdText({ language: 'en', disc: {}, tracks: tracks(99, (i) => ({ title: `${i}`.padStart(30, '.') })) }));
    expect(e.message).toBe(
      'CD-Text needs 259 packs, 3 more than the 256 one block can hold (3 of them size information): it runs over in the title of track 98',
    );
  });

  it('names the performer when the titles fit but the performers do not', () => {
    // Titles: 1 + 99 × 21 = 2080 bytes = 174 packs. Performers: 1 + 99 × 11 = 1090 bytes = 91 packs.
    // 268 packs in all. Pack 253 is performer pack 79, opening at byte 948: track 87's (bytes 947-957).
    const e = thrown(() =>
      encodeCdText({
        language: 'en',
        disc: {},
        tracks: tracks(99, (i) => ({ title: `${i}`.padStart(20, '-'), performer: `${i}`.padStart(10, '+') })),
      }),
    );
    expect(e.message).toBe(
      'CD-Text needs 268 packs, 12 more than the 256 one block can hold (3 of them size information): it runs over in the performer of track 87',
    );
  });

  it('names the genre when it is what runs over', () => {
    // Title: 3033 characters + NUL + track 1's NUL = 3035 bytes = 253 packs; the genre makes pack 254.
    const e = thrown(() =>
      encodeCdText({ language: 'en', disc: { title: 'g'.repeat(3033) }, tracks: [{}], genre: { code: 1, text: 'Ambient' } }),
    );
    expect(e.message).toBe(
      'CD-Text needs 257 packs, 1 more than the 256 one block can hold (3 of them size information): it runs over in the genre',
    );
  });
});

describe('encodeCdText: refusals', () => {
  it('refuses characters outside ISO 8859-1, naming field, track and character', () => {
    const e = thrown(() => encodeCdText({ language: 'en', disc: { title: 'A' }, tracks: [{ title: 'x' }, { title: '5 €' }] }));
    expect(e.code).toBe('cdtext');
    expect(e.message).toBe('the title of track 2 has "€" (U+20AC), which ISO 8859-1 cannot encode');
  });

  it('refuses a character outside the BMP as one character', () => {
    const e = thrown(() => encodeCdText({ language: 'en', disc: { performer: 'DJ 🎵' }, tracks: [{}] }));
    expect(e.message).toBe('the disc\'s performer has "🎵" (U+1F3B5), which ISO 8859-1 cannot encode');
  });

  it('refuses a NUL inside a string', () => {
    const e = thrown(() => encodeCdText({ language: 'en', disc: {}, tracks: [{}], discId: 'A\0B' }));
    expect(e.message).toBe('the disc ID contains a NUL character, which would end the CD-Text string early');
  });

  it('refuses an unknown language', () => {
    const e = thrown(() => encodeCdText({ language: 'xx', disc: { title: 'A' }, tracks: [{}] }));
    expect(e.message).toBe('CD-Text language "xx" has no EBU language code');
  });

  it('refuses 0 or 100 tracks', () => {
    expect(thrown(() => encodeCdText({ language: 'en', disc: { title: 'A' }, tracks: [] })).message).toBe(
      'CD-Text needs 1 to 99 tracks, not 0',
    );
    expect(thrown(() => encodeCdText({ language: 'en', disc: { title: 'A' }, tracks: tracks(100, () => ({})) })).message).toBe(
      'CD-Text needs 1 to 99 tracks, not 100',
    );
  });

  it('refuses a genre code that does not fit in 2 bytes', () => {
    const e = thrown(() => encodeCdText({ language: 'en', disc: {}, tracks: [{}], genre: { code: 65536, text: '' } }));
    expect(e.message).toBe('the genre code 65536 is not a whole number from 0 to 65535');
  });
});

describe('withCdtHeader', () => {
  it('prefixes (file size - 2) big-endian and two zero bytes', () => {
    const packs = encodeCdText({ language: 'en', disc: { title: 'Disc Title', performer: 'Artist' }, tracks: [{ title: 'Tide' }, { title: 'Noon' }] });
    const cdt = withCdtHeader(packs);
    // 6 packs = 108 bytes; the file is 112 bytes; 112 - 2 = 110 = 0x006E.
    expect([...cdt.subarray(0, 4)]).toEqual([0x00, 0x6e, 0x00, 0x00]);
    expect(cdt.subarray(4)).toEqual(packs);
  });

  it('handles a full block: 256 packs = 4608 bytes, field 4610 = 0x1202', () => {
    const packs = encodeCdText({ language: 'en', disc: { title: 'a'.repeat(3034) }, tracks: [{}] });
    expect([...withCdtHeader(packs).subarray(0, 4)]).toEqual([0x12, 0x02, 0x00, 0x00]);
  });
});
