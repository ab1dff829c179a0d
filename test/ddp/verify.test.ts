// verifyFileset on a built fileset: clean, then with one byte changed in each file (with and without
// checksum files that match the change), with files missing or extra, and with every checksum dialect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as zlib from 'node:zlib';
import { build, type BuildResult } from '../../src/build.js';
import { crc16 } from '../../src/cdtext/crc16.js';
import { writeChecksumMd5, writeChecksumTxt } from '../../src/checksum/files.js';
import { verifyFileset } from '../../src/ddp/verify.js';
import type { Finding } from '../../src/errors.js';
import { AlbumDir, sec } from '../helpers/album.js';

/** The files of the fileset in checksum order (formats.md, "Checksum files"). */
const ORDER = ['DDPID', 'DDPMS', 'CDTEXT.BIN', 'PQDESCR', 'IMAGE.DAT'] as const;
type FileName = (typeof ORDER)[number];
const BOTH = ['CHECKSUM.MD5', 'CHECKSUM.TXT'];

let album: AlbumDir;
let built: string;
let result: BuildResult;
let copies = 0;

beforeAll(async () => {
  album = new AlbumDir();
  album.wav('one.wav', { samples: sec(4) }, 1);
  album.wav('two.wav', { samples: sec(4) }, 2);
  // Two tracks of 4 s: track 1 with an index 02 at 2 s, track 2 after a 2 s gap. Lead-out at 900 frames.
  const manifest = album.manifest(`
    version: 1
    album:
      title: Tiny
      performer: Tester
      upc: "2000123456782"
    tracks:
      - file: one.wav
        title: One
        isrc: XXDDK2600001
        indexes: ["0:02:00"]
      - file: two.wav
        title: Two
        isrc: XXDDK2600002
  `);
  built = album.path('built/TINY');
  result = await build(manifest, built);
});
afterAll(() => {
  album.remove();
});

/** A fresh copy of the built fileset to damage. */
function copy(): string {
  const dir = album.path(`copy-${copies++}`);
  cpSync(built, dir, { recursive: true });
  return dir;
}

const md5Of = (bytes: Buffer): string => createHash('md5').update(bytes).digest('hex');
const crcOf = (bytes: Buffer): string => zlib.crc32(bytes).toString(16).toUpperCase().padStart(8, '0');
const hex4 = (n: number): string => `0x${n.toString(16).toUpperCase().padStart(4, '0')}`;

function written(name: FileName): { md5: string; crc: string } {
  const f = result.files.find((w) => w.name === name)!;
  return { md5: f.md5, crc: f.crc32.toString(16).toUpperCase().padStart(8, '0') };
}

/** The two findings a changed file must give against the checksum files as built. */
function mismatches(dir: string, name: FileName): Finding[] {
  const bytes = readFileSync(path.join(dir, name));
  const line = ORDER.indexOf(name) + 1;
  const was = written(name);
  return [
    {
      severity: 'error',
      code: 'md5-mismatch',
      file: name,
      message: `MD5 is ${md5Of(bytes)}, but CHECKSUM.MD5 line ${line} says ${was.md5}: the file is damaged or was changed`,
    },
    {
      severity: 'error',
      code: 'crc32-mismatch',
      file: name,
      message: `CRC-32 is ${crcOf(bytes)}, but CHECKSUM.TXT line ${line + 1} says ${was.crc}: the file is damaged or was changed`,
    },
  ];
}

/** Rewrites CHECKSUM.MD5 and CHECKSUM.TXT for the files as they are now. */
function rewriteChecksums(dir: string): void {
  const entries = ORDER.map((name) => {
    const bytes = readFileSync(path.join(dir, name));
    return { name, md5: md5Of(bytes), crc32: zlib.crc32(bytes) };
  });
  writeFileSync(path.join(dir, 'CHECKSUM.MD5'), writeChecksumMd5(entries));
  writeFileSync(path.join(dir, 'CHECKSUM.TXT'), writeChecksumTxt(entries));
}

/** Changes the file `name` in place. */
function edit(dir: string, name: string, change: (bytes: Buffer) => void): void {
  const file = path.join(dir, name);
  const bytes = readFileSync(file);
  change(bytes);
  writeFileSync(file, bytes);
}

