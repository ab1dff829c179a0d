import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFrames, isPassThrough16 } from '../../src/audio/convert.js';
import { readWavHeader } from '../../src/audio/wav.js';
import type { SourceFormat } from '../../src/disc/model.js';
import { fmtChunk, makeTempDir, removeTempDir, riff, subtypeGuid, wavefileBytes, writeFixture } from './fixtures.js';

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir();
});
afterAll(async () => {
  await removeTempDir(dir);
});

let counter = 0;
/** Writes a file, reads its header with readWavHeader and decodes its whole data chunk. */
async function decodeFile(bytes: Buffer): Promise<{ format: SourceFormat; values: number[] }> {
  const format = await readWavHeader(await writeFixture(dir, `c${counter++}.wav`, bytes));
  const out = new Float64Array(format.frameCount * 2);
  decodeFrames(bytes.subarray(format.dataOffset, format.dataOffset + format.dataLength), format, out);
  return { format, values: [...out] };
}

describe('decodeFrames', () => {
  it('16-bit stereo as it is', async () => {
    const { values } = await decodeFile(wavefileBytes(2, 44100, '16', [0, -1, 32767, -32768, 1234, -1234]));
    expect(values).toEqual([0, -1, 32767, -32768, 1234, -1234]);
  });

  it('8-bit unsigned widened losslessly: 0 → −32768, 128 → 0, 255 → 32512', async () => {
    const { values } = await decodeFile(wavefileBytes(2, 44100, '8', [0, 255, 128, 129]));
    expect(values).toEqual([-32768, 32512, 0, 256]);
  });

  it('24-bit keeps its low 8 bits as a fraction', async () => {
    const { values } = await decodeFile(wavefileBytes(2, 44100, '24', [0x7fffff, -0x800000, 1, -1]));
    expect(values).toEqual([32767.99609375, -32768, 1 / 256, -1 / 256]);
  });

  it('16-bit values in a 24-bit container come out as exact integers', async () => {
    const { values } = await decodeFile(wavefileBytes(2, 44100, '24', [1000 * 256, -5 * 256, 32767 * 256, -32768 * 256]));
    expect(values).toEqual([1000, -5, 32767, -32768]);
    expect(values.every((v) => Number.isInteger(v))).toBe(true);
  });

  it('32-bit integer keeps its low 16 bits as a fraction', async () => {
    const { values } = await decodeFile(wavefileBytes(2, 44100, '32', [0x7fffffff, -0x80000000, 77 * 65536, 1]));
    expect(values).toEqual([32767 + 65535 / 65536, -32768, 77, 1 / 65536]);
  });

  it('32-bit float: 1.0 is 32768', async () => {
    const { values } = await decodeFile(wavefileBytes(2, 44100, '32f', [0.5, -1, 1, 12345 / 32768, 0, -0.25]));
    expect(values).toEqual([16384, -32768, 32768, 12345, 0, -8192]);
  });

  it('64-bit float', async () => {
    const { values } = await decodeFile(wavefileBytes(2, 44100, '64', [0.5, -0.25, 3 / 32768, 0.1]));
    expect(values).toEqual([16384, -8192, 3, 0.1 * 32768]);
  });

  it('copies mono to both channels', async () => {
    expect((await decodeFile(wavefileBytes(1, 44100, '16', [5, -5, 7]))).values).toEqual([5, 5, -5, -5, 7, 7]);
    expect((await decodeFile(wavefileBytes(1, 44100, '8', [0, 255]))).values).toEqual([-32768, -32768, 32512, 32512]);
    expect((await decodeFile(wavefileBytes(1, 44100, '24', [256, 0x7fffff]))).values).toEqual([1, 1, 32767.99609375, 32767.99609375]);
    expect((await decodeFile(wavefileBytes(1, 44100, '32', [65536 * 3]))).values).toEqual([3, 3]);
    expect((await decodeFile(wavefileBytes(1, 44100, '32f', [0.5]))).values).toEqual([16384, 16384]);
    expect((await decodeFile(wavefileBytes(1, 44100, '64', [-0.5]))).values).toEqual([-16384, -16384]);
  });

  it('decodes WAVE_FORMAT_EXTENSIBLE 24-bit and float like the plain forms', async () => {
    const samples24 = Buffer.from([0xff, 0xff, 0x7f, 0x00, 0x01, 0x00]);
    const int = riff([fmtChunk({ tag: 0xfffe, channels: 2, bits: 24, extensible: { guid: subtypeGuid(1) } }), { id: 'data', body: samples24 }]);
    expect((await decodeFile(int)).values).toEqual([32767.99609375, 1]);
    const f = Buffer.alloc(8);
    f.writeFloatLE(0.5, 0);
    f.writeFloatLE(-1, 4);
    const float = riff([fmtChunk({ tag: 0xfffe, channels: 2, bits: 32, extensible: { guid: subtypeGuid(3) } }), { id: 'data', body: f }]);
    expect((await decodeFile(float)).values).toEqual([16384, -32768]);
  });

  it('writes from outOffset on and leaves the rest alone', async () => {
    const bytes = wavefileBytes(2, 44100, '16', [1, 2, 3, 4]);
    const format = await readWavHeader(await writeFixture(dir, 'offset.wav', bytes));
    const out = new Float64Array(8).fill(99);
    decodeFrames(bytes.subarray(44), format, out, 2);
    expect([...out]).toEqual([99, 99, 1, 2, 3, 4, 99, 99]);
  });

  it('reads from a view at an odd byte offset (Buffer pool slices)', async () => {
    const bytes = wavefileBytes(2, 44100, '32f', [0.25, -0.5]);
    const format = await readWavHeader(await writeFixture(dir, 'odd-offset.wav', bytes));
    const shifted = Buffer.concat([Buffer.from([0xaa]), bytes.subarray(44)]).subarray(1);
    expect(shifted.byteOffset % 4).not.toBe(0);
    const out = new Float64Array(2);
    decodeFrames(shifted, format, out);
    expect([...out]).toEqual([8192, -16384]);
  });

  it('refuses partial frames and a too-small output', async () => {
    const format = await readWavHeader(await writeFixture(dir, 'small.wav', wavefileBytes(2, 44100, '16', [1, 2])));
    expect(() => {
      decodeFrames(new Uint8Array(6), format, new Float64Array(4));
    }).toThrow(RangeError);
    expect(() => {
      decodeFrames(new Uint8Array(8), format, new Float64Array(3));
    }).toThrow(RangeError);
  });
});

describe('isPassThrough16', () => {
  const base: SourceFormat = { sampleFormat: 'int', bitsPerSample: 16, channels: 2, sampleRate: 44100, dataOffset: 44, dataLength: 4, blockAlign: 4, frameCount: 1 };
  it('is true only for 16-bit integer stereo', () => {
    expect(isPassThrough16(base)).toBe(true);
    expect(isPassThrough16({ ...base, channels: 1, blockAlign: 2 })).toBe(false);
    expect(isPassThrough16({ ...base, bitsPerSample: 24, blockAlign: 6 })).toBe(false);
    expect(isPassThrough16({ ...base, sampleFormat: 'float', bitsPerSample: 32, blockAlign: 8 })).toBe(false);
  });
});
