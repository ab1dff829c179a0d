import { describe, expect, it } from 'vitest';
import { writeToc } from '../../src/cue/toc-writer.js';
import type { AudioSpan } from '../../src/disc/model.js';
import { track, disc, text } from './discs.js';



/** An audio span starting at an image sample (only `start` and `length` matter to the TOC writer). */
function span(start: number, length: number): AudioSpan {
  const format = { sampleFormat: 'int', bitsPerSample: 16, channels: 2, sampleRate: 44100, dataOffset: 44, dataLength: 0, blockAlign: 4, frameCount: 0 } as const;
  return { start, length, source: { path: 'a.wav', format }, sourceStart: 0, ramps: [], track: 1 };
}


describe('writeToc', () => {
  it('writes catalog, CD-Text, flags in every combination, ISRC, FILE parts with SWAP, START and INDEX', () => {
    const d = disc(
      [
        track(1, { 0: 0, 1: 150 }, 'GBAYE2600001'),
        track(2, { 0: 18000, 1: 18150, 2: 24900 }, 'GBAYE2600002', 'c'),
        track(3, { 1: 36000 }, undefined, 'p'),
        track(4, { 0: 54000, 1: 54075, 2: 60000, 3: 61000 }, 'GBAYE2600004', 'cp'),
      ],
      72000,
      {
        upc: '5012345678900',
        cdText: text({ title: 'Northern Lights', performer: 'The Examples', message: 'Thanks' }, [{ title: 'Dawn' }, { title: 'Noon', performer: 'Guest' }, {}, { title: 'Four', message: '' }], {
          discId: 'NL-001',
          genre: { code: 5, text: 'Classical' },
        }),
      },
    );
    expect(writeToc(d, { imageFile: 'IMAGE.DAT' })).toBe(
      [
        'CD_DA',
        'CATALOG "5012345678900"',
        '',
        'CD_TEXT {',
        '  LANGUAGE_MAP {',
        '    0 : 9',
        '  }',
        '  LANGUAGE 0 {',
        '    TITLE "Northern Lights"',
        '    PERFORMER "The Examples"',
        '    MESSAGE "Thanks"',
        '    DISC_ID "NL-001"',
        '    GENRE { 0, 5, 67, 108, 97, 115, 115, 105, 99, 97, 108, 0 }',
        '  }',
        '}',
        '',
        '// Track 1',
        'TRACK AUDIO',
        'NO PRE_EMPHASIS',
        'NO COPY',
        'ISRC "GBAYE2600001"',
        'CD_TEXT {',
        '  LANGUAGE 0 {',
        '    TITLE "Dawn"',
        '    PERFORMER ""',
        '    MESSAGE ""',
        '  }',
        '}',
        'FILE "IMAGE.DAT" SWAP 00:02:00 03:58:00',
        '',
        '// Track 2',
        'TRACK AUDIO',
        'NO PRE_EMPHASIS',
        'COPY',
        'ISRC "GBAYE2600002"',
        'CD_TEXT {',
        '  LANGUAGE 0 {',
        '    TITLE "Noon"',
        '    PERFORMER "Guest"',
        '    MESSAGE ""',
        '  }',
        '}',
        'FILE "IMAGE.DAT" SWAP 04:00:00 04:00:00',
        'START 00:02:00',
        'INDEX 01:30:00',
        '',
        '// Track 3',
        'TRACK AUDIO',
        'PRE_EMPHASIS',
        'NO COPY',
        'CD_TEXT {',
        '  LANGUAGE 0 {',
        '    TITLE ""',
        '    PERFORMER ""',
        '    MESSAGE ""',
        '  }',
        '}',
        'FILE "IMAGE.DAT" SWAP 08:00:00 04:00:00',
        '',
        '// Track 4',
        'TRACK AUDIO',
        'PRE_EMPHASIS',
        'COPY',
        'ISRC "GBAYE2600004"',
        'CD_TEXT {',
        '  LANGUAGE 0 {',
        '    TITLE "Four"',
        '    PERFORMER ""',
        '    MESSAGE ""',
        '  }',
        '}',
        'FILE "IMAGE.DAT" SWAP 12:00:00 04:00:00',
        'START 00:01:00',
        'INDEX 01:19:00',
        'INDEX 01:32:25',
        '',
      ].join('\n'),
    );
  });

  it('writes a bare disc: no catalog, no CD-Text; track 2 without index 00 starts its FILE part at index 01', () => {
    const d = disc([track(1, { 0: 0, 1: 150 }), track(2, { 1: 600 })], 1200);
    expect(writeToc(d, { imageFile: 'IMAGE.DAT' })).toBe(
      [
        'CD_DA',
        '',
        '// Track 1',
        'TRACK AUDIO',
        'NO PRE_EMPHASIS',
        'NO COPY',
        'FILE "IMAGE.DAT" SWAP 00:02:00 00:06:00',
        '',
        '// Track 2',
        'TRACK AUDIO',
        'NO PRE_EMPHASIS',
        'NO COPY',
        'FILE "IMAGE.DAT" SWAP 00:08:00 00:08:00',
        '',
      ].join('\n'),
    );
  });

  it('gives a hidden track one its own START: everything after the 2 seconds cdrdao makes itself', () => {
    const d = disc([track(1, { 0: 0, 1: 2400, 2: 3000 }), track(2, { 0: 20000, 1: 20150 })], 40000, { spans: [span(150 * 588, 2250 * 588)] });
    const toc = writeToc(d, { imageFile: 'IMAGE.DAT' });
    expect(toc.startsWith('CD_DA\n')).toBe(true);
    expect(toc).toContain('FILE "IMAGE.DAT" SWAP 00:02:00 04:24:50\nSTART 00:30:00\nINDEX 00:08:00\n');
    expect(toc).toContain('FILE "IMAGE.DAT" SWAP 04:26:50 04:26:50\nSTART 00:02:00\n');
  });

  it('notes audio in the first 2 seconds, which cdrdao cannot burn (hidden track after a short gap)', () => {
    const d = disc([track(1, { 0: 0, 1: 300 })], 900, { spans: [span(0, 0), span(75 * 588, 225 * 588)] });
    expect(writeToc(d, { imageFile: 'IMAGE.DAT' }).split('\n').slice(0, 3)).toEqual([
      "// Note: the image's first 150 frames hold audio from 00:01:00 on,",
      '// but cdrdao always writes the first 2 seconds of a disc as silence: that audio is not burnt.',
      'CD_DA',
    ]);
  });

  it('writes SCMS as NO COPY with a comment (cdrdao has no SCMS)', () => {
    const d = disc([track(1, { 0: 0, 1: 150 }, undefined, 's'), track(2, { 1: 600 }, undefined, 'ps')], 1200);
    const toc = writeToc(d, { imageFile: 'IMAGE.DAT' });
    const scms = '// SCMS requested: cdrdao cannot write SCMS, the track is written as copy not permitted';
    expect(toc).toContain(`TRACK AUDIO\n${scms}\nNO PRE_EMPHASIS\nNO COPY\n`);
    expect(toc).toContain(`TRACK AUDIO\n${scms}\nPRE_EMPHASIS\nNO COPY\n`);
  });

  it('maps the language to its CD-Text code and writes DISC_ID and GENRE without any text type', () => {
    const d = disc([track(1, { 0: 0, 1: 150 })], 600, { cdText: text({}, [{}], { language: 'de', discId: 'X', genre: { code: 1, text: '' } }) });
    expect(writeToc(d, { imageFile: 'IMAGE.DAT' })).toContain('  LANGUAGE_MAP {\n    0 : 8\n  }\n  LANGUAGE 0 {\n    DISC_ID "X"\n    GENRE { 0, 1, 0 }\n  }\n}\n\n// Track 1\nTRACK AUDIO\nNO PRE_EMPHASIS\nNO COPY\nFILE');
  });

  it('leaves CD-Text out when every string is empty', () => {
    const d = disc([track(1, { 0: 0, 1: 150 })], 600, { cdText: text({ title: '' }, [{ title: '' }]) });
    expect(writeToc(d, { imageFile: 'IMAGE.DAT' })).not.toContain('CD_TEXT');
  });

  it('escapes quotes, backslashes and non-ASCII letters so the TOC is pure ASCII', () => {
    const d = disc([track(1, { 0: 0, 1: 150 })], 600, { cdText: text({ title: 'Say "Hi" \\ Café' }, [{ title: 'Ünïcödé\u00a0x' }], { genre: { code: 27, text: 'Ça' } }) });
    const toc = writeToc(d, { imageFile: 'dir\\IMAGE "1".DAT' });
    expect(toc).toContain('    TITLE "Say \\"Hi\\" \\134 Caf\\351"\n');
    expect(toc).toContain('    TITLE "\\334n\\357c\\366d\\351\\240x"\n');
    expect(toc).toContain('    GENRE { 0, 27, 199, 97, 0 }\n');
    expect(toc).toContain('FILE "dir\\134IMAGE \\"1\\".DAT" SWAP');
    expect(/^[\x20-\x7e\n]*$/.test(toc)).toBe(true);
  });

  it('refuses text beyond ISO 8859-1', () => {
    const d = disc([track(1, { 0: 0, 1: 150 })], 600, { cdText: text({ title: 'Ω' }, [{}]) });
    expect(() => writeToc(d, { imageFile: 'IMAGE.DAT' })).toThrow('disc title: "Ω" (U+03A9) is not an ISO 8859-1 character');
  });

  it('refuses a disc whose track 1 starts before 00:02:00', () => {
    expect(() => writeToc(disc([track(1, { 0: 0, 1: 100 })], 600), { imageFile: 'IMAGE.DAT' })).toThrow("track 1's index 01 is at 00:01:25");
  });

  it('writes 99 tracks', () => {
    const tracks = Array.from({ length: 99 }, (_, i) => track(i + 1, { 1: 150 + i * 300 }));
    const toc = writeToc(disc(tracks, 150 + 99 * 300), { imageFile: 'IMAGE.DAT' });
    expect(toc.match(/^TRACK AUDIO$/gm)).toHaveLength(99);
    expect(toc.endsWith('// Track 99\nTRACK AUDIO\nNO PRE_EMPHASIS\nNO COPY\nFILE "IMAGE.DAT" SWAP 06:34:00 00:04:00\n')).toBe(true);
  });
});
