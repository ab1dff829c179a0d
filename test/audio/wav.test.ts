import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWavHeader } from '../../src/audio/wav.js';
import type { SourceFormat } from '../../src/disc/model.js';
import { DdpkitError } from '../../src/errors.js';
import { type Chunk, chunkList, fmtChunk, insertChunkBefore, makeTempDir, removeTempDir, riff, subtypeGuid, wavefileBytes, writeFixture } from './fixtures.js';

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir();
});
afterAll(async () => {
  await removeTempDir(dir);
});

let counter = 0;
async function headerOf(bytes: Uint8Array): Promise<SourceFormat> {
  return readWavHeader(await writeFixture(dir, `f${counter++}.wav`, bytes));
}

/** Writes the bytes and expects readWavHeader to refuse them with exactly `message` (after "<path>: "). */
async function expectRefusal(bytes: Uint8Array, message: string): Promise<void> {
  const path = await writeFixture(dir, `bad${counter++}.wav`, bytes);
  await expectError(path, `${path}: ${message}`);
}

async function expectError(path: string, message: string): Promise<void> {
  const err: unknown = await readWavHeader(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DdpkitError);
  expect((err as DdpkitError).code).toBe('wav');
  expect((err as DdpkitError).message).toBe(message);
}

const data = (bytes: number[] | Buffer, size?: number): Chunk => ({ id: 'data', body: Buffer.from(bytes), ...(size === undefined ? {} : { size }) });
const pcm16 = fmtChunk({ tag: 1, channels: 2, bits: 16 });

describe('readWavHeader: formats written by wavefile', () => {
  const cases: { name: string; channels: number; depth: string; samples: number[]; format: Omit<SourceFormat, 'dataOffset' | 'dataLength' | 'frameCount'> }[] = [
    { name: '8-bit mono', channels: 1, depth: '8', samples: [0, 128, 255], format: { sampleFormat: 'int', bitsPerSample: 8, channels: 1, sampleRate: 44100, blockAlign: 1 } },
    { name: '16-bit stereo', channels: 2, depth: '16', samples: [0, -1, 32767, -32768], format: { sampleFormat: 'int', bitsPerSample: 16, channels: 2, sampleRate: 44100, blockAlign: 4 } },
    { name: '16-bit mono', channels: 1, depth: '16', samples: [1, 2, 3], format: { sampleFormat: 'int', bitsPerSample: 16, channels: 1, sampleRate: 44100, blockAlign: 2 } },
    { name: '24-bit stereo', channels: 2, depth: '24', samples: [1, 2, 3, 4, 5, 6], format: { sampleFormat: 'int', bitsPerSample: 24, channels: 2, sampleRate: 44100, blockAlign: 6 } },
    { name: '32-bit integer stereo', channels: 2, depth: '32', samples: [1, 2], format: { sampleFormat: 'int', bitsPerSample: 32, channels: 2, sampleRate: 44100, blockAlign: 8 } },
    { name: '32-bit float stereo', channels: 2, depth: '32f', samples: [0.5, -0.5, 0, 1], format: { sampleFormat: 'float', bitsPerSample: 32, channels: 2, sampleRate: 44100, blockAlign: 8 } },
    { name: '64-bit float mono', channels: 1, depth: '64', samples: [0.5, -0.5], format: { sampleFormat: 'float', bitsPerSample: 64, channels: 1, sampleRate: 44100, blockAlign: 8 } },
  ];
  for (const c of cases) {
    it(`reads ${c.name}`, async () => {
      const bytes = wavefileBytes(c.channels, 44100, c.depth, c.samples);
      const dataChunk = chunkList(bytes).find((ch) => ch.id === 'data')!;
      const dataLength = c.samples.length * (c.format.blockAlign / c.channels);
      expect(dataChunk.body).toBe(44); // a plain 16-byte fmt chunk
      expect(await headerOf(bytes)).toEqual({ ...c.format, dataOffset: 44, dataLength, frameCount: c.samples.length / c.channels });
    });
  }

  it('returns any sample rate as it is (the manifest layer judges it)', async () => {
    expect((await headerOf(wavefileBytes(2, 48000, '16', [1, 2]))).sampleRate).toBe(48000);
  });

  it('skips a LIST chunk before data, odd size padded', async () => {
    const plain = wavefileBytes(2, 44100, '16', [1, 2, 3, 4]);
    // "INFO" + ICMT sub-chunk of 5 bytes: body of 4 + 8 + 5 = 17 bytes, one pad byte.
    const info = Buffer.concat([Buffer.from('INFOICMT'), Buffer.from([5, 0, 0, 0]), Buffer.from('hey!\0')]);
    const bytes = insertChunkBefore(plain, 'data', { id: 'LIST', body: info });
    expect(info.length).toBe(17);
    expect(await headerOf(bytes)).toMatchObject({ dataOffset: 44 + 8 + 18, dataLength: 8, frameCount: 2 });
  });

  it('skips odd-sized chunks before fmt (bext, JUNK)', async () => {
    let bytes = wavefileBytes(2, 44100, '24', [1, 2, 3, 4]);
    bytes = insertChunkBefore(bytes, 'fmt ', { id: 'bext', body: Buffer.alloc(603, 0x41) });
    bytes = insertChunkBefore(bytes, 'fmt ', { id: 'JUNK', body: Buffer.alloc(5) });
    expect(await headerOf(bytes)).toMatchObject({ bitsPerSample: 24, dataOffset: 12 + (8 + 604) + (8 + 6) + (8 + 16) + 8, dataLength: 12, frameCount: 2 });
  });
});

