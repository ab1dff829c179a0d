import { describe, expect, it } from 'vitest';
import {
  DDPID_FIELDS,
  DDPID_LENGTH,
  DDPID_RECORD,
  DDPMS_FIELDS,
  DDPMS_PACKET_LENGTH,
  PQ_FIELDS,
  PQ_PACKET_LENGTH,
  PQ_RECORD,
  LEAD_OUT_TRACK,
  asciiNum,
  asciiText,
  checkTiling,
  msfTime,
  pqTrack,
  zeroNum,
  type FieldToken,
} from '../../src/ddp/fields.js';
import { DdpkitError } from '../../src/errors.js';

/** `put` into a blank buffer of the token's length, as text. */
function put<T>(token: FieldToken<T, unknown>, value: T | undefined): string {
  const buf = Buffer.alloc(token.len, 0x20);
  expect(token.put(buf, 0, value)).toBe(token.len);
  return buf.toString('latin1');
}

function get<G>(token: FieldToken<unknown, G>, text: string): ReturnType<FieldToken<unknown, G>['get']> {
  return token.get(Buffer.from(text, 'latin1'), 0);
}

describe('field tables tile their records', () => {
  const tables = [
    ['DDPID', DDPID_FIELDS, DDPID_LENGTH, 128],
    ['DDPMS', DDPMS_FIELDS, DDPMS_PACKET_LENGTH, 128],
    ['PQDESCR', PQ_FIELDS, PQ_PACKET_LENGTH, 64],
  ] as const;
  for (const [name, fields, len, expected] of tables) {
    it(`${name}: no gaps, no overlaps, ${expected} bytes`, () => {
      expect(len).toBe(expected);
      expect(checkTiling(fields, len)).toEqual([]);
      expect(fields.reduce((sum, f) => sum + f.len, 0)).toBe(expected);
      let at = 0;
      for (const f of fields) {
        expect(f.off, f.name).toBe(at);
        at += f.len;
      }
      expect(new Set(fields.map((f) => f.name)).size).toBe(fields.length);
    });
  }

  it('reports gaps, overlaps and overruns', () => {
    expect(
      checkTiling(
        [
          { name: 'a', off: 0, len: 4, kind: 'text' },
          { name: 'b', off: 6, len: 2, kind: 'text' },
          { name: 'c', off: 7, len: 4, kind: 'text' },
        ],
        10,
      ),
    ).toEqual(['gap at 4..5 before b', 'c at 7 overlaps the field before (ends at 8)', 'fields end at 11, the record has 10 bytes']);
  });
});

describe('asciiNum', () => {
  it('writes right-aligned with leading spaces, blank for none', () => {
    expect(put(asciiNum(8), 1600)).toBe('    1600');
    expect(put(asciiNum(4), 150)).toBe(' 150');
    expect(put(asciiNum(3), 17)).toBe(' 17');
    expect(put(asciiNum(8), 0)).toBe('       0');
    expect(put(asciiNum(8), undefined)).toBe('        ');
    expect(Buffer.from(put(asciiNum(4), 150), 'latin1').toString('hex')).toBe('20313530');
  });

  it('reads space-padded, zero-padded, left-aligned and blank', () => {
    expect(get(asciiNum(8), '    1600')).toEqual({ value: 1600 });
    expect(get(asciiNum(8), '00001600')).toEqual({ value: 1600 });
    expect(get(asciiNum(8), '1600    ')).toEqual({ value: 1600 });
    expect(get(asciiNum(8), '00000000')).toEqual({ value: 0 });
    expect(get(asciiNum(8), '        ')).toEqual({ value: undefined });
  });

  it('reports what is not a number', () => {
    expect(get(asciiNum(8), '  16 00 ')).toMatchObject({ value: undefined, problem: { kind: 'number' } });
    expect(get(asciiNum(4), '-150')).toMatchObject({ value: undefined, problem: { kind: 'number' } });
    expect(get(asciiNum(4), ' 1\u00e90')).toMatchObject({ value: undefined, problem: { kind: 'ascii', message: 'byte 0xE9 at position 2 is not printable ASCII' } });
  });

  it('refuses what does not fit', () => {
    expect(() => put(asciiNum(4), 10000)).toThrow(DdpkitError);
    expect(() => put(asciiNum(4), -1)).toThrow(DdpkitError);
    expect(() => put(asciiNum(4), 1.5)).toThrow(DdpkitError);
  });
});

