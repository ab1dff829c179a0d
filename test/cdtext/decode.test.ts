import { describe, expect, it } from 'vitest';
import type { CdText } from '../../src/disc/model.js';
import type { Finding } from '../../src/errors.js';
import { crc16 } from '../../src/cdtext/crc16.js';
import { decodeCdText } from '../../src/cdtext/decode.js';
import { encodeCdText, withCdtHeader } from '../../src/cdtext/encode.js';

const fromHex = (hex: string): Buffer => Buffer.from(hex.replaceAll(' ', ''), 'hex');

/** The small disc of encode.test.ts, typed in from the hand-worked hex (not from the encoder). */
const FIXTURE_HEX = [
  '80 00 00 00 44 69 73 63 20 54 69 74 6C 65 00 54 A7 14',
  '80 01 01 01 69 64 65 00 4E 6F 6F 6E 00 00 00 00 E7 9F',
  '81 00 02 00 41 72 74 69 73 74 00 00 00 00 00 00 19 EF',
  '8F 00 03 00 00 01 02 00 02 01 00 00 00 00 00 00 32 33',
  '8F 01 04 00 00 00 00 00 00 00 00 03 05 00 00 00 8F 5A',
  '8F 02 05 00 00 00 00 00 09 00 00 00 00 00 00 00 1C 80',
];
const fixture = (): Buffer => fromHex(FIXTURE_HEX.join(''));
const FIXTURE_TEXT: CdText = {
  language: 'en',
  disc: { title: 'Disc Title', performer: 'Artist' },
  tracks: [
    { title: 'Tide', performer: '' },
    { title: 'Noon', performer: '' },
  ],
};

/** Recomputes the CRC of pack `i` after a test changed its bytes. */
function reseal(buf: Buffer, i: number): Buffer {
  buf.writeUInt16BE(crc16(buf.subarray(i * 18, i * 18 + 16)), i * 18 + 16);
  return buf;
}

/** Changes byte `byte` (0-17) of pack `i` and reseals the pack. */
function poke(buf: Buffer, i: number, byte: number, value: number): Buffer {
  buf[i * 18 + byte] = value;
  return reseal(buf, i);
}

/** Packs from header fields and payload hex, numbered in order, with CRCs; built without the encoder. */
function packs(specs: { type: number; track: number; position: number; payload: string }[]): Buffer {
  const buf = Buffer.alloc(specs.length * 18);
  specs.forEach((s, i) => {
    buf[i * 18] = s.type;
    buf[i * 18 + 1] = s.track;
    buf[i * 18 + 2] = i;
    buf[i * 18 + 3] = s.position;
    const payload = fromHex(s.payload);
    expect(payload.length).toBe(12);
    payload.copy(buf, i * 18 + 4);
    reseal(buf, i);
  });
  return buf;
}

const codes = (findings: Finding[]): string[] => findings.map((f) => f.code);

describe('decodeCdText: the hand-worked fixture', () => {
  it('reads block 0 with no findings', () => {
    const r = decodeCdText(fixture());
    expect(r.findings).toEqual([]);
    expect(r.packCount).toBe(6);
    expect(r.cdText).toEqual(FIXTURE_TEXT);
    expect(r.upc).toBeUndefined();
    expect(r.isrcs).toBeUndefined();
  });
});

