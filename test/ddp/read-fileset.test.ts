import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeCdText } from '../../src/cdtext/encode.js';
import { writeDdpid } from '../../src/ddp/ddpid.js';
import { writeDdpms } from '../../src/ddp/ddpms.js';
import { readFileset } from '../../src/ddp/read-fileset.js';
import { writePqdescr } from '../../src/ddp/pqdescr.js';
import type { CdText, Disc } from '../../src/disc/model.js';
import { DdpkitError, type Finding } from '../../src/errors.js';
import { BYTES_PER_FRAME } from '../../src/time.js';
import { HAND_DDPID, HAND_DDPMS, HAND_PQ, b, handDisc, msPacket, removeDir, tempDir, writeFiles } from './fixture.js';

const IMAGE_BYTES = 1600 * BYTES_PER_FRAME;
const codes = (findings: Finding[]): string[] => findings.map((f) => f.code);
const setAt = (s: string, off: number, text: string): string => s.slice(0, off) + text + s.slice(off + text.length);

let dir: string;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await removeDir(dir);
});

/** Our fileset of the hand disc without CD-Text, as hand-written bytes. */
function handFiles(): Record<string, string | number | Buffer> {
  return { DDPID: HAND_DDPID, DDPMS: HAND_DDPMS.slice(1).join(''), PQDESCR: HAND_PQ.join(''), 'IMAGE.DAT': IMAGE_BYTES };
}

const cdText: CdText = {
  language: 'en',
  disc: { title: 'Northern Lights', performer: 'The Examples' },
  tracks: [
    { title: 'Dawn', performer: 'The Examples' },
    { title: 'Noon', performer: 'The Examples feat. Guest' },
    { title: 'Dusk', performer: 'The Examples' },
  ],
};

describe('write → read → same Disc', () => {
  it('reads back the hand disc with CD-Text from the writers', async () => {
    const disc: Disc = { ...handDisc(), cdText };
    const pq = writePqdescr(disc);
    const text = encodeCdText(cdText);
    await writeFiles(dir, {
      DDPID: writeDdpid(disc),
      DDPMS: writeDdpms({ imageFrames: disc.leadOut, pregapFrames: 150, pqBytes: pq.length, cdTextBytes: text.length }),
      PQDESCR: pq,
      'CDTEXT.BIN': text,
      'IMAGE.DAT': disc.leadOut * BYTES_PER_FRAME,
      'CHECKSUM.MD5': 'x',
    });
    const r = await readFileset(dir);
    expect(r.findings).toEqual([]);
    expect(r.disc).toEqual(disc);
    expect(r.files).toEqual({
      ddpid: { name: 'DDPID', path: join(dir, 'DDPID'), size: 128 },
      ddpms: { name: 'DDPMS', path: join(dir, 'DDPMS'), size: 384 },
      image: { name: 'IMAGE.DAT', path: join(dir, 'IMAGE.DAT'), size: IMAGE_BYTES, offset: 0, frames: 1600 },
      pq: { name: 'PQDESCR', path: join(dir, 'PQDESCR'), size: 576, offset: 0, length: 576 },
      cdtext: { name: 'CDTEXT.BIN', path: join(dir, 'CDTEXT.BIN'), size: text.length, offset: 0, length: text.length },
      others: [{ name: 'CHECKSUM.MD5', path: join(dir, 'CHECKSUM.MD5'), size: 1 }],
    });
  });

  it('reads back a disc without UPC, master ID or CD-Text', async () => {
    const disc: Disc = { ...handDisc(), upc: undefined, masterId: undefined };
    const pq = writePqdescr(disc);
    await writeFiles(dir, {
      DDPID: writeDdpid(disc),
      DDPMS: writeDdpms({ imageFrames: disc.leadOut, pregapFrames: 150, pqBytes: pq.length }),
      PQDESCR: pq,
      'IMAGE.DAT': disc.leadOut * BYTES_PER_FRAME,
    });
    const r = await readFileset(dir);
    expect(r.findings).toEqual([]);
    expect(r.disc).toEqual(disc);
    expect(r.files.cdtext).toBeUndefined();
  });
});

