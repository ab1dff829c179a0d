// Test fixtures: a temp folder with generated WAV sources and a manifest, removed after the test.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { wavHeader } from '../../src/audio/wav-writer.js';

/** One generated 16-bit source: its length in sample frames and how each sample is made. */
export interface WavSpec {
  samples: number;
  channels?: number;
  sampleRate?: number;
  /** Sample value of frame i, channel ch (default: a deterministic ramp pattern, never 0). */
  value?: (i: number, ch: number) => number;
}

/** The default test signal: distinct per file, frame and channel, so misplaced samples show. */
export function patternValue(seed: number): (i: number, ch: number) => number {
  return (i, ch) => ((((i * 31 + seed * 1000 + ch * 7) % 20000) + 20000) % 20000) - 10000 || 1;
}

/** 16-bit PCM WAV bytes for a spec. */
export function wavBytes(spec: WavSpec, seed = 1): Buffer {
  const channels = spec.channels ?? 2;
  const value = spec.value ?? patternValue(seed);
  const data = Buffer.alloc(spec.samples * channels * 2);
  for (let i = 0; i < spec.samples; i++) for (let ch = 0; ch < channels; ch++) data.writeInt16LE(value(i, ch), (i * channels + ch) * 2);
  return Buffer.concat([wavHeader(data.length, { channels, sampleRate: spec.sampleRate ?? 44100, bitsPerSample: 16 }), data]);
}

/** A temp album folder. */
export class AlbumDir {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'ddpkit-test-'));

  /** Writes a 16-bit WAV (or raw bytes) at a path relative to the folder; returns its full path. */
  wav(name: string, spec: WavSpec | Buffer, seed = 1): string {
    const full = path.join(this.dir, name);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, Buffer.isBuffer(spec) ? spec : wavBytes(spec, seed));
    return full;
  }

  /** Writes the manifest text (leading indentation of a template literal is removed) as album.yaml. */
  manifest(text: string, name = 'album.yaml'): string {
    const full = path.join(this.dir, name);
    writeFileSync(full, dedent(text));
    return full;
  }

  path(name: string): string {
    return path.join(this.dir, name);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Removes the common indentation and the first empty line of a template literal. */
export function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

/** Seconds → sample frames at 44.1 kHz. */
export const sec = (s: number): number => Math.round(s * 44100);
