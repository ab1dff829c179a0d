// Synthesises the demo album's audio (examples/audio/*.wav) that examples/album.yaml refers to.
//
//   npm run build && node dist/examples/make-audio.js     # writes examples/audio/
//
// Everything is computed with + − × ÷ only (no Math.sin, no randomness), so the files are the same
// bytes on every run and every machine. Four short chords in different keys, peaks at −6 dBFS, with a
// gentle attack and release; one file is 24-bit and one mono to show that those sources work too.
// The canonical 44-byte headers come from src/audio/wav-writer.ts.

import { existsSync } from 'node:fs';
import { mkdir, realpath, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WAV_HEADER_BYTES, wavHeader } from '../src/audio/wav-writer.js';

/** Sample rate of every example file (the only rate a CD source may have). */
export const EXAMPLE_RATE = 44100;

/** What one example file contains. */
export interface ExampleTrack {
  /** File name inside the output folder. */
  name: string;
  channels: 1 | 2;
  bitsPerSample: 16 | 24;
  /** Whole file length in samples (per channel). */
  samples: number;
  /** The chord: root frequency in Hz and just-intonation ratios of its notes. */
  root: number;
  ratios: readonly number[];
  /** Where the chord sounds, in seconds from the start of the file (silence elsewhere). */
  from: number;
  to: number;
  /** Attack and release of the envelope in seconds. */
  attack: number;
  release: number;
}

/** The demo album: the files examples/album.yaml names, in track order. */
export const EXAMPLE_TRACKS: readonly ExampleTrack[] = [
  // Dawn: C major, 8 s. Its tail is crossfaded into Noon.
  { name: '01-dawn.wav', channels: 2, bitsPerSample: 16, samples: 8 * EXAMPLE_RATE, root: 261.6256, ratios: [1, 5 / 4, 3 / 2, 2], from: 0, to: 8, attack: 1.5, release: 1.2 },
  // Noon: G major, 8 s, 24-bit.
  { name: '02-noon.wav', channels: 2, bitsPerSample: 24, samples: 8 * EXAMPLE_RATE, root: 195.9977, ratios: [1, 5 / 4, 3 / 2, 2, 5 / 2], from: 0, to: 8, attack: 0.8, release: 2 },
  // Dusk: A minor, mono, 7.5 s: 0.5 s of silence, 6 s of chord held to the end, 1 s of silence.
  // The manifest trims the silences off and fades the chord out.
  { name: '03-dusk.wav', channels: 1, bitsPerSample: 16, samples: 7.5 * EXAMPLE_RATE, root: 220, ratios: [1, 6 / 5, 3 / 2, 2], from: 0.5, to: 6.5, attack: 0.4, release: 0.05 },
  // Night: F major, 6 s.
  { name: '04-night.wav', channels: 2, bitsPerSample: 16, samples: 6 * EXAMPLE_RATE, root: 174.6141, ratios: [1, 5 / 4, 3 / 2, 2], from: 0, to: 6, attack: 0.6, release: 2.5 },
];

/** Peak level of every file: 0.5 of full scale, about −6 dBFS. */
const PEAK = 0.5;
/** Overtones of every note: harmonic number and relative amplitude. */
const HARMONICS: readonly (readonly [number, number])[] = [
  [1, 1],
  [2, 0.3],
  [3, 0.1],
];

/** The size in bytes of an example file. */
export function exampleFileBytes(t: ExampleTrack): number {
  return WAV_HEADER_BYTES + t.samples * t.channels * (t.bitsPerSample / 8);
}

/** cos and sin of a small angle (|x| < 1) by their Taylor series: plain arithmetic, same result everywhere. */
function cosSin(x: number): [number, number] {
  let c = 0;
  let s = 0;
  let term = 1; // x^k / k!
  for (let k = 0; k < 24; k++) {
    switch (k % 4) {
      case 0:
        c += term;
        break;
      case 1:
        s += term;
        break;
      case 2:
        c -= term;
        break;
      default:
        s -= term;
    }
    term = (term * x) / (k + 1);
  }
  return [c, s];
}