/** Writes ASCII `text` over the bytes at `offset`, checking that they held `was`. */
function overwrite(bytes: Buffer, offset: number, was: string, text: string): void {
  expect(bytes.toString('latin1', offset, offset + was.length)).toBe(was);
  bytes.write(text, offset, 'latin1');
}

const isError = (f: Finding): boolean => f.severity === 'error';

describe('verifyFileset on a built fileset', () => {
  it('finds nothing at all and lists both checksum files for every file', async () => {
    const r = await verifyFileset(built);
    expect(r.findings).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.checksums).toEqual(
      ORDER.map((name) => {
        const w = result.files.find((f) => f.name === name)!;
        return { name, bytes: w.bytes, md5: w.md5, crc32: written(name).crc, coveredBy: BOTH };
      }),
    );
    expect(r.checksums.find((c) => c.name === 'IMAGE.DAT')?.bytes).toBe(900 * 2352);
    expect(r.files.others.map((f) => f.name)).toEqual(BOTH);
    expect(r.disc?.leadOut).toBe(900);
    expect(r.disc?.upc).toBe('2000123456782');
    expect(r.disc?.tracks.map((t) => [t.isrc, t.indexes.map((i) => i.frame)])).toEqual([
      ['XXDDK2600001', [0, 150, 300]],
      ['XXDDK2600002', [450, 600]],
    ]);
    expect(r.disc?.cdText?.tracks.map((t) => t.title)).toEqual(['One', 'Two']);
  });

  it('passes md5sum -c CHECKSUM.MD5', () => {
    const out = execFileSync('md5sum', ['-c', 'CHECKSUM.MD5'], { cwd: built, encoding: 'utf8' });
    expect(out.trimEnd().split('\n')).toEqual(ORDER.map((name) => `${name}: OK`));
  });
});

/** One byte changed in a file, and the findings that must result apart from the checksum mismatches. */
interface Damage {
  what: string;
  file: FileName;
  change: (bytes: Buffer) => void;
  /** The structural findings, in order (from the file's bytes before and after, where they depend on them). */
  findings: Finding[] | ((before: Buffer, after: Buffer) => Finding[]);
}