describe('readWavHeader: hand-made headers', () => {
  it('resolves WAVE_FORMAT_EXTENSIBLE with the PCM sub-format', async () => {
    const fmt = fmtChunk({ tag: 0xfffe, channels: 2, bits: 24, extensible: { guid: subtypeGuid(1) } });
    expect(await headerOf(riff([fmt, data(Buffer.alloc(12))]))).toEqual({
      sampleFormat: 'int',
      bitsPerSample: 24,
      channels: 2,
      sampleRate: 44100,
      dataOffset: 12 + 48 + 8,
      dataLength: 12,
      blockAlign: 6,
      frameCount: 2,
    });
  });

  it('resolves WAVE_FORMAT_EXTENSIBLE with the IEEE float sub-format, mono', async () => {
    const fmt = fmtChunk({ tag: 0xfffe, channels: 1, bits: 32, extensible: { guid: subtypeGuid(3) } });
    expect(await headerOf(riff([fmt, data(Buffer.alloc(12))]))).toMatchObject({ sampleFormat: 'float', bitsPerSample: 32, channels: 1, blockAlign: 4, frameCount: 3 });
  });

  it('reads 20 valid bits in a 24-bit extensible container as 24-bit (samples are left-justified)', async () => {
    const fmt = fmtChunk({ tag: 0xfffe, channels: 2, bits: 24, extensible: { validBits: 20, guid: subtypeGuid(1) } });
    expect(await headerOf(riff([fmt, data(Buffer.alloc(6))]))).toMatchObject({ sampleFormat: 'int', bitsPerSample: 24, frameCount: 1 });
  });

  it('accepts an 18-byte fmt chunk (cbSize 0) and a fact chunk', async () => {
    const fmt = fmtChunk({ tag: 3, channels: 2, bits: 32, extraBytes: 2 });
    const fact: Chunk = { id: 'fact', body: Buffer.from([1, 0, 0, 0]) };
    expect(await headerOf(riff([fmt, fact, data(Buffer.alloc(8))]))).toMatchObject({ sampleFormat: 'float', dataOffset: 12 + 26 + 12 + 8, frameCount: 1 });
  });

  it('finds a fmt chunk that comes after the data chunk', async () => {
    expect(await headerOf(riff([data(Buffer.alloc(8)), pcm16]))).toMatchObject({ dataOffset: 20, dataLength: 8, frameCount: 2, bitsPerSample: 16 });
  });

  it('takes an odd data size (8-bit mono) without its pad byte at the end of the file', async () => {
    const bytes = riff([fmtChunk({ tag: 1, channels: 1, bits: 8 }), data([1, 2, 3])]).subarray(0, -1);
    expect(await headerOf(bytes)).toMatchObject({ dataOffset: 44, dataLength: 3, frameCount: 3 });
  });

  it('ignores a stale RIFF size', async () => {
    expect(await headerOf(riff([pcm16, data(Buffer.alloc(8))], { riffSize: 20 }))).toMatchObject({ frameCount: 2 });
  });

  it('reads only the header of a 700 MB file (sparse, never read)', async () => {
    const dataBytes = 700 * 1024 * 1024;
    const head = riff([pcm16, { id: 'data', body: Buffer.alloc(0), size: dataBytes }], { riffSize: 36 + dataBytes });
    const path = await writeFixture(dir, 'big.wav', head);
    const fh = await open(path, 'r+');
    await fh.truncate(head.length + dataBytes);
    await fh.close();
    expect(await readWavHeader(path)).toMatchObject({ dataOffset: 44, dataLength: dataBytes, frameCount: dataBytes / 4 });
  });
});

