// WAV fixtures for the audio tests: the `wavefile` package writes the ordinary files (an independent
// encoder), and a small RIFF builder makes what it cannot: extensible headers, extra chunks before
// `data`, odd sizes and every kind of damage.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wavefile from 'wavefile';

const { WaveFile } = wavefile;

/** A fresh temporary folder for one test file's fixtures. */
export async function makeTempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'ddpkit-audio-'));
}

/** Removes a folder made by `makeTempDir`. */
export async function removeTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Writes bytes to `dir/name` and returns the path. */
export async function writeFixture(dir: string, name: string, bytes: Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

/** A WAV file as `wavefile` writes it (bit depth codes '8', '16', '24', '32', '32f', '64'; samples interleaved). */
export function wavefileBytes(channels: number, sampleRate: number, depth: string, samples: number[]): Buffer {
  const w = new WaveFile();
  w.fromScratch(channels, sampleRate, depth, samples);
  return Buffer.from(w.toBuffer());
}

/** One RIFF chunk; `size` overrides the declared size (to make damaged files). */
export interface Chunk {
  id: string;
  body: Uint8Array;
  size?: number;
}

/** A RIFF file from chunks, each odd-length body followed by its pad byte. */
export function riff(chunks: Chunk[], opts: { container?: string; form?: string; riffSize?: number } = {}): Buffer {
  const parts: Buffer[] = [];
  for (const c of chunks) {
    const head = Buffer.alloc(8);
    head.write(c.id, 0, 'latin1');
    head.writeUInt32LE(c.size ?? c.body.length, 4);
    parts.push(head, Buffer.from(c.body));
    if (c.body.length % 2 === 1) parts.push(Buffer.alloc(1));
  }
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(12);
  head.write(opts.container ?? 'RIFF', 0, 'latin1');
  head.writeUInt32LE(opts.riffSize ?? body.length + 4, 4);
  head.write(opts.form ?? 'WAVE', 8, 'latin1');
  return Buffer.concat([head, body]);
}

/** The KSDATAFORMAT_SUBTYPE GUID of a format tag, as stored in a file. */
export function subtypeGuid(tag: number): Buffer {
  const g = Buffer.from('0000000000001000800000aa00389b71', 'hex');
  g.writeUInt32LE(tag, 0);
  return g;
}

/** Fields of a hand-made fmt chunk. */
export interface FmtFields {
  tag: number;
  channels: number;
  sampleRate?: number;
  bits: number;
  blockAlign?: number;
  /** WAVE_FORMAT_EXTENSIBLE tail: valid bits and the sub-format GUID (16 bytes). */
  extensible?: { validBits?: number; guid: Uint8Array };
  /** Bytes after the 16-byte core when not extensible (e.g. 2 for a cbSize of 0). */
  extraBytes?: number;
}

/** A fmt chunk: 16 bytes, or 40 with an extensible tail. */
export function fmtChunk(f: FmtFields): Chunk {
  const rate = f.sampleRate ?? 44100;
  const blockAlign = f.blockAlign ?? f.channels * (f.bits / 8);
  const body = Buffer.alloc(f.extensible ? 40 : 16 + (f.extraBytes ?? 0));
  body.writeUInt16LE(f.tag, 0);
  body.writeUInt16LE(f.channels, 2);
  body.writeUInt32LE(rate, 4);
  body.writeUInt32LE(rate * blockAlign, 8);
  body.writeUInt16LE(blockAlign, 12);
  body.writeUInt16LE(f.bits, 14);
  if (f.extensible) {
    body.writeUInt16LE(22, 16);
    body.writeUInt16LE(f.extensible.validBits ?? f.bits, 18);
    body.writeUInt32LE(f.channels === 1 ? 0x4 : 0x3, 20);
    Buffer.from(f.extensible.guid).copy(body, 24);
  }
  return { id: 'fmt ', body };
}

/** Where each chunk of a RIFF file starts (its header) and its body, in file order. */
export function chunkList(wav: Uint8Array): { id: string; header: number; body: number; size: number }[] {
  const b = Buffer.from(wav.buffer, wav.byteOffset, wav.byteLength);
  const out: { id: string; header: number; body: number; size: number }[] = [];
  for (let pos = 12; pos + 8 <= b.length; ) {
    const size = b.readUInt32LE(pos + 4);
    out.push({ id: b.toString('latin1', pos, pos + 4), header: pos, body: pos + 8, size });
    pos += 8 + size + (size & 1);
  }
  return out;
}

/** A copy of `wav` with `chunk` inserted before the first chunk called `beforeId`, RIFF size updated. */
export function insertChunkBefore(wav: Uint8Array, beforeId: string, chunk: Chunk): Buffer {
  const at = chunkList(wav).find((c) => c.id === beforeId);
  if (!at) throw new Error(`no ${beforeId} chunk`);
  const extra = riff([chunk]).subarray(12);
  const b = Buffer.from(wav);
  const out = Buffer.concat([b.subarray(0, at.header), extra, b.subarray(at.header)]);
  out.writeUInt32LE(out.length - 8, 4);
  return out;
}
