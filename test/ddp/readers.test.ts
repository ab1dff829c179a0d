import { describe, expect, it } from 'vitest';
import { readDdpid, writeDdpid } from '../../src/ddp/ddpid.js';
import { readDdpms } from '../../src/ddp/ddpms.js';
import { LEAD_OUT_TRACK } from '../../src/ddp/fields.js';
import { checkPqAgainstImage, readPqdescr, writePqdescr } from '../../src/ddp/pqdescr.js';
import type { Disc } from '../../src/disc/model.js';
import type { Finding } from '../../src/errors.js';
import { HAND_DDPID, HAND_DDPMS, HAND_PQ, b, handDisc, msPacket } from './fixture.js';

const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1');
/** `s` with `text` written over it at `off`. */
const setAt = (s: string, off: number, text: string): string => s.slice(0, off) + text + s.slice(off + text.length);
const codes = (findings: Finding[]): string[] => findings.map((f) => f.code);

describe('readDdpid', () => {
  it('reads our DDPID', () => {
    expect(readDdpid(latin1(HAND_DDPID), 'DDPID')).toEqual({
      ddpid: { level: 'DDP 2.00', upc: '5012345678900', masterId: 'NL-2026-001', type: 'CD' },
      findings: [],
    });
  });

  it('accepts DDP 1.01 with a blank type and no UPC', () => {
    const text = setAt(setAt(setAt(HAND_DDPID, 0, 'DDP 1.01'), 8, b(13)), 87, b(2));
    expect(readDdpid(latin1(text), 'ddpid')).toEqual({
      ddpid: { level: 'DDP 1.01', upc: undefined, masterId: 'NL-2026-001', type: '' },
      findings: [],
    });
  });

  it('reports other levels, other types and a file that is no DDPID', () => {
    expect(codes(readDdpid(latin1(setAt(HAND_DDPID, 0, 'DDP 2.10')), 'DDPID').findings)).toEqual(['ddpid-level']);
    expect(readDdpid(latin1(setAt(HAND_DDPID, 0, 'RIFF....')), 'DDPID').findings[0]).toMatchObject({ severity: 'error', code: 'ddpid-level', offset: 0 });
    expect(readDdpid(latin1(setAt(HAND_DDPID, 87, 'DV')), 'DDPID').findings).toMatchObject([{ code: 'ddpid-type', offset: 87 }]);
  });

  it('checks the UPC: check digit, length, a 12-digit UPC-A', () => {
    expect(readDdpid(latin1(setAt(HAND_DDPID, 8, '5012345678901')), 'DDPID').findings).toMatchObject([
      { severity: 'error', code: 'upc-check-digit', file: 'DDPID', offset: 8, message: 'UPC/EAN 5012345678901 has a wrong check digit: it should end in 0' },
    ]);
    expect(codes(readDdpid(latin1(setAt(HAND_DDPID, 8, '50123X5678900')), 'DDPID').findings)).toEqual(['upc-format']);
    const upcA = readDdpid(latin1(setAt(HAND_DDPID, 8, '036000291452 ')), 'DDPID');
    expect(upcA.ddpid.upc).toBe('0036000291452');
    expect(upcA.findings).toMatchObject([{ severity: 'note', code: 'upc-format' }]);
  });

  it('reads what it can of a short, long or empty file', () => {
    const short = readDdpid(latin1(HAND_DDPID.slice(0, 60)), 'DDPID');
    expect(short.ddpid.level).toBe('DDP 2.00');
    expect(short.ddpid.masterId).toBe('NL-2026-001'.slice(0, 60 - 38));
    expect(short.findings).toMatchObject([{ severity: 'error', code: 'ddpid-size' }]);
    expect(readDdpid(latin1(HAND_DDPID + '\n'), 'DDPID').findings).toMatchObject([{ severity: 'warning', code: 'ddpid-size' }]);
    expect(codes(readDdpid(Buffer.alloc(0), 'DDPID').findings)).toEqual(['ddpid-size', 'ddpid-level']);
  });

  it('reports a non-ASCII byte with its offset', () => {
    const buf = latin1(HAND_DDPID);
    buf[40] = 0xe9;
    const r = readDdpid(buf, 'DDPID');
    expect(r.findings).toMatchObject([{ code: 'ddpid-ascii', offset: 38, message: 'masterId: byte 0xE9 at position 2 is not printable ASCII' }]);
  });

  it('round-trips a disc with nothing but the level and type', () => {
    const disc: Disc = { ...handDisc(), upc: undefined, masterId: undefined };
    expect(readDdpid(writeDdpid(disc), 'DDPID').ddpid).toEqual({ level: 'DDP 2.00', upc: undefined, masterId: undefined, type: 'CD' });
  });
});

