import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StreamDigest } from '../../src/checksum/digest.js';
import {
  checksumFileKind,
  isChecksumFileName,
  parseCrc32File,
  parseMd5File,
  writeChecksumMd5,
  writeChecksumTxt,
} from '../../src/checksum/files.js';

const MD5_ABC = '900150983cd24fb0d6963f7d28e17f72';
const MD5_EMPTY = 'd41d8cd98f00b204e9800998ecf8427e';

describe('writeChecksumMd5', () => {
  it('writes "<md5> *<NAME>" lines with LF in the order given', () => {
    expect(
      writeChecksumMd5([
        { name: 'DDPID', md5: MD5_ABC.toUpperCase() },
        { name: 'IMAGE.DAT', md5: MD5_EMPTY },
      ]),
    ).toBe(`${MD5_ABC} *DDPID\n${MD5_EMPTY} *IMAGE.DAT\n`);
    expect(writeChecksumMd5([])).toBe('');
  });

  it('refuses what is not an MD5 or a name it cannot list', () => {
    expect(() => writeChecksumMd5([{ name: 'DDPID', md5: 'abc' }])).toThrow(/not an MD5/);
    expect(() => writeChecksumMd5([{ name: 'A\nB', md5: MD5_ABC }])).toThrow(/cannot list/);
  });
});

describe('writeChecksumTxt', () => {
  it('writes the header and NAME=XXXXXXXX lines in upper-case hex, newline after the last', () => {
    expect(
      writeChecksumTxt([
        { name: 'DDPID', crc32: 0xcbf43926 },
        { name: 'IMAGE.DAT', crc32: 0x0000abcd },
      ]),
    ).toBe('[CRC32 Checksum]\nDDPID=CBF43926\nIMAGE.DAT=0000ABCD\n');
    expect(writeChecksumTxt([{ name: 'X', crc32: -1 }])).toBe('[CRC32 Checksum]\nX=FFFFFFFF\n');
  });

  it('refuses names with "=" and values that are no CRC', () => {
    expect(() => writeChecksumTxt([{ name: 'A=B', crc32: 1 }])).toThrow(/"="/);
    expect(() => writeChecksumTxt([{ name: 'A', crc32: 2 ** 32 }])).toThrow(/not a CRC-32/);
  });
});

describe('parseMd5File', () => {
  const expected = [
    { name: 'DDPID', md5: MD5_ABC, mode: 'binary', line: 1 },
    { name: 'IMAGE.DAT', md5: MD5_EMPTY, mode: 'binary', line: 2 },
  ];

  it('reads our file', () => {
    const text = writeChecksumMd5(expected);
    expect(parseMd5File(text, 'CHECKSUM.MD5')).toEqual({ entries: expected, findings: [] });
  });

  it('reads text mode, CRLF, upper-case hex, a BOM, no final newline', () => {
    const text = `\uFEFF${MD5_ABC.toUpperCase()}  DDPID\r\n${MD5_EMPTY}  IMAGE.DAT`;
    expect(parseMd5File(text, 'checksum.md5')).toEqual({
      entries: expected.map((e) => ({ ...e, mode: 'text' })),
      findings: [],
    });
  });

  it('reads BSD lines, escaped names, comments and blank lines', () => {
    const text = `; written by a Windows tool\n\nMD5 (DDPID) = ${MD5_ABC}\n\\${MD5_EMPTY} *A\\\\B\n`;
    expect(parseMd5File(text, 'MD5-Checksum.md5')).toEqual({
      entries: [
        { name: 'DDPID', md5: MD5_ABC, mode: 'binary', line: 3 },
        { name: 'A\\B', md5: MD5_EMPTY, mode: 'binary', line: 4 },
      ],
      findings: [],
    });
  });

  it('reports bad lines with line number and offset, conflicting duplicates, an empty file', () => {
    const text = `${MD5_ABC} *DDPID\r\nnot a checksum\r\n${MD5_EMPTY} *ddpid\r\n`;
    const r = parseMd5File(text, 'MD5_CHECKSUM.MD5');
    expect(r.entries).toHaveLength(2);
    expect(r.findings).toEqual([
      { severity: 'error', code: 'md5-line', file: 'MD5_CHECKSUM.MD5', offset: 32 + 2 + 5 + 2, message: 'line 2 is not "<32 hex digits> *NAME": "not a checksum"' },
      { severity: 'error', code: 'md5-duplicate', file: 'MD5_CHECKSUM.MD5', message: 'line 3 gives ddpid a different checksum than line 1' },
    ]);
    expect(parseMd5File('', 'x.md5').findings).toMatchObject([{ code: 'md5-empty' }]);
  });
});

