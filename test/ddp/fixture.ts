// A small hand-worked disc and helpers to lay DDP filesets out in temporary folders.
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Disc } from '../../src/disc/model.js';

/**
 * Three tracks: track 1 index 00 at 0, 01 at 150 (00:02:00), copy permitted; track 2 gapless (no
 * index 00) at 525 (00:07:00) with index 02 at 700 (00:09:25), pre-emphasis; track 3 with a pregap,
 * index 00 at 1000 (00:13:25) and 01 at 1150 (00:15:25), SCMS; lead-out at 1600 (00:21:25).
 */
export function handDisc(): Disc {
  return {
    tracks: [
      {
        number: 1,
        indexes: [
          { number: 0, frame: 0 },
          { number: 1, frame: 150 },
        ],
        isrc: 'GBAYE2600001',
        flags: { copyPermitted: true, preEmphasis: false, scms: false },
      },
      {
        number: 2,
        indexes: [
          { number: 1, frame: 525 },
          { number: 2, frame: 700 },
        ],
        isrc: 'GBAYE2600002',
        flags: { copyPermitted: false, preEmphasis: true, scms: false },
      },
      {
        number: 3,
        indexes: [
          { number: 0, frame: 1000 },
          { number: 1, frame: 1150 },
        ],
        isrc: 'GBAYE2600003',
        flags: { copyPermitted: false, preEmphasis: false, scms: true },
      },
    ],
    leadOut: 1600,
    upc: '5012345678900',
    masterId: 'NL-2026-001',
    spans: [],
  };
}

/** `n` blanks, for writing fixed-width records by hand. */
export function b(n: number): string {
  return ' '.repeat(n);
}

/** The hand-written PQDESCR packets of {@link handDisc} (formats.md, PQDESCR), 64 characters each. */
export const HAND_PQ = [
  // SPV  TRK IDX hours MMSSFF CB1 CB2 ISRC           UPC              text
  `VVVS` + `00` + `00` + b(2) + `000000` + `01` + b(2) + b(12) + `5012345678900` + b(19),
  `VVVS` + `01` + `00` + b(2) + `000000` + `21` + b(2) + `GBAYE2600001` + b(13) + b(19),
  `VVVS` + `01` + `01` + b(2) + `000200` + `21` + b(2) + `GBAYE2600001` + b(13) + b(19),
  `VVVS` + `02` + `01` + b(2) + `000700` + `11` + b(2) + `GBAYE2600002` + b(13) + b(19),
  `VVVS` + `02` + `02` + b(2) + `000925` + `11` + b(2) + b(12) + b(13) + b(19),
  `VVVS` + `03` + `00` + b(2) + `001325` + `0S` + b(2) + `GBAYE2600003` + b(13) + b(19),
  `VVVS` + `03` + `01` + b(2) + `001525` + `0S` + b(2) + `GBAYE2600003` + b(13) + b(19),
  `VVVS` + `AA` + `01` + b(2) + `002125` + `01` + b(2) + b(12) + b(13) + b(19),
  `VVVS` + `AA` + `01` + b(2) + `002125` + `01` + b(2) + b(12) + b(13) + b(19),
];

/** The hand-written DDPID of {@link handDisc} (formats.md, DDPID). */
export const HAND_DDPID =
  // level      UPC               MSS    MSL    med   master ID               book  type  sides  utl   user text
  `DDP 2.00` + `5012345678900` + b(8) + b(8) + b(1) + `NL-2026-001` + b(37) + b(1) + `CD` + b(4) + b(2) + b(33);

/** One hand-written DDPMS packet (formats.md, DDPMS): the fields that are not blank. */
export function msPacket(f: {
  dst: string;
  dsl: string;
  dss?: string;
  sub?: string;
  cdm?: string;
  ssm?: string;
  scr?: string;
  pre2?: string;
  trk?: string;
  dsiLength?: string;
  dsi: string;
  ofs?: string;
}): string {
  const packet =
    'VVVM' + // MPV 0
    f.dst + // DST 4
    b(8) + // DSP 6
    f.dsl + // DSL 14 (8)
    (f.dss ?? b(8)) + // DSS 22
    (f.sub ?? b(8)) + // SUB 30
    (f.cdm ?? b(2)) + // CDM 38
    (f.ssm ?? b(1)) + // SSM 40
    (f.scr ?? b(1)) + // SCR 41
    b(4) + // PRE1 42
    (f.pre2 ?? b(4)) + // PRE2 46
    b(4) + // PST 50
    b(1) + // MED 54
    (f.trk ?? b(2)) + // TRK 55
    b(2) + // IDX 57
    b(12) + // ISRC 59
    (f.dsiLength ?? ' 17') + // DSI length 71
    f.dsi.padEnd(17) + // DSI 74
    b(13) + // NEW, PRE1NXT, PAUSEADD 91
    (f.ofs ?? b(9)) + // OFS 104
    b(15); // 113..127
  if (packet.length !== 128) throw new Error(`msPacket: ${packet.length} characters, not 128`);
  return packet;
}

/** The hand-written DDPMS of {@link handDisc} with 216 bytes of CD-Text (formats.md, DDPMS). */
export const HAND_DDPMS = [
  msPacket({ dst: 'S0', dsl: '     216', sub: 'CDTEXT  ', trk: '00', dsi: 'CDTEXT.BIN' }),
  msPacket({ dst: 'S0', dsl: '     576', sub: 'PQ DESCR', dsi: 'PQDESCR' }),
  msPacket({ dst: 'D0', dsl: '    1600', cdm: 'DA', ssm: '7', scr: '0', pre2: ' 150', dsi: 'IMAGE.DAT' }),
];

/** A fresh temporary folder. */
export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'ddpkit-ddp-'));
}

/** Removes a temporary folder. */
export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Writes files into `dir`; a number makes a (sparse) file of that many bytes of silence. */
export async function writeFiles(dir: string, files: Record<string, string | Buffer | number>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    if (typeof content === 'number') {
      await writeFile(path, '');
      await truncate(path, content);
    } else {
      await writeFile(path, typeof content === 'string' ? Buffer.from(content, 'latin1') : content);
    }
  }
}