describe('decodeCdText(encodeCdText(x)) gives x back', () => {
  const cases: [string, CdText][] = [
    ['the cue2ddp layout', { language: 'de', disc: { title: 'Disc' }, tracks: [{ title: 'One' }, { title: 'Two' }, { title: 'Dusk' }] }],
    [
      'every field, ISO 8859-1 letters, disc ID and genre',
      {
        language: 'ja',
        disc: { title: 'Nordlichter · Live', performer: 'Die Beispiele', songwriter: 'A. Schreiber', composer: 'Zoë', arranger: 'Ørjan', message: '© 2026 Ünïcödé-frei' },
        tracks: Array.from({ length: 12 }, (_, k) => ({
          title: `Stück ${k + 1}`,
          performer: k % 3 === 0 ? '' : `Gast ${k}`,
          songwriter: 'A. Schreiber',
          composer: k === 5 ? 'Ça va' : '',
          arranger: '',
          message: k === 11 ? 'Fin.' : '',
        })),
        discId: 'NL-2026-001',
        genre: { code: 27, text: 'World Music, 1960s' },
      },
    ],
    ['a genre and nothing else', { language: 'en', disc: {}, tracks: [{}], genre: { code: 1, text: 'Drone' } }],
    ['only a disc ID', { language: 'it', disc: {}, tracks: [{}, {}], discId: 'X' }],
    [
      '99 tracks',
      {
        language: 'nl',
        disc: { title: 'Album', performer: 'Band' },
        tracks: Array.from({ length: 99 }, (_, k) => ({ title: `Track number ${k + 1}`, performer: k % 2 ? 'Band' : 'Other band' })),
      },
    ],
    [
      '160-character strings',
      {
        language: 'fr',
        disc: { title: 'é'.repeat(160), message: 'm'.repeat(159) },
        tracks: [{ title: 'x'.repeat(160), message: '' }, { title: '', message: 'ÿ'.repeat(160) }],
      },
    ],
    ['a full block of 256 packs', { language: 'en', disc: { title: 'a'.repeat(3034) }, tracks: [{ title: '' }] }],
  ];
  for (const [name, cdText] of cases) {
    it(name, () => {
      const encoded = encodeCdText(cdText);
      const r = decodeCdText(encoded);
      expect(r.findings).toEqual([]);
      expect(r.packCount).toBe(encoded.length / 18);
      expect(r.cdText).toEqual(cdText);
    });
  }

  it('reads undefined track strings of a present type back as ""', () => {
    const r = decodeCdText(encodeCdText({ language: 'en', disc: { composer: 'C' }, tracks: [{}, { title: 'T' }] }));
    expect(r.cdText).toEqual({ language: 'en', disc: { composer: 'C', title: '' }, tracks: [{ composer: '', title: '' }, { composer: '', title: 'T' }] });
  });

  it('expands a lone TAB to the previous track\'s text', () => {
    const r = decodeCdText(encodeCdText({ language: 'en', disc: { performer: 'Band' }, tracks: [{ performer: 'Band' }, { performer: '\t' }] }));
    expect(r.findings).toEqual([]);
    expect(r.cdText?.tracks[1]).toEqual({ performer: 'Band' });
  });
});

describe('decodeCdText: pack type 0x8E (UPC/ISRC)', () => {
  it('reads the UPC and the ISRCs, built by hand', () => {
    // 0x8E: "5012345678900\0" "GBAYE2600001\0" "\0" = 28 bytes = 3 packs; pack 1 opens at character 12 of the
    // UPC, pack 2 at character 10 of track 1's ISRC. Size info: 1 title, 3 UPC/ISRC, 3 size; 7 packs.
    const buf = packs([
      { type: 0x80, track: 0, position: 0, payload: '41 00 42 00 43 00 00 00 00 00 00 00' },
      { type: 0x8e, track: 0, position: 0, payload: '35 30 31 32 33 34 35 36 37 38 39 30' },
      { type: 0x8e, track: 0, position: 12, payload: '30 00 47 42 41 59 45 32 36 30 30 30' },
      { type: 0x8e, track: 1, position: 10, payload: '30 31 00 00 00 00 00 00 00 00 00 00' },
      { type: 0x8f, track: 0, position: 0, payload: '00 01 02 00 01 00 00 00 00 00 00 00' },
      { type: 0x8f, track: 1, position: 0, payload: '00 00 00 00 00 00 03 03 06 00 00 00' },
      { type: 0x8f, track: 2, position: 0, payload: '00 00 00 00 09 00 00 00 00 00 00 00' },
    ]);
    const r = decodeCdText(buf);
    expect(r.findings).toEqual([]);
    expect(r.upc).toBe('5012345678900');
    expect(r.isrcs).toEqual(['GBAYE2600001', undefined]);
    expect(r.cdText).toEqual({ language: 'en', disc: { title: 'A' }, tracks: [{ title: 'B' }, { title: 'C' }] });
  });
});