describe('zeroNum, pqTrack, msfTime', () => {
  it('writes two-digit zero-padded numbers and reads either padding', () => {
    expect(put(zeroNum(2), 0)).toBe('00');
    expect(put(zeroNum(2), 7)).toBe('07');
    expect(get(zeroNum(2), ' 7')).toEqual({ value: 7 });
    expect(get(zeroNum(2), '07')).toEqual({ value: 7 });
  });

  it('writes and reads AA for the lead-out', () => {
    expect(put(pqTrack(2), LEAD_OUT_TRACK)).toBe('AA');
    expect(put(pqTrack(2), 12)).toBe('12');
    expect(get(pqTrack(2), 'AA')).toEqual({ value: LEAD_OUT_TRACK });
    expect(get(pqTrack(2), 'aa')).toEqual({ value: LEAD_OUT_TRACK });
    expect(get(pqTrack(2), 'AB')).toMatchObject({ value: undefined, problem: { kind: 'number' } });
  });

  it('writes MMSSFF zero-padded and reads spaces or zeros', () => {
    expect(put(msfTime(6), 150)).toBe('000200');
    expect(put(msfTime(6), 1600)).toBe('002125');
    expect(put(msfTime(6), 449999)).toBe('995974');
    expect(get(msfTime(6), '000200')).toEqual({ value: 150 });
    expect(get(msfTime(6), '   200')).toEqual({ value: 150 });
    expect(get(msfTime(6), '995974')).toEqual({ value: 449999 });
    expect(get(msfTime(6), '006000')).toMatchObject({ value: undefined, problem: { kind: 'number' } });
    expect(get(msfTime(6), '000075')).toMatchObject({ value: undefined, problem: { kind: 'number' } });
    expect(() => put(msfTime(6), 450000)).toThrow(/99:59:74/);
  });
});

describe('asciiText', () => {
  it('pads with blanks and reads with trailing blanks trimmed', () => {
    expect(put(asciiText(8), 'PQ DESCR')).toBe('PQ DESCR');
    expect(put(asciiText(8), 'CDTEXT')).toBe('CDTEXT  ');
    expect(put(asciiText(4), undefined)).toBe('    ');
    expect(Buffer.from(put(asciiText(4), 'CD'), 'latin1').toString('hex')).toBe('43442020');
    expect(get(asciiText(8), 'CDTEXT  ')).toEqual({ value: 'CDTEXT' });
    expect(get(asciiText(8), ' A B    ')).toEqual({ value: ' A B' });
  });

  it('reports non-ASCII bytes and still gives the text', () => {
    const r = asciiText(4).get(Buffer.from([0x41, 0xff, 0x00, 0x20]), 0);
    expect(r.value).toBe('A\u00ff\u0000');
    expect(r.problem).toEqual({ kind: 'ascii', message: 'byte 0xFF at position 1 is not printable ASCII' });
  });

  it('refuses text that is too long or not ASCII', () => {
    expect(() => put(asciiText(4), 'ABCDE')).toThrow(/longer than 4/);
    expect(() => put(asciiText(4), 'Ä')).toThrow(/printable ASCII/);
  });
});

describe('records derived from the tables', () => {
  it('puts a whole PQ packet and gets it back', () => {
    const buf = PQ_RECORD.encode({ SPV: 'VVVS', TRK: 2, IDX: 1, MSF: 525, CB1: '11', ISRC: 'GBAYE2600002' });
    expect(buf.toString('latin1')).toBe('VVVS0201  00070011  GBAYE2600002' + ' '.repeat(32));
    const { values, problems } = PQ_RECORD.get(buf, 0);
    expect(problems).toEqual([]);
    expect(values).toMatchObject({ SPV: 'VVVS', TRK: 2, IDX: 1, hours: undefined, MSF: 525, CB1: '11', ISRC: 'GBAYE2600002', UPC: '' });
  });

  it('names the field and its offset for every unreadable field', () => {
    const buf = Buffer.from('DDP 2.00' + ' '.repeat(120), 'latin1');
    buf[40] = 0xc3;
    buf[87] = 0x00; // type
    const { values, problems } = DDPID_RECORD.get(buf, 0);
    expect(values.level).toBe('DDP 2.00');
    expect(problems).toEqual([
      { field: 'masterId', fieldKind: 'text', off: 38, kind: 'ascii', message: 'byte 0xC3 at position 2 is not printable ASCII' },
      { field: 'type', fieldKind: 'text', off: 87, kind: 'ascii', message: 'byte 0x00 at position 0 is not printable ASCII' },
    ]);
    const pq = Buffer.from('VVVS01 X' + ' '.repeat(56), 'latin1');
    expect(PQ_RECORD.get(pq, 0).problems).toEqual([{ field: 'IDX', fieldKind: 'zeroNum', off: 6, kind: 'number', message: '" X" is not a number' }]);
  });

  it('names the record and field when a value does not fit', () => {
    expect(() => PQ_RECORD.encode({ ISRC: 'GBAYE26000012' })).toThrow('pqdescr ISRC: "GBAYE26000012" is longer than 12 characters');
  });

  it('gives field offsets from the table', () => {
    expect(DDPID_RECORD.offsetOf('masterId')).toBe(38);
    expect(PQ_RECORD.offsetOf('UPC')).toBe(32);
  });
});