const DAMAGE: Damage[] = [
  {
    what: 'a UPC digit',
    file: 'DDPID',
    change: (b) => {
      overwrite(b, 8, '2000123456782', '2000723456782');
    },
    findings: [
      {
        severity: 'error',
        code: 'upc-check-digit',
        file: 'DDPID',
        offset: 8,
        message: 'UPC/EAN 2000723456782 has a wrong check digit: it should end in 6',
      },
      { severity: 'error', code: 'upc-conflict', file: 'PQDESCR', message: 'the PQ lead-in says UPC/EAN 2000123456782, DDPID says 2000723456782' },
    ],
  },
  {
    what: 'the first letter of the DDPID level',
    file: 'DDPID',
    change: (b) => {
      overwrite(b, 0, 'D', 'X');
    },
    findings: [
      {
        severity: 'error',
        code: 'ddpid-level',
        file: 'DDPID',
        offset: 0,
        message: '"XDP 2.00" is not a DDP level (expected "DDP 2.00"): is this a DDPID file?',
      },
    ],
  },
  {
    what: 'the version digit of the DDPID level',
    file: 'DDPID',
    change: (b) => {
      overwrite(b, 7, '0', '1');
    },
    findings: [{ severity: 'warning', code: 'ddpid-level', file: 'DDPID', offset: 0, message: 'DDP level "DDP 2.01" is neither DDP 2.00 nor DDP 1.01' }],
  },
  {
    what: 'the D0 DSL (900 → 800 frames)',
    file: 'DDPMS',
    change: (b) => {
      overwrite(b, 2 * 128 + 14, '     900', '     800');
    },
    findings: [
      {
        severity: 'error',
        code: 'image-size',
        file: 'IMAGE.DAT',
        message: 'IMAGE.DAT holds 2116800 bytes of audio but DDPMS says 800 frames (1881600 bytes)',
      },
      { severity: 'error', code: 'pq-lead-out', file: 'PQDESCR', message: 'lead-out at 00:12:00 but the image is 00:10:50 (800 frames) long' },
    ],
  },
  {
    what: 'the PQ DSL (512 → 612 bytes)',
    file: 'DDPMS',
    change: (b) => {
      overwrite(b, 128 + 14, '     512', '     612');
    },
    findings: [{ severity: 'error', code: 'stream-size', file: 'PQDESCR', message: 'PQDESCR holds 512 bytes of the PQ stream, DDPMS says 612: truncated' }],
  },
  {
    what: 'the DST of the D0 packet',
    file: 'DDPMS',
    change: (b) => {
      overwrite(b, 2 * 128 + 4, 'D0', 'D1');
    },
    findings: [
      { severity: 'error', code: 'ddpms-stream-type', file: 'DDPMS', offset: 2 * 128 + 4, packet: 2, message: 'unknown stream type "D1"' },
      { severity: 'error', code: 'ddpms-image', file: 'DDPMS', message: 'DDPMS names no D0 DA (audio image) stream' },
    ],
  },
  {
    what: 'a time digit (track 2 index 00 at 00:06:00 → 00:01:00)',
    file: 'PQDESCR',
    change: (b) => {
      overwrite(b, 4 * 64 + 4, '0200  000600', '0200  000100');
    },
    findings: [
      {
        severity: 'error',
        code: 'pq-time-order',
        file: 'PQDESCR',
        offset: 4 * 64,
        packet: 4,
        message: 'track 2 index 0 at 00:01:00 is not after the previous index',
      },
    ],
  },
  {
    what: 'a time digit (track 2 index 01 at 00:08:00 → 00:18:00, past the lead-out)',
    file: 'PQDESCR',
    change: (b) => {
      overwrite(b, 5 * 64 + 4, '0201  000800', '0201  001800');
    },
    findings: [
      {
        severity: 'error',
        code: 'pq-time-order',
        file: 'PQDESCR',
        offset: 6 * 64,
        packet: 6,
        message: 'lead-out at 00:12:00 is not after the last index',
      },
      { severity: 'error', code: 'pq-track-length', file: 'PQDESCR', message: 'track 2 is 00:00:00 long, shorter than 4 seconds' },
      {
        severity: 'error',
        code: 'pq-time-range',
        file: 'PQDESCR',
        message: 'track 2 index 1 at 00:18:00 is past the end of the image (00:12:00)',
      },
    ],
  },
  {
    what: 'a time digit of the first lead-out packet',
    file: 'PQDESCR',
    change: (b) => {
      overwrite(b, 6 * 64 + 4, 'AA01  001200', 'AA01  002200');
    },
    findings: [
      {
        severity: 'error',
        code: 'pq-lead-out',
        file: 'PQDESCR',
        offset: 7 * 64,
        packet: 7,
        message: 'lead-out packets disagree: 00:22:00 and 00:12:00',
      },
      { severity: 'error', code: 'pq-lead-out', file: 'PQDESCR', message: 'lead-out at 00:22:00 but the image is 00:12:00 (900 frames) long' },
    ],
  },
  {
    what: 'the last ISRC character on track 1 index 01',
    file: 'PQDESCR',
    change: (b) => {
      overwrite(b, 2 * 64 + 20, 'XXDDK2600001', 'XXDDK2600007');
    },
    findings: [
      {
        severity: 'error',
        code: 'isrc-conflict',
        file: 'PQDESCR',
        offset: 2 * 64,
        packet: 2,
        message: 'track 1 has two ISRCs: XXDDK2600001 and XXDDK2600007',
      },
    ],
  },
  {
    what: 'the first ISRC character on track 1 index 00',
    file: 'PQDESCR',
    change: (b) => {
      overwrite(b, 64 + 20, 'X', '1');
    },
    findings: [
      {
        severity: 'error',
        code: 'isrc-conflict',
        file: 'PQDESCR',
        offset: 2 * 64,
        packet: 2,
        message: 'track 1 has two ISRCs: 1XDDK2600001 and XXDDK2600001',
      },
      {
        severity: 'error',
        code: 'isrc-format',
        file: 'PQDESCR',
        offset: 64,
        packet: 1,
        message: 'track 1 ISRC "1XDDK2600001" is not CCXXXYYNNNNN',
      },
    ],
  },
  {
    what: 'the VVVS marker of a PQ packet',
    file: 'PQDESCR',
    change: (b) => {
      overwrite(b, 3 * 64, 'VVVS', 'VVVX');
    },
    findings: [{ severity: 'error', code: 'pq-marker', file: 'PQDESCR', offset: 3 * 64, packet: 3, message: 'packet starts "VVVX", not VVVS' }],
  },
  {
    what: 'a payload byte of a CD-Text pack ("Tiny" → "tiny")',
    file: 'CDTEXT.BIN',
    change: (b) => {
      overwrite(b, 0, '\x80\x00\x00\x00Tiny', '\x80\x00\x00\x00tiny');
    },
    findings: (before, after) => [
      {
        severity: 'error',
        code: 'cdtext-crc',
        file: 'CDTEXT.BIN',
        offset: 0,
        packet: 0,
        message: `the CRC is ${hex4(before.readUInt16BE(16))}, but bytes 0–15 give ${hex4(crc16(after.subarray(0, 16)))}`,
      },
    ],
  },
];

