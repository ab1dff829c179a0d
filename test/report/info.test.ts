// `info`: build a fileset from a manifest, read it back, and the listing shows what the manifest said.
import { cpSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/build.js';
import { readFileset } from '../../src/ddp/read-fileset.js';
import { infoOf, infoText, type FilesetInfo } from '../../src/report/info.js';
import { AlbumDir, sec } from '../helpers/album.js';

const MESSAGE = "Enregistré en une seule prise au Studio Davout, Paris, pendant l'été 2025, sans montage ni overdub.";
const LONG_TITLE = 'A Very Long Title That Goes On And On Past The Table Column';

/** The same disc as test/ddp/extract.test.ts (frames 0/150, 526/601/751, 1051, 1426, lead-out 1764), with every CD-Text field. */
const MANIFEST = `
  version: 1
  album:
    title: Café Nuit
    performer: Les Éléphants
    songwriter: Zoë Ångström
    composer: Hélène Dupré
    arranger: Ørjan Nilsen
    message: Live
    disc_id: CAT-0042
    genre: Jazz Manouche
    genre_code: 14
    language: fr
    upc: "5012345678900"
    master_id: CN-2026-001
  tracks:
    - { file: a.wav, title: Première, composer: Hélène Dupré, isrc: FRABC2600001, copy_permitted: true }
    - file: b.wav
      title: 'AC/DC: "Live"?'
      performer: Les Éléphants & Zoë
      isrc: FR-ABC-26-00002
      gap: 1s
      indexes: ["0:02:00"]
    - { file: c.wav, title: Señor Naïve, gap: 0, pre_emphasis: true, message: "${MESSAGE}" }
    - { file: d.wav, title: ${LONG_TITLE}, gap: 0, scms: true }
`;

let album: AlbumDir;
let fileset: string;
beforeAll(async () => {
  album = new AlbumDir();
  [sec(5) + 100, sec(6), sec(5) + 3, sec(4.5)].forEach((samples, i) => album.wav(`${'abcd'[i]!}.wav`, { samples }, i + 1));
  fileset = album.path('FILESET');
  await build(album.manifest(MANIFEST), fileset);
});
afterAll(() => {
  album.remove();
});

const size = (name: string, dir = fileset): number => statSync(path.join(dir, name)).size;
/** A file size as the listing shows it: thousands separated, right-aligned to IMAGE.DAT's 9 characters. */
const n = (name: string, dir = fileset): string => size(name, dir).toLocaleString('en-US').padStart(9);
const empty = { songwriter: '', composer: '', arranger: '', message: '' };

describe('infoOf', () => {
  it('lists what the manifest said, as plain JSON values', async () => {
    const info = infoOf(await readFileset(fileset));
    const expected: FilesetInfo = {
      level: 'DDP 2.00',
      upc: '5012345678900',
      masterId: 'CN-2026-001',
      trackCount: 4,
      leadOutFrame: 1764,
      totalLength: '00:23:39',
      tracks: [
        {
          number: 1,
          startFrame: 150,
          start: '00:02:00',
          lengthFrames: 451,
          length: '00:06:01',
          pregapFrames: 150,
          pregap: '00:02:00',
          indexes: [
            { number: 0, frame: 0, time: '00:00:00' },
            { number: 1, frame: 150, time: '00:02:00' },
          ],
          isrc: 'FRABC2600001',
          flags: 'DCP',
          text: { ...empty, title: 'Première', performer: 'Les Éléphants', composer: 'Hélène Dupré' },
        },
        {
          number: 2,
          startFrame: 601,
          start: '00:08:01',
          lengthFrames: 450,
          length: '00:06:00',
          pregapFrames: 75,
          pregap: '00:01:00',
          indexes: [
            { number: 0, frame: 526, time: '00:07:01' },
            { number: 1, frame: 601, time: '00:08:01' },
            { number: 2, frame: 751, time: '00:10:01' },
          ],
          isrc: 'FRABC2600002',
          flags: '-',
          text: { ...empty, title: 'AC/DC: "Live"?', performer: 'Les Éléphants & Zoë' },
        },
        {
          number: 3,
          startFrame: 1051,
          start: '00:14:01',
          lengthFrames: 375,
          length: '00:05:00',
          pregapFrames: null,
          pregap: null,
          indexes: [{ number: 1, frame: 1051, time: '00:14:01' }],
          isrc: null,
          flags: 'PRE',
          text: { ...empty, title: 'Señor Naïve', performer: 'Les Éléphants', message: MESSAGE },
        },
        {
          number: 4,
          startFrame: 1426,
          start: '00:19:01',
          lengthFrames: 338,
          length: '00:04:38',
          pregapFrames: null,
          pregap: null,
          indexes: [{ number: 1, frame: 1426, time: '00:19:01' }],
          isrc: null,
          flags: 'SCMS',
          text: { ...empty, title: LONG_TITLE, performer: 'Les Éléphants' },
        },
      ],
      cdText: {
        language: 'fr',
        disc: {
          title: 'Café Nuit',
          performer: 'Les Éléphants',
          songwriter: 'Zoë Ångström',
          composer: 'Hélène Dupré',
          arranger: 'Ørjan Nilsen',
          message: 'Live',
        },
        discId: 'CAT-0042',
        genre: { code: 14, text: 'Jazz Manouche' },
      },
      files: [
        { name: 'DDPID', size: 128, role: 'identifier' },
        { name: 'DDPMS', size: 384, role: 'map' },
        { name: 'CDTEXT.BIN', size: size('CDTEXT.BIN'), role: 'cd-text' },
        { name: 'PQDESCR', size: 640, role: 'pq' },
        { name: 'IMAGE.DAT', size: 1764 * 2352, role: 'image' },
        { name: 'CHECKSUM.MD5', size: size('CHECKSUM.MD5'), role: 'other' },
        { name: 'CHECKSUM.TXT', size: size('CHECKSUM.TXT'), role: 'other' },
      ],
      findings: { errors: 0, warnings: 0, notes: 0 },
    };
    expect(info).toEqual(expected);
    // JSON-friendly: nothing is lost or changed by a round trip (no undefined, Map, Buffer or class).
    expect(JSON.parse(JSON.stringify(info))).toStrictEqual(info);
  });
});

describe('infoText', () => {
  it('lays out the header, the table with every index, CD-Text and files within 100 columns', async () => {
    const text = infoText(infoOf(await readFileset(fileset)));
    expect(text).toBe(
      [
        'DDP level     DDP 2.00',
        'UPC/EAN       5012345678900',
        'Master ID     CN-2026-001',
        'Tracks        4',
        'Total length  00:23:39 (1764 frames)',
        'Findings      none',
        '',
        'TRACK  INDEX  START     LENGTH    PREGAP    ISRC          FLAGS     TITLE',
        '01     00     00:00:00',
        '01     01     00:02:00  00:06:01  00:02:00  FRABC2600001  DCP       Première',
        '02     00     00:07:01',
        '02     01     00:08:01  00:06:00  00:01:00  FRABC2600002  -         AC/DC: "Live"?',
        '02     02     00:10:01',
        '03     01     00:14:01  00:05:00  none      -             PRE       Señor Naïve',
        '04     01     00:19:01  00:04:38  none      -             SCMS      A Very Long Title That Goes On…',
        'LEAD-OUT      00:23:39',
        '',
        'CD-Text (language fr)',
        '  Disc      title       Café Nuit',
        '            performer   Les Éléphants',
        '            songwriter  Zoë Ångström',
        '            composer    Hélène Dupré',
        '            arranger    Ørjan Nilsen',
        '            message     Live',
        '            disc ID     CAT-0042',
        '            genre       Jazz Manouche (code 14)',
        '  Track 01  title       Première',
        '            performer   Les Éléphants',
        '            composer    Hélène Dupré',
        '  Track 02  title       AC/DC: "Live"?',
        '            performer   Les Éléphants & Zoë',
        '  Track 03  title       Señor Naïve',
        '            performer   Les Éléphants',
        "            message     Enregistré en une seule prise au Studio Davout, Paris, pendant l'été 2025,",
        '                        sans montage ni overdub.',
        `  Track 04  title       ${LONG_TITLE}`,
        '            performer   Les Éléphants',
        '',
        'Files',
        '  DDPID               128 bytes  DDP identifier',
        '  DDPMS               384 bytes  DDP map stream',
        `  CDTEXT.BIN    ${n('CDTEXT.BIN')} bytes  CD-Text`,
        '  PQDESCR             640 bytes  PQ description',
        '  IMAGE.DAT     4,148,928 bytes  audio image',
        `  CHECKSUM.MD5  ${n('CHECKSUM.MD5')} bytes`,
        `  CHECKSUM.TXT  ${n('CHECKSUM.TXT')} bytes`,
        '',
      ].join('\n'),
    );
    expect(Math.max(...text.split('\n').map((l) => l.length))).toBeLessThanOrEqual(100);
  });

  it('says so when the track layout cannot be read, and counts the findings', async () => {
    const broken = album.path('NO-PQ');
    cpSync(fileset, broken, { recursive: true });
    rmSync(path.join(broken, 'PQDESCR'));
    const read = await readFileset(broken);
    const info = infoOf(read);
    expect(info).toMatchObject({ trackCount: 0, leadOutFrame: null, totalLength: null, tracks: [], findings: { errors: 1, warnings: 0, notes: 0 } });
    // readFileset attaches CD-Text to the disc, so without a disc there is none to show; the files still are.
    expect(infoText(info)).toBe(
      [
        'DDP level     DDP 2.00',
        'UPC/EAN       5012345678900',
        'Master ID     CN-2026-001',
        'Tracks        0',
        'Total length  unknown',
        'Findings      1 error (ddpkit verify lists them)',
        '',
        'No track list: the PQ description could not be read (ddpkit verify says why).',
        '',
        'Files',
        '  DDPID               128 bytes  DDP identifier',
        '  DDPMS               384 bytes  DDP map stream',
        `  CDTEXT.BIN    ${n('CDTEXT.BIN', broken)} bytes  CD-Text`,
        '  IMAGE.DAT     4,148,928 bytes  audio image',
        `  CHECKSUM.MD5  ${n('CHECKSUM.MD5', broken)} bytes`,
        `  CHECKSUM.TXT  ${n('CHECKSUM.TXT', broken)} bytes`,
        '',
      ].join('\n'),
    );
  });
});
