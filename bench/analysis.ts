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
import { clippedPink, musicLike, whiteNoise } from './material.js';

const RATE = 44100;
/** The build's chunk: 512 CD frames. */
const CHUNK_BYTES = 512 * 2352;
const minutes = Number(process.argv[2] ?? 10);
const repeats = Math.max(1, Math.floor(Number(process.argv[3] ?? 3)));
if (!(minutes > 0)) throw new Error('usage: node dist/bench/analysis.js [minutes] [repeats]');

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
  ['dynamic (music-like)', (n) => musicLike(n, 3, 120 * RATE)],
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