describe('one byte changed in one file', () => {
  it('a sample byte in IMAGE.DAT: exactly the MD5 and CRC-32 mismatches for IMAGE.DAT', async () => {
    const dir = copy();
    edit(dir, 'IMAGE.DAT', (b) => {
      b[500_000] = b[500_000]! ^ 0x01;
    });
    const r = await verifyFileset(dir);
    expect(r.findings).toEqual(mismatches(dir, 'IMAGE.DAT'));
    expect(r.ok).toBe(false);
    expect(r.checksums.find((c) => c.name === 'IMAGE.DAT')?.coveredBy).toEqual(BOTH);
  });

  /** Damages a copy as `d` says; returns the folder and the structural findings expected. */
  const damage = (d: Damage): { dir: string; expected: Finding[] } => {
    const dir = copy();
    const before = readFileSync(path.join(dir, d.file));
    edit(dir, d.file, d.change);
    const after = readFileSync(path.join(dir, d.file));
    return { dir, expected: typeof d.findings === 'function' ? d.findings(before, after) : d.findings };
  };

  for (const d of DAMAGE) {
    it(`${d.file}, ${d.what}: the structural findings, then the checksum mismatches of ${d.file}`, async () => {
      const { dir, expected } = damage(d);
      const r = await verifyFileset(dir);
      expect(r.findings).toEqual([...expected, ...mismatches(dir, d.file)]);
      expect(r.ok).toBe(false);
    });

    it(`${d.file}, ${d.what}: with checksum files that match, only the structural findings`, async () => {
      const { dir, expected } = damage(d);
      rewriteChecksums(dir);
      const r = await verifyFileset(dir);
      expect(r.findings).toEqual(expected);
      expect(r.ok).toBe(!expected.some(isError));
      for (const c of r.checksums) expect(c.coveredBy).toEqual(BOTH);
    });
  }

  it('a hex digit in CHECKSUM.MD5: an MD5 mismatch for the file on that line only', async () => {
    const dir = copy();
    const was = written('DDPMS').md5;
    const wrong = (was[0] === '0' ? '1' : '0') + was.slice(1);
    edit(dir, 'CHECKSUM.MD5', (b) => {
      const at = b.indexOf(`${was} *DDPMS\n`);
      expect(b.subarray(0, at).toString('latin1').split('\n')).toHaveLength(2);
      overwrite(b, at, was, wrong);
    });
    const r = await verifyFileset(dir);
    expect(r.findings).toEqual([
      {
        severity: 'error',
        code: 'md5-mismatch',
        file: 'DDPMS',
        message: `MD5 is ${was}, but CHECKSUM.MD5 line 2 says ${wrong}: the file is damaged or was changed`,
      },
    ]);
    expect(r.ok).toBe(false);
  });

  it('a hex digit in CHECKSUM.TXT: a CRC-32 mismatch for the file on that line only', async () => {
    const dir = copy();
    const was = written('IMAGE.DAT').crc;
    const wrong = was.slice(0, 7) + (was[7] === 'A' ? 'B' : 'A');
    edit(dir, 'CHECKSUM.TXT', (b) => {
      const at = b.indexOf(`IMAGE.DAT=${was}`);
      overwrite(b, at, `IMAGE.DAT=${was}`, `IMAGE.DAT=${wrong}`);
    });
    const r = await verifyFileset(dir);
    expect(r.findings).toEqual([
      {
        severity: 'error',
        code: 'crc32-mismatch',
        file: 'IMAGE.DAT',
        message: `CRC-32 is ${was}, but CHECKSUM.TXT line 6 says ${wrong}: the file is damaged or was changed`,
      },
    ]);
    expect(r.ok).toBe(false);
  });
});

