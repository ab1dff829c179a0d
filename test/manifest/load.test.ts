// Manifest loading: the spec's example, every rule with its exact message and line:column.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { formatProblem } from '../../src/errors.js';
import { loadManifest } from '../../src/manifest/load.js';
import { planDisc } from '../../src/plan.js';
import { wavHeader } from '../../src/audio/wav-writer.js';
import { AlbumDir, sec } from '../helpers/album.js';

let dir: AlbumDir;
beforeEach(() => {
  dir = new AlbumDir();
});
afterEach(() => {
  dir.remove();
});

/** Every problem of a manifest, formatted as the CLI prints them. */
async function problemsOf(text: string): Promise<string[]> {
  const file = dir.manifest(text);
  const r = await planDisc(file);
  return r.problems.map((p) => formatProblem({ ...p, file: p.file === file ? 'album.yaml' : p.file }));
}

describe('the manifest.md example', () => {
  it('validates and lays out as the spec describes', async () => {
    const spec = readFileSync(new URL('../../../shared/spec/manifest.md', import.meta.url), 'utf8');
    const yaml = /```yaml\n([\s\S]*?)```/.exec(spec)![1]!;
    dir.wav('audio/01-dawn.wav', { samples: sec(10) });
    dir.wav('audio/02-noon.wav', { samples: sec(100) }, 2);
    dir.wav('audio/03-dusk.wav', { samples: sec(260) }, 3);
    const file = dir.manifest(yaml);
    const r = await planDisc(file);
    expect(r.problems).toEqual([]);
    const disc = r.disc!;
    // Track 2 crossfades 3 s into track 1's tail: its audio starts at 88200 + 441000 − 132300 = 396900 = frame 675.
    expect(disc.tracks.map((t) => t.indexes)).toEqual([
      [{ number: 0, frame: 0 }, { number: 1, frame: 150 }],
      [{ number: 1, frame: 675 }, { number: 2, frame: 675 + 90 * 75 }],
      // Track 2 ends at 396900 + 4410000 = 4806900 → padded to frame 8175; 2 s gap → index 01 at 8325.
      [{ number: 0, frame: 8175 }, { number: 1, frame: 8325 }],
    ]);
    expect(disc.tracks.map((t) => t.isrc)).toEqual(['GBAYE2600001', 'GBAYE2600002', undefined]);
    expect(disc.upc).toBe('5012345678900');
    expect(disc.masterId).toBe('NL-2026-001');
    // Track 3 uses 0.25 s .. 250.5 s of its source: 11025 .. 11047050, then padded to the frame boundary.
    expect(disc.leadOut).toBe(Math.ceil((8325 * 588 + 11047050 - 11025) / 588));
    expect(disc.cdText?.tracks.map((t) => t.performer)).toEqual(['The Examples', 'The Examples feat. Guest', 'The Examples']);
    expect(disc.cdText?.genre).toEqual({ code: 1, text: 'Electronic' });
    const dusk = disc.spans[2]!;
    expect(dusk.sourceStart).toBe(11025);
    expect(dusk.ramps).toEqual([{ direction: 'out', offset: dusk.length - sec(6), length: sec(6), curve: 's-curve' }]);
    expect(disc.spans[0]!.ramps).toEqual([{ direction: 'out', offset: sec(10) - sec(3), length: sec(3), curve: 'equal-power' }]);
    expect(disc.spans[1]!.ramps).toEqual([{ direction: 'in', offset: 0, length: sec(3), curve: 'equal-power' }]);
  });
});