describe('decodeCdText: a disc whose first track is not 1', () => {
  it('keeps tracks[0] as track 1 and files the strings under their own tracks', () => {
    // Size info: first track 3, last track 4; titles "D\0" "C\0" "E\0"; ISRCs "\0" "" "ZZAAA2600001\0".
    const buf = packs([
      { type: 0x80, track: 0, position: 0, payload: '44 00 43 00 45 00 00 00 00 00 00 00' },
      { type: 0x8e, track: 0, position: 0, payload: '00 00 5A 5A 41 41 41 32 36 30 30 30' },
      { type: 0x8e, track: 4, position: 10, payload: '30 31 00 00 00 00 00 00 00 00 00 00' },
      { type: 0x8f, track: 0, position: 0, payload: '00 03 04 00 01 00 00 00 00 00 00 00' },
      { type: 0x8f, track: 1, position: 0, payload: '00 00 00 00 00 00 02 03 05 00 00 00' },
      { type: 0x8f, track: 2, position: 0, payload: '00 00 00 00 09 00 00 00 00 00 00 00' },
    ]);
    const r = decodeCdText(buf);
    expect(r.findings).toEqual([]);
    expect(r.cdText?.tracks).toEqual([{}, {}, { title: 'C' }, { title: 'E' }]);
    expect(r.upc).toBeUndefined();
    expect(r.isrcs).toEqual([undefined, undefined, undefined, 'ZZAAA2600001']);
  });
});