describe('readDdpms', () => {
  it('reads our map: CD-Text, PQ and image streams', () => {
    const { packets, findings } = readDdpms(latin1(HAND_DDPMS.join('')), 'DDPMS');
    expect(findings).toEqual([]);
    expect(packets).toEqual([
      { packet: 0, offset: 0, role: 'cdtext', dst: 'S0', dsl: 216, dss: 0, sub: 'CDTEXT', cdm: '', ssm: undefined, scr: undefined, pre2: undefined, trk: 0, dsi: 'CDTEXT.BIN', ofs: 0 },
      { packet: 1, offset: 128, role: 'pq', dst: 'S0', dsl: 576, dss: 0, sub: 'PQDESCR', cdm: '', ssm: undefined, scr: undefined, pre2: undefined, trk: undefined, dsi: 'PQDESCR', ofs: 0 },
      { packet: 2, offset: 256, role: 'image', dst: 'D0', dsl: 1600, dss: 0, sub: '', cdm: 'DA', ssm: 7, scr: 0, pre2: 150, trk: undefined, dsi: 'IMAGE.DAT', ofs: 0 },
    ]);
  });

  it('accepts zero-padded numbers, DSS 00000000, SCR 1, a short DSI length and an OFS', () => {
    const text =
      msPacket({ dst: 'S0', dsl: '00000576', dss: '00000000', sub: 'PQ DESCR', dsiLength: '007', dsi: 'pqdescr' }) +
      msPacket({ dst: 'D0', dsl: '00001600', dss: '00000000', cdm: 'DA', ssm: '7', scr: '1', pre2: '0150', dsiLength: '  9', dsi: 'image.dat', ofs: '000000512' });
    const { packets, findings } = readDdpms(latin1(text), 'ddpms');
    expect(findings).toEqual([]);
    expect(packets[0]).toMatchObject({ role: 'pq', dsl: 576, dss: 0, dsi: 'pqdescr' });
    expect(packets[1]).toMatchObject({ role: 'image', dsl: 1600, dss: 0, scr: 1, pre2: 150, dsi: 'image.dat', ofs: 512 });
  });

  it('reports a wrong marker, an odd size, a bad number with packet and offset', () => {
    let text = HAND_DDPMS.join('');
    text = setAt(text, 128, 'VVVX');
    text = setAt(text, 256 + 14, '  16x0  ');
    const r = readDdpms(latin1(text + 'xx'), 'DDPMS');
    expect(r.findings).toMatchObject([
      { severity: 'error', code: 'ddpms-size', file: 'DDPMS' },
      { severity: 'error', code: 'ddpms-marker', packet: 1, offset: 128 },
      { severity: 'error', code: 'ddpms-field', packet: 2, offset: 270, message: 'DSL: "  16x0  " is not a number' },
      { severity: 'error', code: 'ddpms-dsl', packet: 2, offset: 270 },
    ]);
    expect(r.packets).toHaveLength(3);
  });

  it('reports stream types and sector modes that are not CD audio', () => {
    const text =
      msPacket({ dst: 'D2', dsl: '     100', dsi: 'OTHER.DAT' }) +
      msPacket({ dst: 'D0', dsl: '    1600', cdm: 'CD', ssm: '3', scr: '0', dsi: 'IMAGE.DAT' }) +
      msPacket({ dst: 'S0', dsl: '     100', sub: 'RW      ', dsi: 'RW.DAT' }) +
      msPacket({ dst: 'Q9', dsl: '     100', dsi: 'X' });
    expect(codes(readDdpms(latin1(text), 'DDPMS').findings)).toEqual(['ddpms-stream-type', 'ddpms-cdm', 'ddpms-ssm', 'ddpms-sub', 'ddpms-stream-type']);
  });

  it('reports a DSS other than 0 and a DSI length that cuts the name', () => {
    const text = msPacket({ dst: 'D0', dsl: '    1600', dss: '       5', cdm: 'DA', ssm: '7', scr: '0', dsiLength: '  3', dsi: 'IMAGE.DAT' });
    const r = readDdpms(latin1(text), 'DDPMS');
    expect(codes(r.findings)).toEqual(['ddpms-dsi-length', 'ddpms-dss']);
    expect(r.packets[0]!.dsi).toBe('IMAGE.DAT');
  });

  it('reads an empty file and garbage without throwing', () => {
    expect(readDdpms(Buffer.alloc(0), 'DDPMS')).toEqual({ packets: [], findings: [{ severity: 'error', code: 'ddpms-size', file: 'DDPMS', message: 'DDPMS is empty', offset: undefined, packet: undefined }] });
    const junk = Buffer.alloc(384);
    for (let i = 0; i < junk.length; i++) junk[i] = (i * 151 + 7) & 0xff;
    const r = readDdpms(junk, 'DDPMS');
    expect(r.packets).toHaveLength(3);
    expect(r.findings.length).toBeGreaterThan(0);
  });
});