describe('codes and text', () => {
  it('accepts ISRCs with dashes and lower case, and widens UPC-A to EAN-13', async () => {
    dir.wav('a.wav', { samples: sec(5) });
    const r = await loadManifest(
      dir.manifest(`
        version: 1
        album: { upc: "036000291452", title: "Café Noël, Ærø" }
        tracks:
          - { file: a.wav, isrc: gb-aye-26-00001, title: "Señor Über" }
      `),
    );
    expect(r.problems).toEqual([]);
    expect(r.album!.tracks[0]!.isrc).toBe('GBAYE2600001');
    expect(r.album!.upc).toBe('0036000291452');
  });

  it('refuses a character outside ISO 8859-1 and names it', async () => {
    dir.wav('a.wav', { samples: sec(5) });
    expect(
      await problemsOf(`
        version: 1
        tracks:
          - file: a.wav
            title: "Łódź"
      `),
    ).toEqual(['album.yaml:4:12 track 1 "Łódź": title "Łódź" contains "Ł" (U+0141), which CD-Text cannot encode: only ISO 8859-1 (Latin-1) characters are allowed']);
  });

  it('refuses control characters in CD-Text', async () => {
    dir.wav('a.wav', { samples: sec(5) });
    expect(
      await problemsOf(`
        version: 1
        album: { performer: "A\\tB" }
        tracks: [{ file: a.wav }]
      `),
    ).toEqual(['album.yaml:2:21: performer contains a TAB; CD-Text allows no control characters']);
  });

  it('reports a malformed ISRC once, with the expected form', async () => {
    dir.wav('a.wav', { samples: sec(5) });
    dir.wav('b.wav', { samples: sec(5) });
    expect(
      await problemsOf(`
        version: 1
        tracks:
          - file: a.wav
            title: Dawn
          - file: b.wav
            title: Noon
            isrc: GBAYE260002
      `),
    ).toEqual(['album.yaml:7:11 track 2 "Noon": isrc "GBAYE260002" must be 12 characters: CC XXX YY NNNNN']);
  });

  it('checks the UPC check digit and refuses an unquoted UPC', async () => {
    dir.wav('a.wav', { samples: sec(5) });
    expect(
      await problemsOf(`
        version: 1
        album:
          upc: "5012345678901"
        tracks: [{ file: a.wav }]
      `),
    ).toEqual(['album.yaml:3:8: upc "5012345678901" has check digit 1, but its digits give 0']);
    expect(
      await problemsOf(`
        version: 1
        album:
          upc: 5012345678900
        tracks: [{ file: a.wav }]
      `),
    ).toEqual(['album.yaml:3:8: upc must be a quoted string of 12 or 13 digits (an unquoted number loses leading zeros)']);
  });

  it('refuses a duplicate ISRC, naming the first use', async () => {
    dir.wav('a.wav', { samples: sec(5) });
    expect(
      await problemsOf(`
        version: 1
        tracks:
          - { file: a.wav, isrc: GBAYE2600001 }
          - { file: a.wav, isrc: GB-AYE-26-00001 }
      `),
    ).toEqual(['album.yaml:4:26 track 2: isrc GBAYE2600001 is already used by track 1; every track needs its own ISRC']);
  });

  it('refuses copy_permitted together with scms', async () => {
    dir.wav('a.wav', { samples: sec(5) });
    expect(
      await problemsOf(`
        version: 1
        tracks:
          - { file: a.wav, copy_permitted: true, scms: true }
      `),
    ).toEqual(['album.yaml:3:48 track 1: copy_permitted and scms exclude each other: a track is either free to copy or under SCMS']);
  });
});

describe('schema', () => {
  it('names an unknown key and lists the allowed ones', async () => {
    dir.wav('a.wav', { samples: sec(5) });
    expect(
      await problemsOf(`
        version: 1
        tracks:
          - file: a.wav
            titel: Dawn
      `),
    ).toEqual([
      'album.yaml:4:5 track 1: unknown key "titel" in track; allowed: file, start, end, title, performer, songwriter, composer, arranger, message, isrc, gap, pregap, pq_offset, crossfade, fade_in, fade_out, indexes, copy_permitted, pre_emphasis, scms',
    ]);
  });

  it('reports every error, not only the first', async () => {
    expect(
      await problemsOf(`
        version: 2
        album: { title: 5, language: english }
        tracks:
          - gap: 1.5f
      `),
    ).toEqual([
      'album.yaml:1:10: version must be 1 (this is manifest format 1), not 2',
      'album.yaml:2:17: title must be a string, not number 5',
      'album.yaml:2:30: language "english" must be a two-letter CD-Text language code such as en, de, fr',
      'album.yaml:4:5 track 1: track needs "file"',
      'album.yaml:4:10 track 1: gap "1.5f" must be a time like 2s, 0.25s, 150f, 88200smp, "4:10:37" (MM:SS:FF) or "4:10.500" (MM:SS.sss)',
    ]);
  });

  it('requires version and tracks', async () => {
    expect(await problemsOf('album: { title: X }\n')).toEqual(['album.yaml:1:1: "version" is required', 'album.yaml:1:1: "tracks" is required']);
  });
});

