// Fade and crossfade gains (manifest.md, track keys `fade_in`, `fade_out`, `crossfade`).
//
// Sample j of a ramp of length L (j = i − offset, 0 ≤ j < L) sits at t = (j + 0.5) / L, the middle of its
// sample period, so t never reaches 0 or 1: an in-ramp's first sample is near silence but not silent,
// and an in-ramp and an out-ramp laid over the same samples are mirror images. With u = t for 'in' and
// u = 1 − t for 'out', the gain is shape(u):
//   linear       u                  in + out = 1
//   s-curve      (1 − cos(πu)) / 2  in + out = 1
//   equal-power  sin(πu / 2)        in² + out² = 1 (the out-ramp is cos(πt / 2))
// Outside [offset, offset + length) a ramp leaves the audio alone (gain 1): ramps sit at the edges of
// their span, so nothing of the span lies before an in-ramp or after an out-ramp.

import type { Curve, Ramp } from '../disc/model.js';

/** The rising shape of a curve at u in [0, 1]; falling ramps use shape(1 − t). */
function shape(curve: Curve, u: number): number {
  switch (curve) {
    case 'linear':
      return u;
    case 's-curve':
      return (1 - Math.cos(Math.PI * u)) / 2;
    case 'equal-power':
      return Math.sin((Math.PI / 2) * u);
  }
}

/** Gain of one ramp at sample `i` of its span (counted from the span's first sample). */
export function rampGain(ramp: Ramp, i: number): number {
  const j = i - ramp.offset;
  if (j < 0 || j >= ramp.length) return 1;
  const t = (j + 0.5) / ramp.length;
  return shape(ramp.curve, ramp.direction === 'in' ? t : 1 - t);
}

/** Gain at sample `i` of a span: the product of all its ramps (1 with none). */
export function spanGain(ramps: readonly Ramp[], i: number): number {
  let g = 1;
  for (const r of ramps) g *= rampGain(r, i);
  return g;
}
