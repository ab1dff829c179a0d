// Requantisation to 16 bits with TPDF dither (manifest.md, "Sample-exact promises").
//
// The noise is not drawn from a running generator but computed from (seed, absolute sample frame,
// channel) by an integer hash, so any stretch of the image can be rendered on its own, in any chunking
// or order, and still give the same bytes. Values that already are exact 16-bit integers skip the noise
// entirely: untouched 16-bit audio, 16-bit audio in deeper containers and digital silence stay
// bit-identical.
//
// Noise: two independent uniform values in [−0.5, 0.5) LSB, each from 32 hash bits, summed (triangular
// PDF over [−1, 1) LSB). Each uniform is murmur3's 32-bit finaliser of a per-frame key XOR a distinct
// constant per (channel, draw); the per-frame key is the finaliser of the frame index XOR the (mixed)
// seed. After rounding to nearest, |output − input| ≤ 1.5 LSB.

/** Smallest and largest 16-bit sample. */
const MIN16 = -32768;
const MAX16 = 32767;
/** 2^32, to split frame indices above 32 bits and to scale hash words to [0, 1). */
const TWO_32 = 4294967296;
/** Odd constants (golden ratio, murmur3's) that separate the four draws of one frame. */
const L1 = 0x9e3779b9;
const L2 = 0x3c6ef372;
const R1 = 0x85ebca6b;
const R2 = 0xc2b2ae35;
/** Keeps seed 0 from meeting frame index 0 unmixed. */
const SEED_SALT = 0x6a09e667;

/** murmur3 fmix32: a bijection on 32-bit words with full avalanche. */
function fmix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

function seedKey(seed: number): number {
  return fmix32(seed ^ SEED_SALT);
}

/** Key of one sample frame; frame indices are non-negative integers (below 2^53). */
function frameKey(key: number, position: number): number {
  const k = fmix32((position >>> 0) ^ key);
  // Images never reach 2^32 frames (27 hours); the high word is mixed in only so that such positions stay distinct.
  return position < TWO_32 ? k : fmix32(k ^ Math.imul(Math.floor(position / TWO_32), 0x27d4eb2d));
}

/** Rounds value + TPDF noise of one channel (0 or 1) of a frame to the nearest integer, clipped to 16 bits. */
function dithered(value: number, frame: number, channel: number): number {
  const a = fmix32(frame ^ (channel === 0 ? L1 : R1));
  const b = fmix32(frame ^ (channel === 0 ? L2 : R2));
  const r = Math.round(value + (a + b) / TWO_32 - 1);
  return r < MIN16 ? MIN16 : r > MAX16 ? MAX16 : r;
}

/** True for the values that bypass dither: exact integers within the 16-bit range. */
function isExact16(v: number): boolean {
  return (v | 0) === v && v >= MIN16 && v <= MAX16;
}

/** The 16-bit sample for one value in 16-bit units: exact integers as they are, everything else dithered, rounded and clipped. */
export function quantize(value: number, position: number, channel: number, seed: number): number {
  if (isExact16(value)) return value | 0;
  if (Number.isNaN(value)) return 0;
  return dithered(value, frameKey(seedKey(seed), position), channel);
}

/**
 * `quantize` over interleaved stereo `values`, frame `firstPosition` first, into `out`. `stats.clipped`
 * grows by the samples beyond full scale, [−32768, 32768) in 16-bit units: float overs (1.0 and up) and
 * gain gone wrong count, a 24-bit 0x7FFFFF peak that only the dither noise or rounding pushes past 32767
 * does not (otherwise every peak of a loud 24-bit master would be reported as a clip).
 */
export function quantizeBlock(values: Float64Array, firstPosition: number, seed: number, out: Int16Array, stats: { clipped: number }): void {
  if (values.length % 2 !== 0) throw new RangeError(`quantizeBlock: ${values.length} values are not whole stereo frames`);
  if (out.length < values.length) throw new RangeError(`quantizeBlock: output holds ${out.length} samples, needs ${values.length}`);
  const key = seedKey(seed);
  let clipped = 0;
  const n = values.length;
  for (let k = 0, position = firstPosition; k < n; k += 2, position++) {
    const l = values[k]!;
    const r = values[k + 1]!;
    const lExact = isExact16(l);
    const rExact = isExact16(r);
    if (lExact && rExact) {
      out[k] = l;
      out[k + 1] = r;
      continue;
    }
    const frame = frameKey(key, position);
    if (lExact) out[k] = l;
    else if (Number.isNaN(l)) out[k] = 0;
    else {
      if (l >= MAX16 + 1 || l < MIN16) clipped++;
      out[k] = dithered(l, frame, 0);
    }
    if (rExact) out[k + 1] = r;
    else if (Number.isNaN(r)) out[k + 1] = 0;
    else {
      if (r >= MAX16 + 1 || r < MIN16) clipped++;
      out[k + 1] = dithered(r, frame, 1);
    }
  }
  stats.clipped += clipped;
}
