import { describe, expect, it } from 'vitest';
import { framesToMsf, parseTime, samplesToNearestFrames } from '../src/time.js';

describe('parseTime', () => {
  const ok: [unknown, number][] = [
    [2, 88200],
    [0, 0],
    ['2s', 88200],
    ['0.25s', 11025],
    ['150f', 88200],
    ['88200smp', 88200],
    ['4:10:37', (250 * 75 + 37) * 588],
    ['1:30:00', 90 * 44100],
    ['4:10.500', 250.5 * 44100],
    [0.5, 22050],
    [1 / 88200, 1], // half a sample rounds up
  ];
  for (const [input, samples] of ok) {
    it(`reads ${JSON.stringify(input)} as ${samples} samples`, () => {
      expect(parseTime(input)).toEqual({ ok: true, samples });
    });
  }
  const bad: [unknown, string][] = [
    ['1.5f', '"1.5f" must be a time like'],
    ['2', '"2" must be a time like'],
    ['0', '"0" must be a time like'],
    ['4:60:00', 'seconds must be 00-59'],
    ['4:10:75', 'frames must be 00-74'],
    ['4:10', '"4:10" must be a time like'],
    ['2 s', '"2 s" must be a time like'],
    [-1, 'must be a time like'],
    [true, 'must be a time like'],
    ['1.5smp', '"1.5smp" must be a time like'],
  ];
  for (const [input, message] of bad) {
    it(`refuses ${JSON.stringify(input)}`, () => {
      const r = parseTime(input);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toContain(message);
    });
  }
});

describe('frames', () => {
  it('formats MSF', () => {
    expect(framesToMsf(150)).toBe('00:02:00');
    expect(framesToMsf(333000)).toBe('74:00:00');
    expect(framesToMsf((79 * 60 + 57) * 75 + 74)).toBe('79:57:74');
  });
  it('rounds samples to the nearest frame, halves up', () => {
    expect(samplesToNearestFrames(293)).toBe(0);
    expect(samplesToNearestFrames(294)).toBe(1);
    expect(samplesToNearestFrames(588 + 293)).toBe(1);
  });
});
