import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { makeExampleAudio } from '../../examples/make-audio.js';

const manifestPath = fileURLToPath(new URL('../../examples/album.yaml', import.meta.url));

/** What the script promises to write, file by file (name, channels, bits, seconds). */
const expected = [
  { name: '01-dawn.wav', channels: 2, bits: 16, seconds: 8 },
  { name: '02-noon.wav', channels: 2, bits: 24, seconds: 8 },
  { name: '03-dusk.wav', channels: 1, bits: 16, seconds: 7.5 },
  { name: '04-night.wav', channels: 2, bits: 16, seconds: 6 },
] as const;

interface Header {
  riff: string;
  riffSize: number;
  wave: string;
  fmt: string;
  fmtSize: number;
  format: number;
  channels: number;
  sampleRate: number;
  byteRate: number;
  blockAlign: number;
  bitsPerSample: number;
  data: string;
  dataSize: number;
}

function readHeader(b: Buffer): Header {
  return {
    riff: b.toString('ascii', 0, 4),
    riffSize: b.readUInt32LE(4),
    wave: b.toString('ascii', 8, 12),
    fmt: b.toString('ascii', 12, 16),
    fmtSize: b.readUInt32LE(16),
    format: b.readUInt16LE(20),
    channels: b.readUInt16LE(22),
    sampleRate: b.readUInt32LE(24),
    byteRate: b.readUInt32LE(28),
    blockAlign: b.readUInt16LE(32),
    bitsPerSample: b.readUInt16LE(34),
    data: b.toString('ascii', 36, 40),
    dataSize: b.readUInt32LE(40),
  };
}

/** Largest absolute sample value of a PCM data block. */
function peak(data: Buffer, bytesPerSample: number): number {
  let max = 0;
  for (let i = 0; i + bytesPerSample <= data.length; i += bytesPerSample) max = Math.max(max, Math.abs(data.readIntLE(i, bytesPerSample)));
  return max;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

describe('examples/make-audio', () => {
  let dirA = '';
  let dirB = '';
  let pathsA: string[] = [];
  let pathsB: string[] = [];

  beforeAll(async () => {
    dirA = await mkdtemp(join(tmpdir(), 'ddpkit-example-a-'));
    dirB = await mkdtemp(join(tmpdir(), 'ddpkit-example-b-'));
    pathsA = await makeExampleAudio(dirA);
    pathsB = await makeExampleAudio(join(dirB, 'nested', 'audio'));
  });

  afterAll(async () => {
    await rm(dirA, { recursive: true, force: true });
    await rm(dirB, { recursive: true, force: true });
  });

  it('returns the paths it wrote, in track order', () => {
    expect(pathsA).toEqual(expected.map((e) => join(dirA, e.name)));
    expect(pathsB.map((p) => basename(p))).toEqual(expected.map((e) => e.name));
  });

  it('writes the same bytes every run', async () => {
    for (let i = 0; i < expected.length; i++) {
      const a = await readFile(pathsA[i]!);
      const b = await readFile(pathsB[i]!);
      expect(a.equals(b), expected[i]!.name).toBe(true);
    }
  });

  for (const e of expected) {
    it(`writes ${e.name}: ${e.channels} ch, ${e.bits}-bit, 44.1 kHz, ${e.seconds} s, peak about -6 dBFS`, async () => {
      const file = await readFile(join(dirA, e.name));
      const bytesPerSample = e.bits / 8;
      const blockAlign = e.channels * bytesPerSample;
      const dataSize = e.seconds * 44100 * blockAlign;
      expect(file.length).toBe(44 + dataSize);
      expect(readHeader(file)).toEqual({
        riff: 'RIFF',
        riffSize: 36 + dataSize,
        wave: 'WAVE',
        fmt: 'fmt ',
        fmtSize: 16,
        format: 1,
        channels: e.channels,
        sampleRate: 44100,
        byteRate: 44100 * blockAlign,
        blockAlign,
        bitsPerSample: e.bits,
        data: 'data',
        dataSize,
      });
      const full = 2 ** (e.bits - 1);
      const p = peak(file.subarray(44), bytesPerSample) / full;
      expect(p).toBeGreaterThan(0.49);
      expect(p).toBeLessThanOrEqual(0.5);
      // Starts and ends in silence (no clicks when a file is played on its own).
      expect(file.readIntLE(44, bytesPerSample)).toBe(0);
      expect(file.readIntLE(file.length - bytesPerSample, bytesPerSample)).toBe(0);
    });
  }

  it('makes exactly the files examples/album.yaml refers to', async () => {
    const doc: unknown = parse(await readFile(manifestPath, 'utf8'));
    expect(isRecord(doc)).toBe(true);
    const tracks = isRecord(doc) ? doc.tracks : undefined;
    expect(Array.isArray(tracks)).toBe(true);
    const files = (Array.isArray(tracks) ? (tracks as unknown[]) : []).map((t) => (isRecord(t) ? t.file : undefined));
    expect(files).toEqual(expected.map((e) => posix.join('audio', e.name)));
  });
});