describe('readPqdescr', () => {
  const disc = handDisc();
  const hand = (): string[] => [...HAND_PQ];

  it('reads our PQDESCR into the disc layout', () => {
    const r = readPqdescr(latin1(HAND_PQ.join('')), 'PQDESCR');
    expect(r.findings).toEqual([]);
    expect(r.layout).toEqual({ tracks: disc.tracks, leadOut: 1600, upc: '5012345678900' });
    expect(r.packets).toHaveLength(9);
    expect(r.packets[7]).toEqual({ packet: 7, offset: 448, track: LEAD_OUT_TRACK, index: 1, frame: 1600, control: 0, scms: false, isrc: '', upc: '' });
  });

  it('accepts space-padded numbers and times', () => {
    const p = hand().map((s) => s.slice(0, 4) + s.slice(4, 6).replace(/^0/, ' ') + s.slice(6, 8).replace(/^0/, ' ') + s.slice(8, 10) + s.slice(10, 16).replace(/^0+(?=\d)/, (z) => b(z.length)) + s.slice(16));
    expect(p[2]!.slice(4, 16)).toBe(' 1 1     200');
    const r = readPqdescr(latin1(p.join('')), 'PQDESCR');
    expect(r.findings).toEqual([]);
    expect(r.layout.tracks).toEqual(disc.tracks);
  });

  it('accepts one lead-out packet', () => {
    const r = readPqdescr(latin1(HAND_PQ.slice(0, 8).join('')), 'PQDESCR');
    expect(r.findings).toEqual([]);
    expect(r.layout.leadOut).toBe(1600);
  });

  it('accepts an ISRC on a track 02 packet only', () => {
    const p = hand();
    p[3] = setAt(p[3]!, 20, b(12));
    p[4] = setAt(p[4]!, 20, 'GBAYE2600002');
    const r = readPqdescr(latin1(p.join('')), 'PQDESCR');
    expect(r.findings).toEqual([]);
    expect(r.layout.tracks[1]!.isrc).toBe('GBAYE2600002');
  });

  it('accepts no UPC at all, or a UPC on another packet', () => {
    const p = hand();
    p[0] = setAt(p[0]!, 32, b(13));
    expect(readPqdescr(latin1(p.join('')), 'PQDESCR').layout.upc).toBeUndefined();
    p[7] = setAt(p[7]!, 32, '5012345678900');
    expect(readPqdescr(latin1(p.join('')), 'PQDESCR').layout.upc).toBe('5012345678900');
  });

  it('reports a size that is not a multiple of 64 and reads the whole packets', () => {
    const r = readPqdescr(latin1(HAND_PQ.join('') + 'VVVS00'), 'PQDESCR');
    expect(r.findings).toMatchObject([{ severity: 'error', code: 'pq-size', file: 'PQDESCR' }]);
    expect(r.layout.tracks).toEqual(disc.tracks);
    expect(codes(readPqdescr(Buffer.alloc(0), 'PQDESCR').findings)).toEqual(['pq-size', 'pq-lead-in', 'pq-lead-out', 'pq-track-count']);
  });

  it('reports a wrong marker and a non-ASCII byte with packet and offset', () => {
    const buf = latin1(HAND_PQ.join(''));
    buf[3 * 64 + 3] = 0x54; // VVVT
    buf[5 * 64 + 12] = 0xb0;
    const r = readPqdescr(buf, 'PQDESCR');
    expect(r.findings).toMatchObject([
      { code: 'pq-marker', packet: 3, offset: 192 },
      { code: 'pq-ascii', packet: 5, offset: 5 * 64 + 10, message: 'MSF: byte 0xB0 at position 2 is not printable ASCII' },
    ]);
  });

  it('reports track and time order', () => {
    const swapped = hand();
    [swapped[3], swapped[5]] = [swapped[5]!, swapped[3]!];
    const r = readPqdescr(latin1(swapped.join('')), 'PQDESCR');
    expect(codes(r.findings)).toContain('pq-track-order');

    const late = hand();
    late[4] = setAt(late[4]!, 10, '000600'); // track 2 index 02 before its index 01
    expect(readPqdescr(latin1(late.join('')), 'PQDESCR').findings).toMatchObject([{ code: 'pq-time-order', packet: 4 }]);

    const gap = hand().map((s) => (s.slice(4, 6) === '03' ? setAt(s, 4, '04') : s));
    expect(readPqdescr(latin1(gap.join('')), 'PQDESCR').findings).toMatchObject([{ code: 'pq-track-order', packet: 5 }]);

    const idx = hand();
    idx[4] = setAt(idx[4]!, 6, '01');
    expect(readPqdescr(latin1(idx.join('')), 'PQDESCR').findings).toMatchObject([{ code: 'pq-index-order', packet: 4 }]);
  });

  it('reports a missing lead-out, two lead-outs that disagree, a track without index 01', () => {
    expect(codes(readPqdescr(latin1(HAND_PQ.slice(0, 7).join('')), 'PQDESCR').findings)).toEqual(['pq-lead-out']);
    const two = hand();
    two[8] = setAt(two[8]!, 10, '002200');
    expect(codes(readPqdescr(latin1(two.join('')), 'PQDESCR').findings)).toEqual(['pq-lead-out']);
    const noStart = hand();
    noStart.splice(6, 1);
    const r = readPqdescr(latin1(noStart.join('')), 'PQDESCR');
    expect(codes(r.findings)).toEqual(['pq-index-order']);
    expect(r.layout.tracks.map((t) => t.number)).toEqual([1, 2]);
  });

  it('reports control bits that differ within a track, data tracks and bad CB1', () => {
    const p = hand();
    p[2] = setAt(p[2]!, 16, '01');
    expect(readPqdescr(latin1(p.join('')), 'PQDESCR').findings).toMatchObject([{ code: 'pq-flags', packet: 2 }]);
    const data = hand();
    data[6] = setAt(data[6]!, 16, '41');
    data[5] = setAt(data[5]!, 16, '41');
    expect(codes(readPqdescr(latin1(data.join('')), 'PQDESCR').findings)).toEqual(['pq-cb1', 'pq-cb1']);
    const junk = hand();
    junk[1] = setAt(junk[1]!, 16, '2X');
    expect(codes(readPqdescr(latin1(junk.join('')), 'PQDESCR').findings)).toEqual(['pq-cb1']);
  });

  it('reports malformed and duplicate ISRCs, a bad UPC check digit', () => {
    const p = hand();
    p[5] = setAt(p[5]!, 20, 'GBAYE26000X3');
    p[6] = setAt(p[6]!, 20, 'GBAYE26000X3');
    p[3] = setAt(p[3]!, 20, 'GBAYE2600001');
    p[0] = setAt(p[0]!, 32, '5012345678909');
    expect(readPqdescr(latin1(p.join('')), 'PQDESCR').findings).toMatchObject([
      { code: 'isrc-duplicate', packet: 3, message: 'track 2 has the same ISRC as track 1: GBAYE2600001' },
      { code: 'isrc-format', packet: 5 },
      { code: 'upc-check-digit', packet: 0, offset: 32 },
    ]);
    const two = hand();
    two[2] = setAt(two[2]!, 20, 'GBAYE2600009');
    expect(codes(readPqdescr(latin1(two.join('')), 'PQDESCR').findings)).toEqual(['isrc-conflict']);
  });

  it('reports a short disc pregap and a track under 4 seconds', () => {
    const p = hand();
    p[2] = setAt(p[2]!, 10, '000100');
    p[3] = setAt(p[3]!, 10, '000400'); // track 2 at 00:04:00 makes track 1 3 s long
    expect(codes(readPqdescr(latin1(p.join('')), 'PQDESCR').findings)).toEqual(['pq-pregap', 'pq-track-length']);
  });

  it('reads 99 tracks', () => {
    const many: Disc = {
      tracks: Array.from({ length: 99 }, (_, i) => ({
        number: i + 1,
        indexes: i === 0 ? [{ number: 0, frame: 0 }, { number: 1, frame: 150 }] : [{ number: 1, frame: 150 + i * 300 }],
        flags: { copyPermitted: false, preEmphasis: false, scms: false },
      })),
      leadOut: 150 + 99 * 300,
      spans: [],
    };
    const r = readPqdescr(writePqdescr(many), 'PQDESCR');
    expect(r.findings).toEqual([]);
    expect(r.layout.tracks).toEqual(many.tracks);
  });

  it('checks the layout against the image length', () => {
    const { layout } = readPqdescr(latin1(HAND_PQ.join('')), 'PQDESCR');
    expect(checkPqAgainstImage(layout, 1600, 'PQDESCR')).toEqual([]);
    expect(codes(checkPqAgainstImage(layout, 1601, 'PQDESCR'))).toEqual(['pq-lead-out']);
    expect(codes(checkPqAgainstImage(layout, 1100, 'PQDESCR'))).toEqual(['pq-lead-out', 'pq-time-range']);
  });
});