describe('readWavHeader: refusals', () => {
  it('a missing file', async () => {
    const path = join(dir, 'nope.wav');
    await expectError(path, `${path}: file not found`);
  });

  it('a folder', async () => {
    const path = join(dir, 'folder.wav');
    await mkdir(path);
    await expectError(path, `${path}: cannot read the file (not a regular file)`);
  });

  it('not a RIFF/WAVE file', async () => {
    await expectRefusal(Buffer.from('ID3\x04 this is an mp3 file, honest'), 'not a WAV file (no RIFF/WAVE header)');
    await expectRefusal(Buffer.alloc(0), 'not a WAV file (no RIFF/WAVE header)');
    await expectRefusal(Buffer.from('RIFF\x04\0\0\0WA'), 'not a WAV file (no RIFF/WAVE header)');
    await expectRefusal(riff([pcm16], { form: 'AVI ' }), 'not a WAV file (no RIFF/WAVE header)');
  });

  it('RIFX and RF64 containers', async () => {
    await expectRefusal(riff([pcm16, data([0, 0, 0, 0])], { container: 'RIFX' }), 'big-endian RIFX WAV files are not supported (save it as a standard WAV)');
    await expectRefusal(riff([pcm16, data([0, 0, 0, 0])], { container: 'RF64', riffSize: 0xffffffff }), 'RF64 WAV files are not supported (save it as a standard WAV)');
  });

  it('no fmt chunk', async () => {
    await expectRefusal(riff([data([0, 0, 0, 0])]), 'WAV file has no fmt chunk');
  });

  it('no data chunk', async () => {
    await expectRefusal(riff([pcm16, { id: 'LIST', body: Buffer.from('INFO') }]), 'WAV file has no data chunk');
  });

  it('a truncated header', async () => {
    const whole = riff([pcm16, data([0, 0, 0, 0])]);
    await expectRefusal(whole.subarray(0, 30), "truncated or corrupt WAV header (the file ends inside the 'fmt ' chunk)");
    await expectRefusal(whole.subarray(0, 16), 'truncated or corrupt WAV header (the file ends inside a chunk header)');
    await expectRefusal(riff([{ id: 'LIST', body: Buffer.alloc(4), size: 400 }]), "truncated or corrupt WAV header (the file ends inside the 'LIST' chunk)");
    await expectRefusal(riff([{ id: 'fmt ', body: Buffer.alloc(14) }, data([0, 0])]), 'truncated or corrupt WAV header (fmt chunk is 14 bytes, needs at least 16)');
    const shortExtensible = fmtChunk({ tag: 0xfffe, channels: 2, bits: 16, extraBytes: 8 });
    await expectRefusal(riff([shortExtensible, data([0, 0, 0, 0])]), 'truncated or corrupt WAV header (WAVE_FORMAT_EXTENSIBLE fmt chunk is 24 bytes, needs 40)');
  });

  it('unsupported format tags', async () => {
    const supported = 'supported are PCM (0x0001), IEEE float (0x0003) and WAVE_FORMAT_EXTENSIBLE (0xFFFE) carrying one of them';
    await expectRefusal(riff([fmtChunk({ tag: 2, channels: 2, bits: 4, blockAlign: 2048 }), data(Buffer.alloc(2048))]), `unsupported WAV encoding: format tag 0x0002 (Microsoft ADPCM); ${supported}`);
    await expectRefusal(riff([fmtChunk({ tag: 0x55, channels: 2, bits: 0, blockAlign: 1 }), data([0])]), `unsupported WAV encoding: format tag 0x0055 (MP3); ${supported}`);
    await expectRefusal(riff([fmtChunk({ tag: 0x1234, channels: 2, bits: 16 }), data([0, 0, 0, 0])]), `unsupported WAV encoding: format tag 0x1234; ${supported}`);
  });

  it('unsupported WAVE_FORMAT_EXTENSIBLE sub-formats', async () => {
    const alaw = fmtChunk({ tag: 0xfffe, channels: 2, bits: 8, extensible: { guid: subtypeGuid(6) } });
    await expectRefusal(riff([alaw, data([0, 0])]), 'unsupported WAV encoding: WAVE_FORMAT_EXTENSIBLE with sub-format 0x0006 (A-law); supported are PCM and IEEE float');
    // Same first word as the PCM sub-format, but not built on the KSDATAFORMAT base GUID.
    const foreign = Buffer.from('01000000211107d3a1760004ac9e6e17', 'hex');
    const fmt = fmtChunk({ tag: 0xfffe, channels: 2, bits: 16, extensible: { guid: foreign } });
    await expectRefusal(
      riff([fmt, data([0, 0, 0, 0])]),
      'unsupported WAV encoding: WAVE_FORMAT_EXTENSIBLE with sub-format GUID {00000001-1121-D307-A176-0004AC9E6E17}; supported are PCM and IEEE float',
    );
  });

  it('unsupported bit depths', async () => {
    const supported = 'supported are 8, 16, 24 and 32-bit integer PCM and 32 and 64-bit float';
    await expectRefusal(riff([fmtChunk({ tag: 1, channels: 2, bits: 12, blockAlign: 4 }), data([0, 0, 0, 0])]), `unsupported WAV encoding: 12-bit integer PCM; ${supported}`);
    await expectRefusal(riff([fmtChunk({ tag: 3, channels: 2, bits: 16 }), data([0, 0, 0, 0])]), `unsupported WAV encoding: 16-bit float; ${supported}`);
    const ext20 = fmtChunk({ tag: 0xfffe, channels: 2, bits: 20, blockAlign: 6, extensible: { guid: subtypeGuid(1) } });
    await expectRefusal(riff([ext20, data(Buffer.alloc(6))]), `unsupported WAV encoding: 20-bit integer PCM; ${supported}`);
  });

  it('unsupported channel counts', async () => {
    await expectRefusal(riff([fmtChunk({ tag: 1, channels: 6, bits: 16 }), data(Buffer.alloc(12))]), 'unsupported channel count: 6 channels; only mono and stereo sources are supported');
    await expectRefusal(riff([fmtChunk({ tag: 1, channels: 0, bits: 16, blockAlign: 2 }), data(Buffer.alloc(2))]), 'unsupported channel count: 0 channels; only mono and stereo sources are supported');
  });

  it('a block align that does not match channels × bits / 8', async () => {
    await expectRefusal(riff([fmtChunk({ tag: 1, channels: 2, bits: 16, blockAlign: 6 }), data(Buffer.alloc(12))]), 'corrupt WAV header (block align is 6 bytes, but 2 channels of 16 bits need 4)');
    await expectRefusal(riff([fmtChunk({ tag: 1, channels: 1, bits: 24, blockAlign: 4 }), data(Buffer.alloc(12))]), 'corrupt WAV header (block align is 4 bytes, but 1 channel of 24 bits needs 3)');
  });

  it('a data chunk running past the end of the file', async () => {
    await expectRefusal(riff([pcm16, data(Buffer.alloc(8), 4000)]), 'truncated or corrupt WAV file (the data chunk says 4000 bytes, but the file holds only 8)');
    // ... even when it hides the fmt chunk after it.
    await expectRefusal(riff([data(Buffer.alloc(8), 4000), pcm16]), 'truncated or corrupt WAV file (the data chunk says 4000 bytes, but the file holds only 32)');
  });

  it('a data size that is not whole sample frames', async () => {
    await expectRefusal(riff([pcm16, data(Buffer.alloc(10))]), 'truncated or corrupt WAV file (data size 10 bytes is not a whole number of 4-byte sample frames)');
    await expectRefusal(riff([fmtChunk({ tag: 1, channels: 2, bits: 24 }), data(Buffer.alloc(8))]), 'truncated or corrupt WAV file (data size 8 bytes is not a whole number of 6-byte sample frames)');
  });

  it('RIFF or data sizes of 0 or 0xFFFFFFFF', async () => {
    await expectRefusal(riff([pcm16, data(Buffer.alloc(4))], { riffSize: 0 }), 'truncated or corrupt WAV file (RIFF size is 0)');
    await expectRefusal(riff([pcm16, data(Buffer.alloc(4))], { riffSize: 0xffffffff }), 'truncated or corrupt WAV file (RIFF size is 0xFFFFFFFF)');
    await expectRefusal(riff([pcm16, data([])]), 'truncated or corrupt WAV file (data size is 0)');
    await expectRefusal(riff([pcm16, data(Buffer.alloc(4), 0xffffffff)]), 'truncated or corrupt WAV file (data size is 0xFFFFFFFF)');
  });
});
