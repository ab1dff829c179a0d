import { describe, expect, it } from 'vitest';
import { parseCue, type CueTrack } from '../../src/cue/cue-parser.js';
import { formatProblem } from '../../src/errors.js';

const noFlags = { dcp: false, pre: false, scms: false, fourChannel: false };

/** The problems of a sheet in their printed form. */
function printed(text: string): string[] {
  return parseCue(text, 'album.cue').problems.map(formatProblem);
}

describe('parseCue', () => {
  it('reads an EAC-style sheet of one continuous file into the exact structure', () => {
    const text = [
      'REM GENRE Electronic',
      'REM DATE 2026',
      'CATALOG 5012345678900',
      'PERFORMER "The Examples"',
      'TITLE "Northern Lights"',
      'SONGWRITER "A. Writer"',
      'CDTEXTFILE "album.cdt"',
      'FILE "Northern Lights.wav" WAVE',
      '  TRACK 01 AUDIO',
      '    TITLE "Dawn"',
      '    ISRC GBAYE2600001',
      '    INDEX 01 00:00:00',
      '  TRACK 02 AUDIO',
      '    TITLE "Noon"',
      '    PERFORMER "Guest"',
      '    SONGWRITER "B. Writer"',
      '    FLAGS DCP PRE',
      '    ISRC gb-aye-26-00002',
      '    PREGAP 00:01:00',
      '    INDEX 00 04:08:37',
      '    INDEX 01 04:10:37',
      '    INDEX 02 05:00:00',
      '    POSTGAP 00:02:00',
      '  TRACK 03 AUDIO',
      '    FLAGS SCMS 4CH',
      '    INDEX 01 08:00:00',
      '',
    ].join('\n');
    const { sheet, problems } = parseCue(text, 'album.cue');
    expect(problems).toEqual([]);
    const track = (t: Partial<CueTrack> & Pick<CueTrack, 'number' | 'indexes' | 'lines'>): CueTrack => ({ mode: 'AUDIO', text: {}, flags: noFlags, ...t });
    expect(sheet).toEqual({
      catalog: '5012345678900',
      cdTextFile: 'album.cdt',
      text: { title: 'Northern Lights', performer: 'The Examples', songwriter: 'A. Writer' },
      files: [{ name: 'Northern Lights.wav', type: 'WAVE', line: 8 }],
      lines: { CATALOG: 3, PERFORMER: 4, TITLE: 5, SONGWRITER: 6, CDTEXTFILE: 7 },
      tracks: [
        track({ number: 1, text: { title: 'Dawn' }, isrc: 'GBAYE2600001', indexes: [{ number: 1, file: 0, frame: 0, line: 12 }], lines: { TRACK: 9, TITLE: 10, ISRC: 11 } }),
        track({
          number: 2,
          text: { title: 'Noon', performer: 'Guest', songwriter: 'B. Writer' },
          isrc: 'GBAYE2600002',
          flags: { ...noFlags, dcp: true, pre: true },
          pregap: 75,
          postgap: 150,
          indexes: [
            { number: 0, file: 0, frame: 18637, line: 20 },
            { number: 1, file: 0, frame: 18787, line: 21 },
            { number: 2, file: 0, frame: 22500, line: 22 },
          ],
          lines: { TRACK: 13, TITLE: 14, PERFORMER: 15, SONGWRITER: 16, FLAGS: 17, ISRC: 18, PREGAP: 19, POSTGAP: 23 },
        }),
        track({ number: 3, flags: { ...noFlags, scms: true, fourChannel: true }, indexes: [{ number: 1, file: 0, frame: 36000, line: 26 }], lines: { TRACK: 24, FLAGS: 25 } }),
      ],
    });
  });

  it('reads one FILE per track, with INDEX 00 left in the previous file (EAC "gaps appended")', () => {
    const text = 'FILE "01.wav" WAVE\nTRACK 01 AUDIO\nINDEX 01 00:00:00\nTRACK 02 AUDIO\nINDEX 00 04:10:20\nFILE "02.wav" WAVE\nINDEX 01 00:00:00\n';
    const { sheet, problems } = parseCue(text, 'a.cue');
    expect(problems).toEqual([]);
    expect(sheet.files).toEqual([
      { name: '01.wav', type: 'WAVE', line: 1 },
      { name: '02.wav', type: 'WAVE', line: 6 },
    ]);
    expect(sheet.tracks[1]!.indexes).toEqual([
      { number: 0, file: 0, frame: 18770, line: 5 },
      { number: 1, file: 1, frame: 0, line: 7 },
    ]);
  });

  it('takes bare words without quotes, any case of command, CRLF and CR line ends, tabs, a BOM', () => {
    const text = '\uFEFFfile album.wav wave\r\n\ttrack 1 audio\r\n\t\ttitle Dawn\r\n\t\tflags dcp\r\t\tindex 1 0:02:00\r\n';
    const { sheet, problems } = parseCue(text, 'a.cue');
    expect(problems).toEqual([]);
    expect(sheet.files).toEqual([{ name: 'album.wav', type: 'WAVE', line: 1 }]);
    expect(sheet.tracks).toEqual([
      { number: 1, mode: 'AUDIO', text: { title: 'Dawn' }, flags: { ...noFlags, dcp: true }, indexes: [{ number: 1, file: 0, frame: 150, line: 5 }], lines: { TRACK: 2, TITLE: 3, FLAGS: 4 } },
    ]);
  });

  it('keeps quoted text as written, including an empty string', () => {
    const { sheet } = parseCue('TITLE ""\nPERFORMER "  Two  Blanks "\nFILE "a b.wav" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\n', 'a.cue');
    expect(sheet.text).toEqual({ title: '', performer: '  Two  Blanks ' });
    expect(sheet.files[0]).toEqual({ name: 'a b.wav', type: 'BINARY', line: 3 });
  });

  it('reads unquoted text with blanks as the rest of the line, with a warning', () => {
    const { sheet, problems } = parseCue('FILE a.wav WAVE\nTRACK 01 AUDIO\nTITLE Dawn  Chorus \nINDEX 01 00:00:00\n', 'album.cue');
    expect(sheet.tracks[0]!.text.title).toBe('Dawn  Chorus');
    expect(problems.map(formatProblem)).toEqual(['album.cue:3:1: warning: TITLE text with blanks should be in quotes; read as "Dawn  Chorus"']);
  });

  it('reads every FILE type and data track mode', () => {
    const text = ['BINARY', 'MOTOROLA', 'WAVE', 'MP3', 'AIFF'].map((t, i) => `FILE f${i} ${t}\nTRACK 0${i + 1} ${i === 0 ? 'MODE1/2352' : 'AUDIO'}\nINDEX 01 00:00:00`).join('\n');
    const { sheet, problems } = parseCue(text, 'a.cue');
    expect(problems).toEqual([]);
    expect(sheet.files.map((f) => f.type)).toEqual(['BINARY', 'MOTOROLA', 'WAVE', 'MP3', 'AIFF']);
    expect(sheet.tracks.map((t) => t.mode)).toEqual(['MODE1/2352', 'AUDIO', 'AUDIO', 'AUDIO', 'AUDIO']);
  });
});