describe('decodeCdText: findings', () => {
  it('reports a flipped CRC byte and still reads the text', () => {
    const buf = fixture();
    buf[18 + 17]! ^= 0xff;
    const r = decodeCdText(buf);
    expect(r.findings).toEqual([
      { severity: 'error', code: 'cdtext-crc', file: 'CDTEXT.BIN', offset: 18, packet: 1, message: 'the CRC is 0xE760, but bytes 0–15 give 0xE79F' },
    ]);
    expect(r.cdText).toEqual(FIXTURE_TEXT);
  });

  it('warns of a CRC left at zero', () => {
    const buf = fixture();
    buf.writeUInt16BE(0, 2 * 18 + 16);
    expect(decodeCdText(buf, 'ALBUM.CDT').findings).toEqual([
      { severity: 'warning', code: 'cdtext-crc', file: 'ALBUM.CDT', offset: 36, packet: 2, message: 'the CRC is 0x0000 where bytes 0–15 give 0x19EF: the writer left it out' },
    ]);
  });

  it('reports a wrong sequence number once', () => {
    const r = decodeCdText(poke(fixture(), 2, 2, 7));
    expect(r.findings).toEqual([
      {
        severity: 'error',
        code: 'cdtext-sequence',
        file: 'CDTEXT.BIN',
        offset: 36,
        packet: 2,
        message: 'the sequence number is 7, expected 2: the packs of block 0 are numbered from 0 without gaps',
      },
    ]);
  });

  it('reports a missing pack as a sequence gap and a wrong count', () => {
    const full = fixture();
    const r = decodeCdText(Buffer.concat([full.subarray(0, 18), full.subarray(36)]));
    expect(r.findings).toContainEqual({
      severity: 'error',
      code: 'cdtext-sequence',
      file: 'CDTEXT.BIN',
      offset: 18,
      packet: 1,
      message: 'the sequence number is 2, expected 1: the packs of block 0 are numbered from 0 without gaps',
    });
    expect(r.findings).toContainEqual({
      severity: 'error',
      code: 'cdtext-size-info',
      file: 'CDTEXT.BIN',
      offset: 36,
      packet: 2,
      message: 'the size information counts 2 title packs (0x80), but block 0 has 1',
    });
    expect(codes(r.findings).filter((c) => c === 'cdtext-sequence')).toHaveLength(1);
  });

  it('reports a wrong pack count in the size information', () => {
    // Size info byte 4 (0x80 count) is payload byte 4 of the first 0x8F pack, i.e. its byte 8.
    const r = decodeCdText(poke(fixture(), 3, 8, 3));
    expect(r.findings).toEqual([
      { severity: 'error', code: 'cdtext-size-info', file: 'CDTEXT.BIN', offset: 54, packet: 3, message: 'the size information counts 3 title packs (0x80), but block 0 has 2' },
    ]);
  });

  it('reports a wrong last sequence number in the size information', () => {
    // Size info byte 20 is payload byte 8 of the second 0x8F pack, i.e. its byte 12.
    const r = decodeCdText(poke(fixture(), 4, 12, 9));
    expect(r.findings).toEqual([
      {
        severity: 'error',
        code: 'cdtext-size-info',
        file: 'CDTEXT.BIN',
        offset: 72,
        packet: 4,
        message: 'the size information of block 0 gives 9 as the last sequence number of block 0, but its last pack has 5',
      },
    ]);
  });

  it('reports a truncated pack and reads the packs before it', () => {
    const r = decodeCdText(fixture().subarray(0, 103));
    expect(r.packCount).toBe(5);
    expect(r.findings[0]).toEqual({
      severity: 'error',
      code: 'cdtext-length',
      file: 'CDTEXT.BIN',
      offset: 90,
      packet: 5,
      message: '103 bytes of packs is not a multiple of 18: the last 13 bytes are a cut-off pack',
    });
    expect(r.findings).toContainEqual({
      severity: 'error',
      code: 'cdtext-size-info',
      file: 'CDTEXT.BIN',
      offset: 72,
      packet: 4,
      message: 'block 0 lacks size information part 2',
    });
    // Without part 2 the language is unknown; the titles are intact.
    expect(r.cdText).toEqual({ ...FIXTURE_TEXT, language: 'und' });
  });

  it('accepts one trailing 0x00 byte', () => {
    const r = decodeCdText(Buffer.concat([fixture(), Buffer.of(0)]));
    expect(r.findings).toEqual([]);
    expect(r.packCount).toBe(6);
    expect(r.cdText).toEqual(FIXTURE_TEXT);
  });

  it('does not accept a trailing byte other than 0x00, nor two', () => {
    expect(codes(decodeCdText(Buffer.concat([fixture(), Buffer.of(1)])).findings)).toEqual(['cdtext-length']);
    expect(codes(decodeCdText(Buffer.concat([fixture(), Buffer.of(0, 0)])).findings)).toEqual(['cdtext-length']);
  });

  it('accepts a .cdt header, with or without a trailing 0x00 counted in it', () => {
    for (const buf of [
      withCdtHeader(fixture()),
      Buffer.concat([fromHex('00 6E 00 00'), fixture(), Buffer.of(0)]),
      Buffer.concat([fromHex('00 6F 00 00'), fixture(), Buffer.of(0)]),
    ]) {
      const r = decodeCdText(buf, 'ALBUM.CDT');
      expect(r.findings).toEqual([]);
      expect(r.packCount).toBe(6);
      expect(r.cdText).toEqual(FIXTURE_TEXT);
    }
  });

  it('gives offsets in the .cdt file, header included', () => {
    const buf = withCdtHeader(fixture());
    buf[4 + 18 + 17]! ^= 0xff;
    expect(decodeCdText(buf).findings).toMatchObject([{ code: 'cdtext-crc', offset: 22, packet: 1 }]);
  });

  it('warns of a .cdt header whose size is wrong, and reads on', () => {
    const r = decodeCdText(Buffer.concat([fromHex('00 10 00 00'), fixture()]));
    expect(r.findings).toEqual([
      {
        severity: 'warning',
        code: 'cdtext-header',
        file: 'CDTEXT.BIN',
        message: 'the file opens with a 4-byte .cdt header whose size field says 16, but 110 bytes follow that field',
      },
    ]);
    expect(r.cdText).toEqual(FIXTURE_TEXT);
  });

  it('reports an empty file', () => {
    expect(decodeCdText(new Uint8Array(0))).toEqual({
      cdText: undefined,
      packCount: 0,
      findings: [{ severity: 'error', code: 'cdtext-length', file: 'CDTEXT.BIN', message: 'the file is empty' }],
    });
  });

  it('reports a byte 0 that is no pack type', () => {
    const r = decodeCdText(poke(fixture(), 2, 0, 0x20));
    expect(r.findings).toContainEqual({
      severity: 'error',
      code: 'cdtext-pack-type',
      file: 'CDTEXT.BIN',
      offset: 36,
      packet: 2,
      message: 'byte 0 is 0x20, which is not a CD-Text pack type (0x80–0x8F)',
    });
    expect(r.findings).toContainEqual(expect.objectContaining({ code: 'cdtext-size-info', message: 'the size information counts 1 performer packs (0x81), but block 0 has 0' }));
  });

  it('warns when byte 3 does not give the position of payload byte 0', () => {
    const r = decodeCdText(poke(fixture(), 1, 3, 0x00));
    expect(r.findings).toEqual([
      {
        severity: 'warning',
        code: 'cdtext-position',
        file: 'CDTEXT.BIN',
        offset: 18,
        packet: 1,
        message: 'byte 1 says track 1 and byte 3 position 0, but payload byte 0 is character 1 of the title of track 1: expected track 1, position 1',
      },
    ]);
  });

  it('warns of control codes in a string', () => {
    const r = decodeCdText(encodeCdText({ language: 'en', disc: {}, tracks: [{ title: 'A\u0001B' }] }));
    expect(r.findings).toEqual([
      {
        severity: 'warning',
        code: 'cdtext-charset',
        file: 'CDTEXT.BIN',
        offset: 0,
        packet: 0,
        message: 'the title of track 1 contains byte 0x01, a control code rather than an ISO 8859-1 character',
      },
    ]);
  });

  it('reports missing size information and counts the tracks from the strings', () => {
    const r = decodeCdText(fixture().subarray(0, 3 * 18));
    expect(r.findings).toEqual([
      {
        severity: 'error',
        code: 'cdtext-size-info',
        file: 'CDTEXT.BIN',
        offset: 0,
        packet: 0,
        message: 'block 0 has no size information (the three 0x8F packs that close a block)',
      },
    ]);
    expect(r.cdText).toEqual({ ...FIXTURE_TEXT, language: 'und' });
  });

  it('reads an unknown language code as "und", with a note', () => {
    // Size info byte 28 is payload byte 4 of the third 0x8F pack, i.e. its byte 8.
    const r = decodeCdText(poke(fixture(), 5, 8, 0x2c));
    expect(r.findings).toEqual([
      {
        severity: 'note',
        code: 'cdtext-language',
        file: 'CDTEXT.BIN',
        offset: 90,
        packet: 5,
        message: 'the language code 0x2C of block 0 is not an EBU language code; it is read as "und" (unknown)',
      },
    ]);
    expect(r.cdText?.language).toBe('und');
  });

  it('notes a double-byte block 0 and does not decode it', () => {
    const buf = fixture();
    for (let i = 0; i < 6; i++) poke(buf, i, 3, buf[i * 18 + 3]! | 0x80);
    const r = decodeCdText(buf);
    expect(r.cdText).toBeUndefined();
    expect(r.findings).toEqual([
      {
        severity: 'note',
        code: 'cdtext-double-byte',
        file: 'CDTEXT.BIN',
        offset: 0,
        packet: 0,
        message: 'block 0 uses double-byte characters (MS-JIS), which ddpkit does not decode',
      },
    ]);
  });

  it('checks block 1 but decodes block 0 only', () => {
    // Block 1: German titles "Titel\0Eins\0Zwei\0" (2 packs) + 3 size packs, sequence 0-4. Both blocks'
    // size information lists both blocks: last sequence 5 and 4, languages 0x09 and 0x08.
    const block0 = fixture();
    poke(block0, 4, 4 + 9, 4); // size info [21]: last sequence of block 1
    poke(block0, 5, 4 + 5, 0x08); // size info [29]: language of block 1
    const block1 = encodeCdText({ language: 'de', disc: { title: 'Titel' }, tracks: [{ title: 'Eins' }, { title: 'Zwei' }] });
    for (let i = 0; i < 5; i++) poke(block1, i, 3, block1[i * 18 + 3]! | 0x10);
    poke(block1, 3, 4 + 8, 5); // [20]: block 0's last sequence
    poke(block1, 3, 4 + 9, 4); // [21]: its own
    poke(block1, 4, 4 + 4, 0x09); // [28]: block 0's language
    poke(block1, 4, 4 + 5, 0x08); // [29]: its own
    const r = decodeCdText(Buffer.concat([block0, block1]));
    expect(r.packCount).toBe(11);
    expect(r.findings).toEqual([
      {
        severity: 'note',
        code: 'cdtext-block',
        file: 'CDTEXT.BIN',
        offset: 108,
        packet: 6,
        message: 'block 1 (language de, 0x08) is not read: ddpkit decodes block 0 only',
      },
    ]);
    expect(r.cdText).toEqual(FIXTURE_TEXT);
  });

  it('reports a block 0 pack after block 1 has begun', () => {
    const block1 = fixture();
    for (let i = 0; i < 6; i++) poke(block1, i, 3, block1[i * 18 + 3]! | 0x10);
    const r = decodeCdText(Buffer.concat([block1, fixture().subarray(0, 18)]));
    expect(r.findings).toContainEqual(
      expect.objectContaining({
        code: 'cdtext-block',
        packet: 6,
        message: "the pack belongs to block 0, but block 1 has begun: each block's packs must come together, in block order",
      }),
    );
  });

  it('lists at most 20 findings of one code and counts the rest', () => {
    const buf = encodeCdText({ language: 'en', disc: { title: 'x'.repeat(400) }, tracks: [{}] });
    const n = buf.length / 18;
    for (let i = 0; i < n; i++) buf[i * 18 + 17]! ^= 1;
    const r = decodeCdText(buf);
    expect(r.findings.filter((f) => f.code === 'cdtext-crc' && f.severity === 'error')).toHaveLength(20);
    expect(r.findings.at(-1)).toEqual({ severity: 'note', code: 'cdtext-crc', file: 'CDTEXT.BIN', message: `${n - 20} more cdtext-crc findings are not listed` });
    expect(r.cdText?.disc.title).toBe('x'.repeat(400));
  });
});

