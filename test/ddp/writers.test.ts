import { describe, expect, it } from 'vitest';
import { writeDdpid } from '../../src/ddp/ddpid.js';
import { writeDdpms } from '../../src/ddp/ddpms.js';
import { cb1, writePqdescr } from '../../src/ddp/pqdescr.js';
import { DdpkitError } from '../../src/errors.js';
import { HAND_DDPID, HAND_DDPMS, HAND_PQ, b, handDisc, msPacket } from './fixture.js';

describe('hand-written records are what formats.md says', () => {
  it('has 128-byte DDPID and DDPMS packets and 64-byte PQ packets', () => {
    expect(HAND_DDPID).toHaveLength(128);
    for (const p of HAND_DDPMS) expect(p).toHaveLength(128);
    for (const p of HAND_PQ) expect(p).toHaveLength(64);
  });
});

describe('writeDdpid', () => {
  it('writes level, UPC, master ID and type CD', () => {
    expect(writeDdpid(handDisc()).toString('latin1')).toBe(HAND_DDPID);
  });

  it('leaves UPC and master ID blank when the disc has none', () => {
    const disc = { ...handDisc(), upc: undefined, masterId: undefined };
    expect(writeDdpid(disc).toString('latin1')).toBe('DDP 2.00' + b(79) + 'CD' + b(39));
  });

  it('refuses a master ID longer than 48 characters or not ASCII', () => {
    expect(() => writeDdpid({ ...handDisc(), masterId: 'x'.repeat(49) })).toThrow(DdpkitError);
    expect(() => writeDdpid({ ...handDisc(), masterId: 'Café' })).toThrow(/printable ASCII/);
  });
});

describe('writeDdpms', () => {
  it('writes CD-Text S0, PQ S0, then the D0 image packet', () => {
    const out = writeDdpms({ imageFrames: 1600, pregapFrames: 150, pqBytes: 576, cdTextBytes: 216 });
    expect(out.toString('latin1')).toBe(HAND_DDPMS.join(''));
  });

  it('leaves the CD-Text packet out when there is no CD-Text', () => {
    const out = writeDdpms({ imageFrames: 1600, pregapFrames: 150, pqBytes: 576 });
    expect(out.toString('latin1')).toBe(HAND_DDPMS.slice(1).join(''));
    expect(writeDdpms({ imageFrames: 1600, pregapFrames: 150, pqBytes: 576, cdTextBytes: 0 })).toHaveLength(256);
  });

  it('writes the largest PRE2 (hidden track one of 2 min 13 s)', () => {
    const out = writeDdpms({ imageFrames: 333000, pregapFrames: 9999, pqBytes: 640 });
    expect(out.subarray(128).toString('latin1')).toBe(
      msPacket({ dst: 'D0', dsl: '  333000', cdm: 'DA', ssm: '7', scr: '0', pre2: '9999', dsi: 'IMAGE.DAT' }),
    );
  });

  it('refuses a disc pregap over 9999 frames, naming the hidden track', () => {
    const thrown = ((): unknown => {
      try {
        writeDdpms({ imageFrames: 333000, pregapFrames: 10000, pqBytes: 640 });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(thrown).toBeInstanceOf(DdpkitError);
    expect(thrown).toMatchObject({ code: 'ddp', message: expect.stringMatching(/frame 10000, hidden track included.*shorten the hidden track/) as unknown });
  });

  it('refuses a length that does not fit its field', () => {
    expect(() => writeDdpms({ imageFrames: 100_000_000, pregapFrames: 150, pqBytes: 640 })).toThrow('ddpms DSL: 100000000 does not fit in 8 digits');
  });
});

describe('writePqdescr', () => {
  it('writes lead-in with UPC, each index point, ISRC on 00 and 01, CB1 per track, lead-out twice', () => {
    expect(writePqdescr(handDisc()).toString('latin1')).toBe(HAND_PQ.join(''));
  });

  it('adds track 1 index 00 at 00:00:00 when the disc lacks it', () => {
    const disc = handDisc();
    disc.tracks[0]!.indexes.shift();
    expect(writePqdescr(disc).toString('latin1')).toBe(HAND_PQ.join(''));
  });

  it('leaves the lead-in UPC blank without a UPC', () => {
    const out = writePqdescr({ ...handDisc(), upc: undefined }).toString('latin1');
    expect(out.slice(0, 64)).toBe('VVVS' + '00' + '00' + b(2) + '000000' + '01' + b(2) + b(12) + b(13) + b(19));
  });

  it('writes CB1 for every flag combination', () => {
    const f = (copyPermitted: boolean, preEmphasis: boolean, scms: boolean): string => cb1({ copyPermitted, preEmphasis, scms });
    expect([f(false, false, false), f(false, true, false), f(true, false, false), f(true, true, false), f(false, false, true), f(false, true, true)]).toEqual([
      '01',
      '11',
      '21',
      '31',
      '0S',
      '1S',
    ]);
  });

  it('refuses a time past 99:59:74', () => {
    expect(() => writePqdescr({ ...handDisc(), leadOut: 450_000 })).toThrow(/99:59:74/);
  });
});
