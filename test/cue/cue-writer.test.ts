import { describe, expect, it } from 'vitest';
import { cueBytes, writeCue } from '../../src/cue/cue-writer.js';
import type { CdText } from '../../src/disc/model.js';
import { DdpkitError } from '../../src/errors.js';
import { track, disc, text } from './discs.js';




describe('writeCue', () => {
  it('writes catalog, CD-Text file, disc and track text, ISRCs, every flag combination and index 00/01/02', () => {
    const d = disc(
      [
        track(1, { 0: 0, 1: 150 }, 'GBAYE2600001'),
        track(2, { 0: 18000, 1: 18150, 2: 24900 }, 'GBAYE2600002', 'c'),
        track(3, { 1: 36000 }, undefined, 'p'),
        track(4, { 0: 54000, 1: 54075 }, 'GBAYE2600004', 'cp'),
        track(5, { 1: 72000 }, undefined, 's'),
        track(6, { 1: 90000 }, undefined, 'ps'),
      ],
      108000,
      {
        upc: '5012345678900',
        cdText: text(
          { title: 'Northern Lights', performer: 'The Examples', songwriter: 'A. Writer', composer: 'Not In Cue' },
          [{ title: 'Dawn' }, { title: 'Noon', performer: 'Guest', songwriter: 'B. Writer' }, {}, { title: 'Four' }, { title: 'Five' }, { title: 'Six' }],
        ),
      },
    );
    expect(writeCue(d, { imageFile: 'IMAGE.DAT', cdTextFile: 'CDTEXT.CDT' })).toBe(
      [
        'CATALOG 5012345678900',
        'CDTEXTFILE "CDTEXT.CDT"',
        'TITLE "Northern Lights"',
        'PERFORMER "The Examples"',
        'SONGWRITER "A. Writer"',
        'FILE "IMAGE.DAT" BINARY',
        '  TRACK 01 AUDIO',
        '    TITLE "Dawn"',
        '    ISRC GBAYE2600001',
        '    INDEX 00 00:00:00',
        '    INDEX 01 00:02:00',
        '  TRACK 02 AUDIO',
        '    TITLE "Noon"',
        '    PERFORMER "Guest"',
        '    SONGWRITER "B. Writer"',
        '    ISRC GBAYE2600002',
        '    FLAGS DCP',
        '    INDEX 00 04:00:00',
        '    INDEX 01 04:02:00',
        '    INDEX 02 05:32:00',
        '  TRACK 03 AUDIO',
        '    FLAGS PRE',
        '    INDEX 01 08:00:00',
        '  TRACK 04 AUDIO',
        '    TITLE "Four"',
        '    ISRC GBAYE2600004',
        '    FLAGS DCP PRE',
        '    INDEX 00 12:00:00',
        '    INDEX 01 12:01:00',
        '  TRACK 05 AUDIO',
        '    TITLE "Five"',
        '    FLAGS SCMS',
        '    INDEX 01 16:00:00',
        '  TRACK 06 AUDIO',
        '    TITLE "Six"',
        '    FLAGS PRE SCMS',
        '    INDEX 01 20:00:00',
        '',
      ].join('\n'),
    );
  });

  it('writes a bare disc: no catalog, no CD-Text, index 00 absent on track 2', () => {
    const d = disc([track(1, { 0: 0, 1: 150 }), track(2, { 1: 600 })], 1200);
    expect(writeCue(d, { imageFile: 'out/IMAGE.DAT' })).toBe(
      'FILE "out/IMAGE.DAT" BINARY\n  TRACK 01 AUDIO\n    INDEX 00 00:00:00\n    INDEX 01 00:02:00\n  TRACK 02 AUDIO\n    INDEX 01 00:08:00\n',
    );
  });

  it('writes a hidden track one: index 01 of track 1 long after its index 00', () => {
    const d = disc([track(1, { 0: 0, 1: 2400 }), track(2, { 0: 20000, 1: 20150 })], 40000);
    expect(writeCue(d, { imageFile: 'IMAGE.DAT' })).toContain('  TRACK 01 AUDIO\n    INDEX 00 00:00:00\n    INDEX 01 00:32:00\n');
  });

  it('writes 99 tracks, numbered 01 to 99', () => {
    const tracks = Array.from({ length: 99 }, (_, i) => track(i + 1, { 1: 150 + i * 300 }));
    const cue = writeCue(disc(tracks, 150 + 99 * 300), { imageFile: 'IMAGE.DAT' });
    const trackLines = cue.split('\n').filter((l) => l.startsWith('  TRACK'));
    expect(trackLines).toHaveLength(99);
    expect(trackLines[0]).toBe('  TRACK 01 AUDIO');
    expect(trackLines[98]).toBe('  TRACK 99 AUDIO');
    expect(cue.endsWith('  TRACK 99 AUDIO\n    INDEX 01 06:34:00\n')).toBe(true); // 150 + 98 × 300 frames
  });

  it('uses LF line ends, no BOM, upper-case commands', () => {
    const cue = writeCue(disc([track(1, { 0: 0, 1: 150 })], 600, { upc: '5012345678900' }), { imageFile: 'IMAGE.DAT' });
    expect(cue).not.toContain('\r');
    expect(cue.charCodeAt(0)).not.toBe(0xfeff);
    for (const line of cue.trimEnd().split('\n')) expect(/^ *[A-Z]+ /.test(line)).toBe(true);
  });
});