describe('files missing, extra, or without checksums', () => {
  it('reports a deleted fileset file that the checksum files list', async () => {
    const dir = copy();
    rmSync(path.join(dir, 'CDTEXT.BIN'));
    const r = await verifyFileset(dir);
    expect(r.findings).toEqual([
      { severity: 'error', code: 'fileset-missing', file: 'CDTEXT.BIN', message: 'CDTEXT.BIN (the S0 stream DDPMS names in packet 0) is missing' },
      { severity: 'error', code: 'checksum-missing-file', file: 'CHECKSUM.MD5', message: 'line 3 lists CDTEXT.BIN, which is not in the fileset' },
      { severity: 'error', code: 'checksum-missing-file', file: 'CHECKSUM.TXT', message: 'line 4 lists CDTEXT.BIN, which is not in the fileset' },
    ]);
    expect(r.ok).toBe(false);
    expect(r.checksums.map((c) => c.name)).toEqual(['DDPID', 'DDPMS', 'PQDESCR', 'IMAGE.DAT']);
  });

  it('reports a deleted file that only CHECKSUM.MD5 lists', async () => {
    const dir = copy();
    const extra = Buffer.from('liner notes\n');
    writeFileSync(path.join(dir, 'NOTES.TXT'), extra);
    writeFileSync(path.join(dir, 'CHECKSUM.MD5'), readFileSync(path.join(dir, 'CHECKSUM.MD5'), 'latin1') + `${md5Of(extra)} *NOTES.TXT\n`);
    expect((await verifyFileset(dir)).findings).toEqual([]);
    rmSync(path.join(dir, 'NOTES.TXT'));
    const r = await verifyFileset(dir);
    expect(r.findings).toEqual([
      { severity: 'error', code: 'checksum-missing-file', file: 'CHECKSUM.MD5', message: 'line 6 lists NOTES.TXT, which is not in the fileset' },
    ]);
    expect(r.ok).toBe(false);
  });

  it('warns about a file no checksum file covers', async () => {
    const dir = copy();
    writeFileSync(path.join(dir, 'NOTES.TXT'), 'liner notes\n');
    const r = await verifyFileset(dir);
    expect(r.findings).toEqual([{ severity: 'warning', code: 'checksum-uncovered', file: 'NOTES.TXT', message: 'no checksum file covers NOTES.TXT' }]);
    expect(r.ok).toBe(true);
    expect(r.checksums.find((c) => c.name === 'NOTES.TXT')).toEqual({
      name: 'NOTES.TXT',
      bytes: 12,
      md5: md5Of(Buffer.from('liner notes\n')),
      crc32: crcOf(Buffer.from('liner notes\n')),
      coveredBy: [],
    });
  });

  it('warns when there is no checksum file at all', async () => {
    const dir = copy();
    for (const name of BOTH) rmSync(path.join(dir, name));
    const r = await verifyFileset(dir);
    expect(r.findings).toEqual([
      {
        severity: 'warning',
        code: 'checksum-none',
        message: 'the fileset has no checksum file (CHECKSUM.MD5 or *.md5, CHECKSUM.TXT): nothing proves the files arrived intact',
      },
    ]);
    expect(r.ok).toBe(true);
    expect(r.checksums.map((c) => [c.name, c.coveredBy])).toEqual(ORDER.map((name) => [name, []]));
  });
});