describe('flipped bytes', () => {
  // Every byte of each record, flipped to a value that is not printable ASCII, gives a finding and no exception.
  const cases: [string, string, (buf: Buffer) => Finding[]][] = [
    ['DDPID', HAND_DDPID, (buf) => readDdpid(buf, 'DDPID').findings],
    ['DDPMS', HAND_DDPMS.join(''), (buf) => readDdpms(buf, 'DDPMS').findings],
    ['PQDESCR', HAND_PQ.join(''), (buf) => readPqdescr(buf, 'PQDESCR').findings],
  ];
  for (const [name, text, read] of cases) {
    it(`${name}: every byte`, () => {
      for (let i = 0; i < text.length; i++) {
        for (const value of [0x00, 0x80, 0xff]) {
          const buf = latin1(text);
          buf[i] = value;
          const findings = read(buf);
          expect(findings.length, `byte ${i} = ${value}`).toBeGreaterThan(0);
          expect(findings.some((f) => f.offset !== undefined && f.offset <= i), `byte ${i}`).toBe(true);
        }
      }
    });
  }

  it('PQDESCR: digits changed to other digits never throw', () => {
    const text = HAND_PQ.join('');
    for (let i = 0; i < text.length; i++) {
      for (const c of ['9', '0', ' ', 'A']) {
        expect(() => readPqdescr(latin1(setAt(text, i, c)), 'PQDESCR')).not.toThrow();
      }
    }
  });
});