describe('reader variants (formats.md)', () => {
  it('reads the hand-written fileset', async () => {
    await writeFiles(dir, handFiles());
    const r = await readFileset(dir);
    expect(r.findings).toEqual([]);
    expect(r.disc).toEqual(handDisc());
  });

  it('lower-case file names, zero-padded numbers, DSS 00000000, SCR 1', async () => {
    const ddpms =
      msPacket({ dst: 'S0', dsl: '00000576', dss: '00000000', sub: 'PQ DESCR', dsi: 'PQDESCR' }) +
      msPacket({ dst: 'D0', dsl: '00001600', dss: '00000000', cdm: 'DA', ssm: '7', scr: '1', pre2: '0150', dsi: 'IMAGE.DAT' });
    await writeFiles(dir, { ddpid: HAND_DDPID, ddpms, pqdescr: HAND_PQ.join(''), 'image.dat': IMAGE_BYTES });
    const r = await readFileset(dir);
    expect(r.findings).toEqual([]);
    expect(r.disc).toEqual(handDisc());
    expect(r.files.image?.name).toBe('image.dat');
    expect(r.files.pq?.name).toBe('pqdescr');
  });

  it('one lead-out packet, ISRC on a 02 packet only, UPC only in DDPID, DDP 1.01', async () => {
    const pq = [...HAND_PQ.slice(0, 8)];
    pq[0] = setAt(pq[0]!, 32, b(13));
    pq[3] = setAt(pq[3]!, 20, b(12));
    pq[4] = setAt(pq[4]!, 20, 'GBAYE2600002');
    const ddpms = HAND_DDPMS.slice(1).join('').replace('     576', '     512');
    await writeFiles(dir, { DDPID: setAt(HAND_DDPID, 0, 'DDP 1.01'), DDPMS: ddpms, PQDESCR: pq.join(''), 'IMAGE.DAT': IMAGE_BYTES });
    const r = await readFileset(dir);
    expect(r.findings).toEqual([]);
    expect(r.disc).toEqual(handDisc());
  });

  it('a PQ file under another name and OFS offsets into the files', async () => {
    const ddpms =
      msPacket({ dst: 'S0', dsl: '     576', sub: 'PQ DESCR', dsi: 'SUBCODE.PQ', ofs: '       10' }) +
      msPacket({ dst: 'D0', dsl: '    1600', cdm: 'DA', ssm: '7', scr: '0', pre2: ' 150', dsi: 'AUDIO.BIN', ofs: '      512' });
    await writeFiles(dir, {
      DDPID: HAND_DDPID,
      DDPMS: ddpms,
      'SUBCODE.PQ': 'HEADER....' + HAND_PQ.join(''),
      'AUDIO.BIN': 512 + IMAGE_BYTES,
    });
    const r = await readFileset(dir);
    expect(r.findings).toEqual([]);
    expect(r.disc).toEqual(handDisc());
    expect(r.files.image).toMatchObject({ name: 'AUDIO.BIN', offset: 512, frames: 1600, size: 512 + IMAGE_BYTES });
    expect(r.files.pq).toMatchObject({ name: 'SUBCODE.PQ', offset: 10, length: 576 });
  });

  it('lists every other file, ignores folders', async () => {
    await writeFiles(dir, { ...handFiles(), 'checksum.md5': 'x', 'notes.txt': 'y' });
    await mkdir(join(dir, 'sub'));
    const r = await readFileset(dir);
    expect(r.files.others.map((f) => f.name)).toEqual(['checksum.md5', 'notes.txt']);
  });
});