describe('names that differ only in case', () => {
  it('checks each checksum line against the file of exactly that name, not a stray copy in another case', async () => {
    const dir = copy();
    writeFileSync(path.join(dir, 'image.dat'), 'a stray file\n');
    const r = await verifyFileset(dir);
    expect(r.findings).toEqual([
      { severity: 'warning', code: 'fileset-ambiguous', file: 'IMAGE.DAT', message: 'IMAGE.DAT, image.dat differ only in case; IMAGE.DAT is read' },
      { severity: 'warning', code: 'checksum-uncovered', file: 'image.dat', message: 'no checksum file covers image.dat' },
    ]);
    expect(r.ok).toBe(true);
    expect(r.checksums.map((c) => [c.name, c.bytes, c.coveredBy])).toEqual([
      ...ORDER.map((name) => [name, result.files.find((f) => f.name === name)!.bytes, BOTH]),
      ['image.dat', 13, []],
    ]);
  });

  it('matches a checksum line to a file named in another case when there is only one', async () => {
    const dir = copy();
    renameSync(path.join(dir, 'PQDESCR'), path.join(dir, 'pqdescr'));
    const r = await verifyFileset(dir);
    expect(r.findings).toEqual([]);
    expect(r.checksums.find((c) => c.name === 'pqdescr')?.coveredBy).toEqual(BOTH);
  });
});

describe('checksum file dialects', () => {
  const md5Text = (): string => readFileSync(path.join(built, 'CHECKSUM.MD5'), 'latin1');

  it('accepts CHECKSUM.MD5 and CHECKSUM.TXT with CRLF line ends', async () => {
    const dir = copy();
    for (const name of BOTH) {
      const text = readFileSync(path.join(dir, name), 'latin1');
      writeFileSync(path.join(dir, name), text.replaceAll('\n', '\r\n'), 'latin1');
    }
    expect(readFileSync(path.join(dir, 'CHECKSUM.MD5'), 'latin1')).toContain(' *DDPID\r\n');
    const r = await verifyFileset(dir);
    expect(r.findings).toEqual([]);
    for (const c of r.checksums) expect(c.coveredBy).toEqual(BOTH);
  });

  it('accepts checksum files saved with a UTF-8 byte-order mark', async () => {
    const dir = copy();
    for (const name of BOTH) {
      writeFileSync(path.join(dir, name), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(path.join(dir, name))]));
    }
    const r = await verifyFileset(dir);
    expect(r.findings).toEqual([]);
    for (const c of r.checksums) expect(c.coveredBy).toEqual(BOTH);
  });

  it('accepts a lower-case checksum.md5', async () => {
    const dir = copy();
    renameSync(path.join(dir, 'CHECKSUM.MD5'), path.join(dir, 'checksum.md5'));
    const r = await verifyFileset(dir);
    expect(r.findings).toEqual([]);
    for (const c of r.checksums) expect(c.coveredBy).toEqual(['CHECKSUM.TXT', 'checksum.md5']);
  });

  it('accepts MD5_CHECKSUM.MD5 in md5sum text mode, and MD5-Checksum.md5 in text mode with CRLF', async () => {
    const textMode = md5Text().replaceAll(' *', '  ');
    expect(textMode.split('\n')[0]).toMatch(/^[0-9a-f]{32} {2}DDPID$/);
    for (const [name, text] of [
      ['MD5_CHECKSUM.MD5', textMode],
      ['MD5-Checksum.md5', textMode.replaceAll('\n', '\r\n')],
    ] as const) {
      const dir = copy();
      rmSync(path.join(dir, 'CHECKSUM.MD5'));
      writeFileSync(path.join(dir, name), text, 'latin1');
      const r = await verifyFileset(dir);
      expect(r.findings, name).toEqual([]);
      expect(r.ok).toBe(true);
      for (const c of r.checksums) expect(c.coveredBy).toEqual(['CHECKSUM.TXT', name]);
      // md5sum reads the text-mode file too.
      const out = execFileSync('md5sum', ['-c', name], { cwd: dir, encoding: 'utf8' });
      expect(out.trimEnd().split('\n')).toEqual(ORDER.map((f) => `${f}: OK`));
    }
  });
});