describe('cue text escaping', () => {
  const one = (t: CdText['disc'], tr: CdText['tracks'][number] = {}): string =>
    writeCue(disc([track(1, { 0: 0, 1: 150 })], 600, { cdText: text(t, [tr]) }), { imageFile: 'IMAGE.DAT' });

  it("writes a double quote as two apostrophes, which every reader keeps", () => {
    expect(one({ title: 'Say "Hello"' })).toContain("TITLE \"Say ''Hello''\"\n");
  });

  it('cuts text to 80 characters (CDRWIN and cdrdao refuse longer), never leaving half a quote or a trailing blank', () => {
    const long = 'A'.repeat(79) + '"B';
    expect(one({ title: long })).toContain(`TITLE "${'A'.repeat(79)}"\n`);
    const spaced = `${'word '.repeat(16)}tail`; // 84 characters, the 80th is a blank
    expect(one({ title: spaced })).toContain(`TITLE "${'word '.repeat(15)}word"\n`);
    expect(one({ title: 'B'.repeat(80) })).toContain(`TITLE "${'B'.repeat(80)}"\n`);
  });

  it('leaves empty strings out (cdrdao stops at `""` in a cue sheet)', () => {
    expect(one({ title: 'T', performer: '' }, { title: '', performer: 'P' })).toBe(
      'TITLE "T"\nFILE "IMAGE.DAT" BINARY\n  TRACK 01 AUDIO\n    PERFORMER "P"\n    INDEX 00 00:00:00\n    INDEX 01 00:02:00\n',
    );
  });

  it('keeps ISO 8859-1 letters, which cueBytes saves as single bytes', () => {
    const cue = one({ title: 'Café Müller' });
    expect(cue).toContain('TITLE "Café Müller"');
    expect(cueBytes(cue).subarray(7, 18)).toEqual(Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72]));
  });

  it('turns a control character into a blank', () => {
    expect(one({ title: 'a\tb' })).toContain('TITLE "a b"');
  });

  it('refuses text beyond ISO 8859-1, naming the field and character', () => {
    expect(() => one({ title: 'Smile ☺' })).toThrow(DdpkitError);
    expect(() => one({}, { performer: 'Zoë ☺' })).toThrow('track 1 performer: "☺" (U+263A) is not an ISO 8859-1 character');
  });

  it('refuses a file name with a double quote', () => {
    expect(() => writeCue(disc([track(1, { 0: 0, 1: 150 })], 600), { imageFile: 'a"b.dat' })).toThrow('image file "a"b.dat" cannot be named in a cue sheet');
  });
});