describe('bad filesets', () => {
  it('refuses a folder that is not a fileset, a file, a missing path', async () => {
    await writeFiles(dir, { 'song.wav': 'RIFF' });
    await expect(readFileset(dir)).rejects.toThrow(/is not a DDP fileset: it has no DDPMS file and no DDPID file/);
    await expect(readFileset(join(dir, 'song.wav'))).rejects.toThrow(/is not a folder/);
    const missing = readFileset(join(dir, 'nothing'));
    await expect(missing).rejects.toBeInstanceOf(DdpkitError);
    await expect(missing).rejects.toMatchObject({ code: 'ddp', message: expect.stringMatching(/ENOENT/) as unknown });
  });

  it('reports empty DDPID and DDPMS', async () => {
    await writeFiles(dir, { ...handFiles(), DDPID: '', DDPMS: '' });
    const r = await readFileset(dir);
    expect(r.disc).toBeUndefined();
    expect(codes(r.findings)).toEqual(['ddpid-size', 'ddpid-level', 'ddpms-size', 'ddpms-image', 'ddpms-pq']);
  });

  it('reports a missing DDPID and still reads the disc', async () => {
    const files = handFiles();
    delete files.DDPID;
    await writeFiles(dir, files);
    const r = await readFileset(dir);
    expect(codes(r.findings)).toEqual(['ddpid-missing']);
    expect(r.disc).toEqual({ ...handDisc(), masterId: undefined });
  });

  it('reports a missing IMAGE.DAT and a missing PQ file', async () => {
    const files = handFiles();
    delete files['IMAGE.DAT'];
    await writeFiles(dir, files);
    let r = await readFileset(dir);
    expect(r.findings).toMatchObject([{ severity: 'error', code: 'fileset-missing', file: 'IMAGE.DAT' }]);
    expect(r.files.image).toBeUndefined();
    expect(r.disc).toEqual(handDisc());

    await removeDir(join(dir, 'PQDESCR'));
    r = await readFileset(dir);
    expect(codes(r.findings)).toEqual(['fileset-missing', 'fileset-missing']);
    expect(r.disc).toBeUndefined();
  });

  it('reports a truncated image and an image of a different length than the PQ lead-out', async () => {
    await writeFiles(dir, { ...handFiles(), 'IMAGE.DAT': IMAGE_BYTES - 1000 });
    expect((await readFileset(dir)).findings).toMatchObject([{ severity: 'error', code: 'image-size', file: 'IMAGE.DAT' }]);
    await writeFiles(dir, {
      DDPMS: HAND_DDPMS.slice(1).join('').replace('    1600', '    1700'),
      'IMAGE.DAT': 1700 * BYTES_PER_FRAME,
    });
    expect(codes((await readFileset(dir)).findings)).toEqual(['pq-lead-out']);
  });

  it('does not trust absurd lengths: DSL 99999999 for the image and the PQ stream', async () => {
    await writeFiles(dir, {
      ...handFiles(),
      DDPMS:
        msPacket({ dst: 'S0', dsl: '99999999', sub: 'PQ DESCR', dsi: 'PQDESCR' }) +
        msPacket({ dst: 'D0', dsl: '99999999', cdm: 'DA', ssm: '7', scr: '0', pre2: ' 150', dsi: 'IMAGE.DAT' }),
    });
    const r = await readFileset(dir);
    expect(codes(r.findings)).toEqual(['ddpms-dsl', 'stream-size']);
    expect(r.files.image?.frames).toBe(1600);
    expect(r.disc).toEqual(handDisc());
  });

  it('does not read an oversized PQ stream', async () => {
    await writeFiles(dir, { ...handFiles(), PQDESCR: 64 * 1024 * 1024, DDPMS: HAND_DDPMS.slice(1).join('').replace('     576', '67108864') });
    const r = await readFileset(dir);
    expect(r.findings).toMatchObject([{ code: 'stream-size', message: expect.stringMatching(/not read/) as unknown }]);
    expect(r.disc).toBeUndefined();
  });

  it('reports a truncated PQ file', async () => {
    await writeFiles(dir, { ...handFiles(), PQDESCR: HAND_PQ.join('').slice(0, 550) });
    const r = await readFileset(dir);
    expect(codes(r.findings)).toEqual(['stream-size', 'pq-size']);
    expect(r.disc?.leadOut).toBe(1600);
  });

  it('refuses no D0 DA stream or two', async () => {
    const pqPacket = HAND_DDPMS[1]!;
    const d0 = HAND_DDPMS[2]!;
    await writeFiles(dir, { ...handFiles(), DDPMS: pqPacket });
    let r = await readFileset(dir);
    expect(codes(r.findings)).toEqual(['ddpms-image']);
    expect(r.disc).toBeUndefined();
    await writeFiles(dir, { ...handFiles(), DDPMS: pqPacket + d0 + d0 });
    r = await readFileset(dir);
    expect(r.findings).toMatchObject([{ code: 'ddpms-image', packet: 2, message: 'DDPMS names 2 D0 DA streams; a CD has one' }]);
    expect(r.disc).toBeUndefined();
  });

  it('reports PRE2 and UPC disagreements', async () => {
    await writeFiles(dir, {
      ...handFiles(),
      DDPID: setAt(HAND_DDPID, 8, '0036000291452'),
      DDPMS: HAND_DDPMS[1]! + HAND_DDPMS[2]!.replace(' 150', ' 160'),
    });
    const r = await readFileset(dir);
    expect(codes(r.findings)).toEqual(['ddpms-pre2', 'upc-conflict']);
    expect(r.disc?.upc).toBe('5012345678900');
  });

  it('picks the exact-case name when two differ only in case', async () => {
    await writeFiles(dir, { ...handFiles(), ddpid: 'junk' });
    const r = await readFileset(dir);
    if (r.files.ddpid?.name === 'DDPID' && r.files.others.some((f) => f.name === 'ddpid')) {
      expect(codes(r.findings)).toEqual(['fileset-ambiguous']);
    } else {
      // A case-insensitive file system: one file, written twice.
      expect(r.files.ddpid).toBeDefined();
    }
  });

  it('survives random bytes in every file', async () => {
    let seed = 1;
    const junk = (n: number): Buffer => {
      const out = Buffer.alloc(n);
      for (let i = 0; i < n; i++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        out[i] = seed >> 16;
      }
      return out;
    };
    for (let round = 0; round < 20; round++) {
      await writeFiles(dir, { DDPID: junk(128), DDPMS: junk(384), PQDESCR: junk(576), 'IMAGE.DAT': junk(100) });
      const r = await readFileset(dir);
      expect(r.findings.length).toBeGreaterThan(0);
    }
    await writeFile(join(dir, 'DDPMS'), HAND_DDPMS.slice(1).join(''));
    await expect(readFileset(dir)).resolves.toBeDefined();
  });
});