describe('parseCrc32File', () => {
  it('reads our file', () => {
    const text = writeChecksumTxt([
      { name: 'DDPID', crc32: 0xcbf43926 },
      { name: 'IMAGE.DAT', crc32: 0xabcd },
    ]);
    expect(parseCrc32File(text, 'CHECKSUM.TXT')).toEqual({
      entries: [
        { name: 'DDPID', crc32: 0xcbf43926, line: 2 },
        { name: 'IMAGE.DAT', crc32: 0xabcd, line: 3 },
      ],
      findings: [],
    });
  });

  it('reads CRLF, lower-case hex and header, no final newline', () => {
    const r = parseCrc32File('[crc32 checksum]\r\nDDPID=cbf43926\r\nPQDESCR = 0000abcd', 'checksum.txt');
    expect(r).toEqual({
      entries: [
        { name: 'DDPID', crc32: 0xcbf43926, line: 2 },
        { name: 'PQDESCR', crc32: 0xabcd, line: 3 },
      ],
      findings: [],
    });
  });

  it('reports a missing header, bad lines, an empty file', () => {
    const r = parseCrc32File('DDPID=CBF43926\nDDPMS CBF43926\n', 'CHECKSUM.TXT');
    expect(r.entries).toHaveLength(1);
    expect(r.findings.map((f) => f.code)).toEqual(['crc-line', 'crc-header']);
    expect(parseCrc32File('[CRC32 Checksum]\n', 'CHECKSUM.TXT').findings.map((f) => f.code)).toEqual(['crc-empty']);
  });
});

describe('checksum file names', () => {
  it('knows *.md5 and CHECKSUM.TXT in any case', () => {
    for (const n of ['CHECKSUM.MD5', 'checksum.md5', 'MD5-Checksum.md5', 'MD5_CHECKSUM.MD5']) expect(checksumFileKind(n)).toBe('md5');
    expect(checksumFileKind('CHECKSUM.TXT')).toBe('crc32');
    expect(checksumFileKind('checksum.txt')).toBe('crc32');
    expect(isChecksumFileName('IMAGE.DAT')).toBe(false);
    expect(isChecksumFileName('notes.txt')).toBe(false);
    expect(isChecksumFileName('md5')).toBe(false);
  });
});

describe('md5sum -c', () => {
  it.runIf(existsSync('/usr/bin/md5sum') || existsSync('/bin/md5sum'))('accepts a written CHECKSUM.MD5', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ddpkit-md5-'));
    try {
      const files: Record<string, Buffer> = {
        DDPID: Buffer.from('DDP 2.00'.padEnd(128), 'latin1'),
        PQDESCR: Buffer.alloc(576, 0x20),
        'IMAGE.DAT': Buffer.alloc(3 * 2352, 7),
      };
      const entries = [];
      for (const [name, data] of Object.entries(files)) {
        await writeFile(join(dir, name), data);
        const d = new StreamDigest();
        for (let i = 0; i < data.length; i += 1000) d.update(data.subarray(i, i + 1000));
        entries.push({ name, md5: d.md5Hex() });
      }
      await writeFile(join(dir, 'CHECKSUM.MD5'), writeChecksumMd5(entries));
      const out = execFileSync('md5sum', ['-c', 'CHECKSUM.MD5'], { cwd: dir, encoding: 'utf8' });
      expect(out).toBe('DDPID: OK\nPQDESCR: OK\nIMAGE.DAT: OK\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