describe('parseCue problems name the line', () => {
  const head = 'FILE "a.wav" WAVE\nTRACK 01 AUDIO\nINDEX 01 00:00:00\n';

  it('INDEX going backwards, or at the same time, inside one FILE', () => {
    expect(printed(`${head}TRACK 02 AUDIO\nINDEX 01 00:00:00\n`)).toEqual([
      'album.cue:5:1: INDEX 01 at 00:00:00 is at the same time as the INDEX at 00:00:00 on line 3; times in a FILE must increase',
      'album.cue:4:1: TRACK 02 has no INDEX 01',
    ]);
    expect(printed('FILE a.wav WAVE\nTRACK 01 AUDIO\n  INDEX 01 00:10:00\nTRACK 02 AUDIO\n  INDEX 00 00:09:74\n  INDEX 01 00:20:00\n')).toEqual([
      'album.cue:5:3: INDEX 00 at 00:09:74 goes backwards from the INDEX at 00:10:00 on line 3; times in a FILE must increase',
    ]);
  });

  it('times start again at 00:00:00 in a new FILE', () => {
    expect(printed(`${head}FILE "b.wav" WAVE\nTRACK 02 AUDIO\nINDEX 01 00:00:00\n`)).toEqual([]);
  });

  it('index numbers out of order, and a track without INDEX 01', () => {
    expect(printed('FILE a.wav WAVE\nTRACK 01 AUDIO\nINDEX 02 00:00:00\n')).toEqual([
      'album.cue:3:1: INDEX 02 comes first in TRACK 01; a track starts with INDEX 00 or INDEX 01',
      'album.cue:2:1: TRACK 01 has no INDEX 01',
    ]);
    expect(printed(`${head}INDEX 03 00:10:00\n`)).toEqual(['album.cue:4:1: INDEX 03 follows INDEX 01: index numbers must count up by one']);
    expect(printed('FILE a.wav WAVE\nTRACK 01 AUDIO\nINDEX 01 00:00:00\nINDEX 00 00:10:00\n')).toEqual(['album.cue:4:1: INDEX 00 follows INDEX 01: index numbers must count up by one']);
  });

  it('times out of range', () => {
    expect(printed('FILE a.wav WAVE\nTRACK 01 AUDIO\nINDEX 01 00:00:75\n')).toEqual([
      'album.cue:3:1: time 00:00:75 needs seconds 00-59 and frames 00-74',
      'album.cue:2:1: TRACK 01 has no INDEX 01',
    ]);
    expect(printed(`${head}PREGAP 00:60:00\n`)).toEqual(['album.cue:4:1: time 00:60:00 needs seconds 00-59 and frames 00-74']);
  });

  it('commands in the wrong place', () => {
    expect(printed('TRACK 01 AUDIO\nINDEX 01 00:00:00\n')).toEqual(['album.cue:1:1: TRACK before any FILE: a track needs a FILE to take its audio from']);
    expect(printed(`ISRC GBAYE2600001\nFLAGS DCP\n${head}CATALOG 5012345678900\n`)).toEqual([
      'album.cue:1:1: ISRC outside a track: it belongs after a TRACK line',
      'album.cue:2:1: FLAGS outside a track: it belongs after a TRACK line',
      'album.cue:6:1: CATALOG belongs before the first TRACK',
    ]);
    expect(printed(`${head}FLAGS PRE\n`)).toEqual(["album.cue:4:1: warning: FLAGS should come before the track's INDEX lines"]);
    expect(printed('FILE a.wav WAVE\nTRACK 01 AUDIO\nPOSTGAP 00:02:00\nINDEX 01 00:00:00\nPREGAP 00:02:00\n')).toEqual([
      "album.cue:3:1: warning: POSTGAP should come after the track's INDEX lines; it is still read as silence after the track",
      "album.cue:5:1: warning: PREGAP should come before the track's INDEX lines; it is still read as silence before them",
    ]);
  });

  it('bad values', () => {
    expect(printed(`CATALOG 12345\n${head}`)).toEqual(['album.cue:1:1: CATALOG must be 13 digits, not "12345"']);
    expect(printed('FILE "a.flac" FLAC\n')).toEqual(['album.cue:1:1: FILE type FLAC is not one of BINARY, MOTOROLA, WAVE, MP3, AIFF', 'album.cue:1:1: the cue sheet has no TRACK']);
    expect(printed('FILE a.wav WAVE\nTRACK 01 VIDEO\nINDEX 01 00:00:00\n')).toEqual([
      'album.cue:2:1: TRACK mode VIDEO is not one of AUDIO, CDG, MODE1/2048, MODE1/2352, MODE2/2336, MODE2/2352, CDI/2336, CDI/2352',
    ]);
    expect(printed(`${head}FLAGS DCP COPY\n`)).toEqual([
      "album.cue:4:1: warning: FLAGS should come before the track's INDEX lines",
      'album.cue:4:1: unknown flag COPY: FLAGS takes DCP, 4CH, PRE, SCMS',
    ]);
    expect(printed(`${head}ISRC 000000000000\n`)).toEqual(['album.cue:4:1: warning: ISRC "000000000000" is not 12 characters CCXXXYYNNNNN (2 letters, 3 letters or digits, 7 digits)']);
    expect(printed('FILE a.wav WAVE\nTRACK 01 AUDIO\nFLAGS DCP SCMS\nINDEX 01 00:00:00\n')).toEqual([
      'album.cue:3:1: warning: DCP and SCMS exclude each other (copy permitted, or serial copy management)',
    ]);
  });

  it('track numbers that do not count up by one', () => {
    expect(printed(`${head}TRACK 03 AUDIO\nINDEX 01 01:00:00\n`)).toEqual(['album.cue:4:1: TRACK 03 follows TRACK 01: track numbers must count up by one']);
    expect(printed('FILE a.wav WAVE\nTRACK 00 AUDIO\nINDEX 01 00:00:00\n')).toEqual(['album.cue:2:1: TRACK numbers run from 01 to 99']);
    expect(printed('FILE a.wav WAVE\nTRACK 05 AUDIO\nINDEX 01 00:00:00\n')).toEqual(['album.cue:2:1: warning: the first track is numbered 05; ddpkit numbers tracks from 01']);
  });

  it('malformed statements, unknown commands, duplicates and an empty sheet', () => {
    expect(printed(`${head}TITLE "Dawn\n`)).toEqual(['album.cue:4:1: malformed TITLE line: expected TITLE "<text>"']);
    expect(printed(`${head}INDEX 02 1:00\n`)).toEqual(['album.cue:4:1: malformed INDEX line: expected INDEX <00-99> <MM:SS:FF>']);
    expect(printed(`FILE "a.wav"\n${head}`)).toEqual(['album.cue:1:1: malformed FILE line: expected FILE "<name>" <type>']);
    expect(printed(`${head}  COMPOSER "X"\n`)).toEqual(['album.cue:4:3: warning: unknown command COMPOSER; ignored']);
    expect(printed(`TITLE "A"\nTITLE "B"\n${head}TITLE "C"\nTITLE "D"\n`)).toEqual([
      'album.cue:2:1: warning: TITLE is given twice for the disc; the last one counts',
      'album.cue:7:1: warning: TITLE is given twice for this track; the last one counts',
    ]);
    expect(printed('REM nothing here\n\n')).toEqual(['album.cue:1:1: the cue sheet has no TRACK']);
  });
});
