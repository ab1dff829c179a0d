// Our loudness, loudness range and peaks against ffmpeg's ebur128 filter on generated signals in
// the style of EBU Tech 3341/3342. These run the real ffmpeg (CI installs it); there is no skip.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscAnalyzer, type AudioStats } from '../../src/report/analysis.js';

const RATE = 44100;
const FFMPEG = process.env.FFMPEG ?? 'ffmpeg';

/** ffmpeg's summary figures; −Infinity where it prints -inf. */
interface Ebur128Summary {
  integrated: number;
  range: number;
  samplePeak: number;
  truePeak: number;
}

let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ddpkit-ebur128-'));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A canonical 44-byte-header WAV of 16-bit 44.1 kHz stereo. */
function wav(pcm: Int16Array): Buffer {
  const data = pcm.length * 2;
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + data, 4);
  h.write('WAVEfmt ', 8, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(2, 22);
  h.writeUInt32LE(RATE, 24);
  h.writeUInt32LE(RATE * 4, 28);
  h.writeUInt16LE(4, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(data, 40);
  return Buffer.concat([h, Buffer.from(pcm.buffer, pcm.byteOffset, data)]);
}

/** Runs `ffmpeg -af ebur128=peak=true+sample` on the PCM and reads its summary. */
function ffmpeg(name: string, pcm: Int16Array): Ebur128Summary {
  const file = join(dir, `${name}.wav`);
  writeFileSync(file, wav(pcm));
  // framelog=verbose keeps the 10-per-second meter lines out of the info-level log.
  const args = ['-nostats', '-hide_banner', '-i', file, '-af', 'ebur128=peak=true+sample:framelog=verbose', '-f', 'null', '-'];
  const run = spawnSync(FFMPEG, args, { encoding: 'utf8' });
  if (run.error) {
    // Not skipped: CI installs ffmpeg, and a missing one must fail loudly.
    throw new Error(
      `ffmpeg is needed for these tests and could not be run as "${FFMPEG}" (${run.error.message}); ` +
        'install it (apt-get install -y ffmpeg) or point FFMPEG at it',
    );
  }
  if (run.status !== 0) throw new Error(`ffmpeg failed on ${name}: ${run.stderr}`);
  const summary = run.stderr.slice(run.stderr.lastIndexOf('Summary:'));
  const read = (re: RegExp, what: string): number => {
    const m = re.exec(summary);
    if (!m) throw new Error(`no ${what} in ffmpeg's summary:\n${summary}`);
    return m[1] === '-inf' ? -Infinity : Number(m[1]);
  };
  return {
    integrated: read(/I:\s+(-?[\d.]+|-inf) LUFS/, 'I'),
    range: read(/LRA:\s+(-?[\d.]+) LU\b/, 'LRA'),
    samplePeak: read(/Sample peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS/, 'sample peak'),
    truePeak: read(/True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS/, 'true peak'),
  };
}

/** Our analysis of the PCM as a disc with the given track starts, pushed in 64 KB chunks. */
function analyse(pcm: Int16Array, trackStarts: number[] = [0]) {
  const analyzer = new DiscAnalyzer({ trackStarts, imageSamples: pcm.length / 2 });
  const bytes = new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.length * 2);
  for (let at = 0; at < bytes.length; at += 65536) analyzer.push(bytes.subarray(at, at + 65536));
  return analyzer.finish();
}

/** Builds `seconds` of stereo from a function of (frame, channel, frames) in 16-bit units, rounded and clamped. */
function signal(seconds: number, value: (i: number, channel: number, frames: number) => number): Int16Array {
  const frames = Math.round(seconds * RATE);
  const pcm = new Int16Array(frames * 2);
  for (let i = 0; i < frames; i++) {
    for (let ch = 0; ch < 2; ch++) pcm[2 * i + ch] = Math.max(-32768, Math.min(32767, Math.round(value(i, ch, frames))));
  }
  return pcm;
}

