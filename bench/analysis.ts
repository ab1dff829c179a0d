// Disc analysis speed: `npm run build && node dist/bench/analysis.js [minutes] [repeats]`.
//
// Generates `minutes` (default 10) of four kinds of 16-bit stereo audio in memory — white noise, loud
// clipped pink-ish noise, dynamic music-like material, digital silence — and runs DiscAnalyzer over
// each in 1.2 MB chunks (the build's chunk size), as a disc of 2-minute tracks after a 2 s pregap.
// Prints seconds and MB/s per case, then where the time goes, found by leaving parts out: K-weighting
// (the filter and the 100 ms energies), true peak, CRC-32, the rest of the pass (peaks, clipping, DC,
// silence, slicing), and gating (the integrated loudness and loudness range computed by finish()).
// Each figure is the fastest of `repeats` runs (default 3).
import { DiscAnalyzer, type AnalyzerOptions, type AnalysisPlan } from '../src/report/analysis.js';

const RATE = 44100;
/** The build's chunk: 512 CD frames. */
const CHUNK_BYTES = 512 * 2352;
const minutes = Number(process.argv[2] ?? 10);
const repeats = Math.max(1, Math.floor(Number(process.argv[3] ?? 3)));
if (!(minutes > 0)) throw new Error('usage: node dist/bench/analysis.js [minutes] [repeats]');

/** A seeded uniform generator in [0, 1). */
function uniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const clamp = (v: number): number => (v > 32767 ? 32767 : v < -32768 ? -32768 : Math.round(v));

/** Roughly Gaussian white noise at −12 dBFS RMS, independent per channel (clips very rarely). */
function whiteNoise(frames: number): Int16Array {
  const pcm = new Int16Array(frames * 2);
  const u = uniform(1);
  // The sum of 4 uniforms has variance 1/3: scale to unit variance, then to −12 dBFS RMS.
  const scale = 32768 * 10 ** (-12 / 20) * Math.sqrt(3);
  for (let k = 0; k < pcm.length; k++) pcm[k] = clamp((u() + u() + u() + u() - 2) * scale);
  return pcm;
}

/** Pink-ish noise (Paul Kellet's economy filter) at about −8 dBFS RMS, pushed into the rails: much of it clips. */
function clippedPink(frames: number): Int16Array {
  const pcm = new Int16Array(frames * 2);
  const u = uniform(2);
  for (let ch = 0; ch < 2; ch++) {
    let b0 = 0, b1 = 0, b2 = 0;
    for (let i = 0; i < frames; i++) {
      const white = u() * 2 - 1;
      b0 = 0.99765 * b0 + white * 0.099046;
      b1 = 0.963 * b1 + white * 0.2965164;
      b2 = 0.57 * b2 + white * 1.0526913;
      pcm[2 * i + ch] = clamp((b0 + b1 + b2 + white * 0.1848) * 9000);
    }
  }
  return pcm;
}

/**
 * Music-like material: notes (a few partials each, with attack and decay) over a bass line, noise
 * bursts as drums, loud and quiet sections, fades, and 2 s of silence at the end of every 2 minutes.
 */
function dynamic(frames: number): Int16Array {
  const pcm = new Int16Array(frames * 2);
  const u = uniform(3);
  const noteFrames = Math.round(RATE / 4);
  let freq = 220;
  let phase = 0;
  let bassPhase = 0;
  for (let i = 0; i < frames; i++) {
    const t = i % (120 * RATE);
    if (t >= 118 * RATE) continue; // the gap between tracks
    const n = i % noteFrames;
    if (n === 0) freq = 110 * 2 ** (Math.floor(u() * 36) / 12);
    const section = Math.floor(i / (20 * RATE)) % 3; // loud, medium, quiet
    const level = [0.5, 0.15, 0.02][section]! * Math.min(1, t / RATE, (118 * RATE - t) / RATE);
    const env = Math.exp(-n / 6000) * Math.min(1, n / 200);
    phase += (2 * Math.PI * freq) / RATE;
    bassPhase += (2 * Math.PI * 55) / RATE;
    const tone = env * (Math.sin(phase) + 0.5 * Math.sin(2 * phase) + 0.25 * Math.sin(3 * phase + 1)) + 0.6 * Math.sin(bassPhase);
    const drum = i % (RATE / 2) < 2000 ? (u() * 2 - 1) * Math.exp(-(i % (RATE / 2)) / 400) : 0;
    const v = 32768 * level * (0.6 * tone + drum);
    pcm[2 * i] = clamp(v);
    pcm[2 * i + 1] = clamp(0.8 * v + 32768 * level * 0.2 * Math.sin(phase * 1.5));
  }
  return pcm;
}