/** 0 → 0, 1 → 1 with zero slope at both ends. */
function smoothstep(t: number): number {
  const u = t <= 0 ? 0 : t >= 1 ? 1 : t;
  return u * u * (3 - 2 * u);
}

/** The chord of one track as floating-point channels, peak-normalised to PEAK. */
function synthesise(t: ExampleTrack): Float64Array[] {
  const out = Array.from({ length: t.channels }, () => new Float64Array(t.samples));
  const first = Math.round(t.from * EXAMPLE_RATE);
  const last = Math.min(t.samples, Math.round(t.to * EXAMPLE_RATE));
  const notes = t.ratios.length;
  t.ratios.forEach((ratio, note) => {
    // Spread the notes across the stereo field, lowest on the left.
    const pan = notes > 1 ? -0.6 + (1.2 * note) / (notes - 1) : 0;
    const gains = t.channels === 2 ? [(1 - pan) / 2, (1 + pan) / 2] : [0.5];
    for (const [harmonic, amplitude] of HARMONICS) {
      // A phasor turned by a fixed rotation each sample: x + iy = e^{iωn}.
      const [cw, sw] = cosSin((2 * Math.PI * t.root * ratio * harmonic) / EXAMPLE_RATE);
      let x = 1;
      let y = 0;
      for (let i = first; i < last; i++) {
        const v = amplitude * y;
        for (let ch = 0; ch < t.channels; ch++) out[ch]![i]! += gains[ch]! * v;
        const nx = x * cw - y * sw;
        y = y * cw + x * sw;
        x = nx;
      }
    }
  });
  // Envelope, then normalise the peak.
  const attack = t.attack * EXAMPLE_RATE;
  const release = t.release * EXAMPLE_RATE;
  let peak = 0;
  for (let i = first; i < last; i++) {
    const g = smoothstep((i - first) / attack) * smoothstep((last - i) / release);
    for (const channel of out) {
      const v = channel[i]! * g;
      channel[i] = v;
      peak = Math.max(peak, Math.abs(v));
    }
  }
  const scale = peak > 0 ? PEAK / peak : 0;
  for (const channel of out) for (let i = 0; i < channel.length; i++) channel[i]! *= scale;
  return out;
}

/** The whole WAV file of one example track. */
export function exampleWav(t: ExampleTrack): Buffer {
  const channels = synthesise(t);
  const bytesPerSample = t.bitsPerSample / 8;
  const full = t.bitsPerSample === 16 ? 32768 : 8388608;
  const dataBytes = t.samples * t.channels * bytesPerSample;
  const file = Buffer.alloc(WAV_HEADER_BYTES + dataBytes);
  wavHeader(dataBytes, { channels: t.channels, sampleRate: EXAMPLE_RATE, bitsPerSample: t.bitsPerSample }).copy(file, 0);
  let offset = WAV_HEADER_BYTES;
  for (let i = 0; i < t.samples; i++) {
    for (const channel of channels) {
      const q = Math.max(-full, Math.min(full - 1, Math.round(channel[i]! * full)));
      file.writeIntLE(q, offset, bytesPerSample);
      offset += bytesPerSample;
    }
  }
  return file;
}

/** Writes every example file into `outDir` (created if needed); returns the paths written, in track order. */
export async function makeExampleAudio(outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  for (const t of EXAMPLE_TRACKS) {
    const path = join(outDir, t.name);
    await writeFile(path, exampleWav(t));
    written.push(path);
  }
  return written;
}

/**
 * The project's examples/ folder: found by walking up from this script to the folder holding
 * package.json, so it works both from the source (examples/) and compiled (dist/examples/).
 */
export function examplesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'examples');
    const parent = dirname(dir);
    if (parent === dir) throw new Error('make-audio: cannot find the project folder (no package.json above the script)');
    dir = parent;
  }
}

async function isMain(): Promise<boolean> {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return (await realpath(resolve(script))) === (await realpath(fileURLToPath(import.meta.url)));
  } catch {
    return false;
  }
}

if (await isMain()) {
  const outDir = join(examplesDir(), 'audio');
  for (const path of await makeExampleAudio(outDir)) console.log(`wrote ${path}`);
}