describe('decodeCdText never throws', () => {
  /** A small seeded generator, so a failure can be replayed. */
  function rng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 0x100000000;
    };
  }

  it('on random bytes', () => {
    const next = rng(1);
    for (let round = 0; round < 300; round++) {
      const buf = Buffer.alloc(Math.floor(next() * 600));
      for (let i = 0; i < buf.length; i++) buf[i] = Math.floor(next() * 256);
      // Lean random data towards pack types so the deeper checks run too.
      for (let i = 0; i < buf.length; i += 18) if (next() < 0.8) buf[i] = 0x80 + Math.floor(next() * 16);
      const r = decodeCdText(buf);
      expect(Array.isArray(r.findings)).toBe(true);
    }
  });

  it('on damaged real packs (bytes changed and CRCs resealed)', () => {
    const next = rng(2);
    const good = encodeCdText({
      language: 'en',
      disc: { title: 'Album', performer: 'Band' },
      tracks: Array.from({ length: 20 }, (_, k) => ({ title: `Song ${k}`, performer: 'Band' })),
      genre: { code: 8, text: 'Dance' },
      discId: 'ID1',
    });
    for (let round = 0; round < 500; round++) {
      const buf = Buffer.from(good);
      const n = buf.length / 18;
      for (let hits = 0; hits < 3; hits++) {
        const pack = Math.floor(next() * n);
        poke(buf, pack, Math.floor(next() * 16), Math.floor(next() * 256));
      }
      const r = decodeCdText(buf);
      expect(Array.isArray(r.findings)).toBe(true);
    }
  });

  it('on size information claiming 255 tracks', () => {
    const r = decodeCdText(poke(fixture(), 3, 6, 0xff));
    expect(r.findings).toContainEqual(
      expect.objectContaining({ code: 'cdtext-size-info', message: 'the size information of block 0 gives tracks 1 to 255; it must be 1 ≤ first ≤ last ≤ 99' }),
    );
    expect(r.cdText?.tracks).toHaveLength(2);
  });
});