interface Run {
  seconds: number;
  /** Of that, finish(): the gating and the last interpolation. */
  finish: number;
}

/** Analyses the image in build-sized chunks; returns the wall time. */
function analyse(bytes: Uint8Array, plan: AnalysisPlan, options: AnalyzerOptions): Run {
  const started = performance.now();
  const analyzer = new DiscAnalyzer(plan, options);
  for (let at = 0; at < bytes.length; at += CHUNK_BYTES) analyzer.push(bytes.subarray(at, at + CHUNK_BYTES));
  const finishing = performance.now();
  analyzer.finish();
  const ended = performance.now();
  return { seconds: (ended - started) / 1000, finish: (ended - finishing) / 1000 };
}

function fastest(bytes: Uint8Array, plan: AnalysisPlan, options: AnalyzerOptions): Run {
  let best: Run = { seconds: Infinity, finish: Infinity };
  for (let r = 0; r < repeats; r++) {
    const run = analyse(bytes, plan, options);
    if (run.seconds < best.seconds) best = run;
  }
  return best;
}

const frames = Math.round(minutes * 60 * RATE);
const mb = (frames * 4) / 1e6;
const trackStarts: number[] = [];
for (let start = 2 * RATE; start < frames; start += 120 * RATE) trackStarts.push(start);
const plan: AnalysisPlan = { trackStarts, imageSamples: frames };
const cases: [string, (frames: number) => Int16Array][] = [
  ['white noise', whiteNoise],
  ['clipped pink noise', clippedPink],
  ['dynamic (music-like)', dynamic],
  ['silence', (n) => new Int16Array(n * 2)],
];

const ms = (s: number): string => `${(s * 1000).toFixed(0).padStart(5)} ms`;
console.log(`DiscAnalyzer on ${minutes} min (${mb.toFixed(0)} MB, ${trackStarts.length} tracks) in ${CHUNK_BYTES} B chunks, fastest of ${repeats}:`);
console.log(`${'case'.padEnd(22)} ${'total'.padStart(8)} ${'MB/s'.padStart(6)} ${'74 min'.padStart(7)} | ${['K-weight', 'gating', 'true pk', 'CRC-32', 'rest'].map((h) => h.padStart(8)).join(' ')}`);
const totals = { seconds: 0 };
for (const [name, make] of cases) {
  const pcm = make(frames);
  const bytes = new Uint8Array(pcm.buffer);
  analyse(bytes.subarray(0, 16 * CHUNK_BYTES), { trackStarts: [0], imageSamples: 16 * CHUNK_BYTES / 4 }, {}); // warm up
  const all = fastest(bytes, plan, {});
  const noK = fastest(bytes, plan, { skip: { kWeighting: true } });
  const noTp = fastest(bytes, plan, { skip: { truePeak: true } });
  const noCrc = fastest(bytes, plan, { crc: false });
  const rest = fastest(bytes, plan, { crc: false, skip: { kWeighting: true, truePeak: true } });
  totals.seconds += all.seconds;
  // finish() with the K-weighting left out has no energies to gate: the difference is the gating.
  const gating = Math.max(0, all.finish - noK.finish);
  const parts = [Math.max(0, all.seconds - noK.seconds - gating), gating, Math.max(0, all.seconds - noTp.seconds), Math.max(0, all.seconds - noCrc.seconds), rest.seconds];
  console.log(
    `${name.padEnd(22)} ${all.seconds.toFixed(3).padStart(6)} s ${(mb / all.seconds).toFixed(0).padStart(6)} ${((all.seconds * 74) / minutes).toFixed(2).padStart(5)} s | ${parts.map(ms).join(' ')}`,
  );
}
console.log(`mean ${(mb / (totals.seconds / cases.length)).toFixed(0)} MB/s; "74 min" scales the total to a 74-minute disc (${((74 * 60 * RATE * 4) / 1e6).toFixed(0)} MB)`);
console.log('parts: time saved by leaving each out; "gating" is in finish(); "rest" is what remains with K-weighting, true peak');
console.log('and CRC-32 all left out: copying the PCM in, peaks, DC sums, silence, clipping runs, slicing.');