/** Peak amplitude, 16-bit units, of a sine at `dbfs`. */
const amplitude = (dbfs: number): number => 32768 * 10 ** (dbfs / 20);
const sine = (hz: number, dbfs: number, i: number, phase = 0): number => amplitude(dbfs) * Math.sin((2 * Math.PI * hz * i) / RATE + phase);

/** Seeded Gaussian noise (LCG + Box–Muller), unit variance. */
function gaussian(seed: number): () => number {
  let s = seed >>> 0;
  const uniform = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** 2 s of silence, 6 s of Gaussian noise at −20 dBFS RMS, 2 s of silence. */
function noiseBurst(seed: number): Int16Array {
  const next = gaussian(seed);
  return signal(10, (i) => (i >= 2 * RATE && i < 8 * RATE ? amplitude(-20) * next() : 0));
}

/** Asserts our figures agree with ffmpeg's: 0.1 LU for I and LRA, 0.2 dB for the peaks (ffmpeg prints one decimal). */
function expectAgreement(ours: AudioStats, theirs: Ebur128Summary): void {
  if (ours.integratedLufs === null) expect(theirs.integrated).toBeLessThanOrEqual(-70); // ffmpeg's "nothing measured"
  else expect(Math.abs(ours.integratedLufs - theirs.integrated)).toBeLessThanOrEqual(0.1);
  expect(Math.abs((ours.loudnessRangeLu ?? 0) - theirs.range)).toBeLessThanOrEqual(0.1);
  if (theirs.truePeak === -Infinity) {
    expect(ours.truePeakDbtp).toBe(-Infinity);
    expect(ours.samplePeakDbfs).toBe(-Infinity);
  } else {
    expect(Math.abs(ours.truePeakDbtp - theirs.truePeak)).toBeLessThanOrEqual(0.2);
    expect(Math.abs(ours.samplePeakDbfs - theirs.samplePeak)).toBeLessThanOrEqual(0.1);
  }
}

describe('loudness and peaks agree with ffmpeg ebur128', () => {
  it('1 kHz sine at −23 dBFS in both channels, 20 s, is −23.0 LUFS (Tech 3341 case 1)', () => {
    const pcm = signal(20, (i) => sine(1000, -23, i));
    const { disc } = analyse(pcm);
    expectAgreement(disc, ffmpeg('sine-23', pcm));
    expect(disc.integratedLufs).toBeCloseTo(-23, 1);
    expect(disc.loudnessRangeLu).toBeCloseTo(0, 1);
  });

  it('stereo sine at −20 dBFS (440 Hz left, 1 kHz right)', () => {
    const pcm = signal(10, (i, ch) => sine(ch === 0 ? 440 : 1000, -20, i));
    expectAgreement(analyse(pcm).disc, ffmpeg('stereo-20', pcm));
  });

  it('quiet parts are removed by the relative gate (Tech 3341 case 3: −36, −23, −36 dBFS for 10, 60, 10 s)', () => {
    const pcm = signal(80, (i) => sine(1000, i < 10 * RATE || i >= 70 * RATE ? -36 : -23, i));
    const { disc } = analyse(pcm);
    expectAgreement(disc, ffmpeg('gated', pcm));
    expect(Math.abs(disc.integratedLufs! + 23)).toBeLessThanOrEqual(0.1);
  });

  it('loudness range of 20 s at −20 dBFS then 20 s at −30 dBFS is 10 LU (Tech 3342 case 1)', () => {
    const pcm = signal(40, (i) => sine(1000, i < 20 * RATE ? -20 : -30, i));
    const { disc } = analyse(pcm);
    expectAgreement(disc, ffmpeg('lra-10', pcm));
    expect(Math.abs(disc.loudnessRangeLu! - 10)).toBeLessThanOrEqual(0.1);
  });

  it('digital silence is gated: no loudness, peaks −Infinity', () => {
    const pcm = new Int16Array(10 * RATE * 2);
    const { disc } = analyse(pcm);
    expectAgreement(disc, ffmpeg('silence', pcm));
    expect(disc.integratedLufs).toBeNull();
    expect(disc.loudnessRangeLu).toBeNull();
  });

  it('a sine at −75 dBFS is below the absolute gate but has peaks', () => {
    const pcm = signal(10, (i) => sine(1000, -75, i));
    const { disc } = analyse(pcm);
    expectAgreement(disc, ffmpeg('quiet', pcm));
    expect(disc.integratedLufs).toBeNull();
  });

  it('a seeded Gaussian noise burst between silences', () => {
    const pcm = noiseBurst(42);
    expectAgreement(analyse(pcm).disc, ffmpeg('noise', pcm));
  });

  it('loud pink-ish noise pushed into the rails: much of it clipped, true peak well above 0 dBTP', () => {
    // Paul Kellet's economy pink filter; like a loud master, and where short interpolators read low.
    let s = 5;
    let b0 = 0, b1 = 0, b2 = 0;
    const pcm = signal(10, (_i, ch) => {
      if (ch === 1) return 0.9 * (b0 + b1 + b2) * 9000;
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      const w = (s / 4294967296) * 2 - 1;
      b0 = 0.99765 * b0 + w * 0.099046;
      b1 = 0.963 * b1 + w * 0.2965164;
      b2 = 0.57 * b2 + w * 1.0526913;
      return (b0 + b1 + b2 + w * 0.1848) * 9000;
    });
    const { disc } = analyse(pcm);
    expectAgreement(disc, ffmpeg('pink-clipped', pcm));
    expect(disc.clipping.runs).toBeGreaterThan(100);
    expect(disc.truePeakDbtp).toBeGreaterThan(1);
  });

  it('white Gaussian noise at −6 dBFS RMS, clipped at the rails', () => {
    const next = gaussian(9);
    const pcm = signal(10, () => amplitude(-6) * next());
    expectAgreement(analyse(pcm).disc, ffmpeg('white-clipped', pcm));
  });

  it('fs/4 sine at 45° with every sample at ±32767 has a true peak of +3.01 dBTP', () => {
    // Faded in and out over 0.1 s: an abrupt full-scale start rings differently in each interpolator.
    const fade = (i: number, n: number): number => Math.min(1, Math.min(i, n - 1 - i) / 4410);
    const pcm = signal(10, (i, _ch, n) => 32767 * Math.SQRT2 * fade(i, n) * Math.sin((Math.PI * i) / 2 + Math.PI / 4));
    const { disc } = analyse(pcm);
    expectAgreement(disc, ffmpeg('isp', pcm));
    expect(Math.abs(disc.truePeakDbtp - 20 * Math.log10((32767 * Math.SQRT2) / 32768))).toBeLessThanOrEqual(0.05);
    expect(disc.samplePeakDbfs).toBeCloseTo(20 * Math.log10(32767 / 32768), 6);
  });

  it('per track and per disc: a 2 s pregap, a faded sine, then noise, boundaries off the 100 ms grid', () => {
    // The analysis runs on across track boundaries (the disc plays continuously); ffmpeg sees each
    // track alone. They agree where a boundary falls in silence, as between most album tracks.
    const pregap = 2 * RATE;
    const second = Math.round(10.5 * RATE) + 123;
    const fade = (i: number, from: number, to: number): number => Math.max(0, Math.min(1, (i - from) / 2205, (to - i) / 2205));
    const next = gaussian(7);
    const pcm = signal(20, (i) => {
      if (i < second) return sine(1000, -18, i) * fade(i, pregap, 10 * RATE);
      return i >= second + RATE / 4 && i < 19.5 * RATE ? amplitude(-26) * next() : 0;
    });
    const result = analyse(pcm, [pregap, second]);
    expectAgreement(result.tracks[0]!, ffmpeg('track1', pcm.subarray(2 * pregap, 2 * second)));
    expectAgreement(result.tracks[1]!, ffmpeg('track2', pcm.subarray(2 * second)));
    expectAgreement(result.disc, ffmpeg('disc', pcm));
  });
});
