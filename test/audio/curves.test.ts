import { describe, expect, it } from 'vitest';
import { rampGain, spanGain } from '../../src/audio/curves.js';
import type { Curve, Ramp } from '../../src/disc/model.js';

const CURVES: Curve[] = ['linear', 'equal-power', 's-curve'];
const ramp = (direction: 'in' | 'out', curve: Curve, offset = 0, length = 1000): Ramp => ({ direction, offset, length, curve });

describe('rampGain', () => {
  for (const curve of CURVES) {
    it(`${curve}: starts near 0, ends near 1, rises monotonically, is 1 outside`, () => {
      const r = ramp('in', curve, 100, 1000);
      expect(rampGain(r, 100)).toBeGreaterThan(0);
      expect(rampGain(r, 100)).toBeLessThan(0.002);
      expect(rampGain(r, 1099)).toBeGreaterThan(0.998);
      expect(rampGain(r, 1099)).toBeLessThan(1);
      for (let i = 101; i < 1100; i++) expect(rampGain(r, i)).toBeGreaterThan(rampGain(r, i - 1));
      expect(rampGain(r, 99)).toBe(1);
      expect(rampGain(r, 1100)).toBe(1);
    });

    it(`${curve}: the out-ramp mirrors the in-ramp`, () => {
      const up = ramp('in', curve, 0, 777);
      const down = ramp('out', curve, 0, 777);
      for (let i = 0; i < 777; i++) expect(rampGain(down, i)).toBeCloseTo(rampGain(up, 776 - i), 14);
    });
  }

  it('uses t = (i − offset + 0.5) / length', () => {
    expect(rampGain(ramp('in', 'linear', 10, 4), 10)).toBe(0.125);
    expect(rampGain(ramp('in', 'linear', 10, 4), 13)).toBe(0.875);
    expect(rampGain(ramp('out', 'linear', 10, 4), 10)).toBe(0.875);
    expect(rampGain(ramp('in', 's-curve', 0, 2), 0)).toBeCloseTo((1 - Math.cos(Math.PI / 4)) / 2, 15);
    expect(rampGain(ramp('in', 'equal-power', 0, 2), 1)).toBeCloseTo(Math.sin((3 * Math.PI) / 8), 15);
  });

  it('linear and s-curve crossfades sum to 1', () => {
    for (const curve of ['linear', 's-curve'] as const) {
      for (let i = 0; i < 1000; i++) expect(rampGain(ramp('in', curve), i) + rampGain(ramp('out', curve), i)).toBeCloseTo(1, 14);
    }
  });

  it('equal-power crossfades keep the sum of squares at 1', () => {
    for (let i = 0; i < 1000; i++) {
      expect(rampGain(ramp('in', 'equal-power'), i) ** 2 + rampGain(ramp('out', 'equal-power'), i) ** 2).toBeCloseTo(1, 14);
    }
  });

  it('a zero-length ramp changes nothing', () => {
    expect(rampGain(ramp('in', 'linear', 5, 0), 5)).toBe(1);
  });

  it('a one-sample ramp sits at half gain (linear)', () => {
    expect(rampGain(ramp('in', 'linear', 0, 1), 0)).toBe(0.5);
    expect(rampGain(ramp('out', 'linear', 0, 1), 0)).toBe(0.5);
  });
});

describe('spanGain', () => {
  it('is 1 without ramps', () => {
    expect(spanGain([], 123)).toBe(1);
  });

  it('multiplies the ramps that cover a sample', () => {
    const fadeIn = ramp('in', 'linear', 0, 4);
    const fadeOut = ramp('out', 'linear', 2, 4);
    expect(spanGain([fadeIn, fadeOut], 0)).toBe(0.125);
    expect(spanGain([fadeIn, fadeOut], 3)).toBe(0.875 * 0.625);
    expect(spanGain([fadeIn, fadeOut], 5)).toBe(0.125);
    expect(spanGain([fadeIn, fadeOut], 6)).toBe(1);
  });
});
