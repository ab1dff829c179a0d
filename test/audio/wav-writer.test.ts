import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WAV_MAX_DATA_BYTES, wavHeader } from '../../src/audio/wav-writer.js';
import { readWavHeader } from '../../src/audio/wav.js';
import { DdpkitError } from '../../src/errors.js';
import { makeTempDir, removeTempDir, wavefileBytes, writeFixture } from './fixtures.js';

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir();
});
afterAll(async () => {
  await removeTempDir(dir);
});

describe('wavHeader', () => {
  it('writes the canonical 44-byte header for Red Book audio', () => {
    expect(wavHeader(2352).toString('hex')).toBe(
      '52494646' + '54090000' + '57415645' + '666d7420' + '10000000' + '0100' + '0200' + '44ac0000' + '10b10200' + '0400' + '1000' + '64617461' + '30090000',
    );
  });

  it('matches the header wavefile writes for the same audio', () => {
    const samples = [1, -1, 2, -2, 3, -3];
    expect(wavHeader(12).equals(wavefileBytes(2, 44100, '16', samples).subarray(0, 44))).toBe(true);
    expect(wavHeader(6, { channels: 1, bitsPerSample: 24, sampleRate: 48000 }).equals(wavefileBytes(1, 48000, '24', [1, 2]).subarray(0, 44))).toBe(true);
  });

  it('reads back through readWavHeader', async () => {
    const audio = Buffer.alloc(588 * 4 * 3, 0x11);
    const path = await writeFixture(dir, 'out.wav', Buffer.concat([wavHeader(audio.length), audio]));
    expect(await readWavHeader(path)).toEqual({
      sampleFormat: 'int',
      bitsPerSample: 16,
      channels: 2,
      sampleRate: 44100,
      dataOffset: 44,
      dataLength: audio.length,
      blockAlign: 4,
      frameCount: 588 * 3,
    });
  });

  it('counts the pad byte after odd-sized data in the RIFF size', () => {
    const h = wavHeader(3, { channels: 1, bitsPerSample: 8 });
    expect(h.readUInt32LE(4)).toBe(36 + 4);
    expect(h.readUInt32LE(40)).toBe(3);
  });

  it('refuses data a RIFF file cannot describe', () => {
    expect(WAV_MAX_DATA_BYTES).toBe(0xffffffff - 37);
    expect(wavHeader(WAV_MAX_DATA_BYTES).readUInt32LE(4)).toBe(0xfffffffe);
    expect(wavHeader(WAV_MAX_DATA_BYTES - 1).readUInt32LE(4)).toBe(0xfffffffe);
    let err: unknown;
    try {
      wavHeader(WAV_MAX_DATA_BYTES + 1);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DdpkitError);
    expect((err as DdpkitError).message).toBe('a WAV file holds at most 4294967258 bytes of audio, this one would need 4294967259');
    expect(() => wavHeader(-1)).toThrow(RangeError);
    expect(() => wavHeader(4, { bitsPerSample: 12 })).toThrow(RangeError);
    expect(() => wavHeader(4, { channels: 0 })).toThrow(RangeError);
  });
});