describe('sources', () => {
  it('names a missing file', async () => {
    expect(await problemsOf('version: 1\ntracks:\n  - file: nope.wav\n')).toEqual(['album.yaml:3:11 track 1: nope.wav: file not found']);
  });

  it('refuses another sample rate', async () => {
    dir.wav('a.wav', { samples: 48000 * 5, sampleRate: 48000 });
    expect(await problemsOf('version: 1\ntracks:\n  - file: a.wav\n')).toEqual([
      'album.yaml:3:11 track 1: "a.wav" is 48000 Hz; CD audio must be 44100 Hz (resample it before mastering the disc)',
    ]);
  });

  it('refuses a truncated header, a file that is not WAV, and unsupported encodings', async () => {
    dir.wav('t.wav', Buffer.from('RIFF\x10\x00\x00\x00WAVEfmt ', 'latin1'));
    dir.wav('x.wav', Buffer.from('ID3 this is an mp3'));
    const adpcm = wavHeader(sec(5) * 4);
    adpcm.writeUInt16LE(2, 20); // format tag 2: Microsoft ADPCM
    dir.wav('adpcm.wav', Buffer.concat([adpcm, Buffer.alloc(sec(5) * 4)]));
    dir.wav('three.wav', Buffer.concat([wavHeader(sec(5) * 6, { channels: 3 }), Buffer.alloc(sec(5) * 6)]));
    expect(await problemsOf('version: 1\ntracks:\n  - file: t.wav\n  - file: x.wav\n  - file: adpcm.wav\n  - file: three.wav\n')).toEqual([
      'album.yaml:3:11 track 1: t.wav: truncated or corrupt WAV header (the file ends inside a chunk header)',
      'album.yaml:4:11 track 2: x.wav: not a WAV file (no RIFF/WAVE header)',
      'album.yaml:5:11 track 3: adpcm.wav: unsupported WAV encoding: format tag 0x0002 (Microsoft ADPCM); supported are PCM (0x0001), IEEE float (0x0003) and WAVE_FORMAT_EXTENSIBLE (0xFFFE) carrying one of them',
      'album.yaml:6:11 track 4: three.wav: unsupported channel count: 3 channels; only mono and stereo sources are supported',
    ]);
  });

  it('refuses start and end outside the file', async () => {
    dir.wav('a.wav', { samples: sec(10) });
    expect(
      await problemsOf(`
        version: 1
        tracks:
          - { file: a.wav, start: 11s }
          - { file: a.wav, end: "0:10.500" }
          - { file: a.wav, start: 6s, end: 5s }
      `),
    ).toEqual([
      'album.yaml:3:27 track 1: start 0:11.000 is past the end of "a.wav" (0:10.000 long)',
      'album.yaml:4:25 track 2: end 0:10.500 is past the end of "a.wav" (0:10.000 long)',
      'album.yaml:5:36 track 3: end 0:05.000 must be after start 0:06.000: the range of "a.wav" is empty',
    ]);
  });
});

describe('CD-Text size', () => {
  it('refuses text that needs more than 256 packs when validating, naming where it runs over', async () => {
    dir.wav('a.wav', { samples: sec(4) });
    const long = 'x'.repeat(160);
    const tracks = Array.from({ length: 20 }, () => `  - { file: a.wav, title: ${long}, performer: ${long} }\n`).join('');
    const problems = await problemsOf(`version: 1\ntracks:\n${tracks}`);
    // Titles: 1 + 20 × 161 bytes = 269 packs, so the 253rd text pack lies in track 19's title.
    expect(problems).toEqual(['album.yaml: CD-Text needs 541 packs, 285 more than the 256 one block can hold (3 of them size information): it runs over in the title of track 19']);
  });
});
