import { describe, expect, it } from 'vitest';
import { FrameSlicer } from '../../src/report/frame-slicer.js';

describe('FrameSlicer', () => {
  it('hands on whole frames of at most maxFrames, in order, assembling frames split across pushes', () => {
    const bytes = Uint8Array.from({ length: 4 * 25 + 3 }, (_, i) => i);
    for (const sizes of [[1], [3, 5, 7], [4 * 25 + 3], [2, 40, 1, 1, 100]]) {
      const slicer = new FrameSlicer(6);
      const pieces: number[][] = [];
      let at = 0;
      for (let k = 0; at < bytes.length; k++) {
        const part = bytes.subarray(at, at + sizes[k % sizes.length]!);
        expect(slicer.framesWith(part)).toBe(Math.floor((at + part.length) / 4) - Math.floor(at / 4));
        slicer.push(part, (piece) => pieces.push([...piece]));
        at += part.length;
      }
      for (const p of pieces) {
        expect(p.length % 4).toBe(0);
        expect(p.length).toBeGreaterThan(0);
        expect(p.length).toBeLessThanOrEqual(24);
      }
      expect(pieces.flat()).toEqual([...bytes.subarray(0, 100)]);
      expect(slicer.partialBytes).toBe(3);
    }
  });
});
