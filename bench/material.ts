// Deterministic 16-bit stereo test material for the benchmarks (bench.ts's albums, analysis.ts's cases).

const RATE = 44100;

/** A seeded uniform generator in [0, 1). */
export function uniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const clamp = (v: number): number => (v > 32767 ? 32767 : v < -32768 ? -32768 : Math.round(v));

/** Roughly Gaussian white noise at −12 dBFS RMS, independent per channel (clips very rarely). */
export function whiteNoise(frames: number): Int16Array {
  const pcm = new Int16Array(frames * 2);
  const u = uniform(1);
  // The sum of 4 uniforms has variance 1/3: scale to unit variance, then to −12 dBFS RMS.
  const scale = 32768 * 10 ** (-12 / 20) * Math.sqrt(3);
  for (let k = 0; k < pcm.length; k++) pcm[k] = clamp((u() + u() + u() + u() - 2) * scale);
  return pcm;
}

/** Pink-ish noise (Paul Kellet's economy filter) at about −8 dBFS RMS, pushed into the rails: much of it clips. */
export function clippedPink(frames: number): Int16Array {
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
 * bursts as drums, loud, medium and quiet sections of 20 s, fades at the ends of each track, and,
 * with `trackFrames`, 2 s of silence at the end of every track of that length (a disc of tracks in
 * one stream); without it, `frames` is one track.
 */
export function musicLike(frames: number, seed: number, trackFrames = frames + 2 * RATE): Int16Array {
  const pcm = new Int16Array(frames * 2);
  const u = uniform(seed);
  const noteFrames = Math.round(RATE / 4);
  const audible = trackFrames - 2 * RATE;
  let freq = 220;
  let phase = 0;
  let bassPhase = 0;
  for (let i = 0; i < frames; i++) {
    const t = i % trackFrames;
    if (t >= audible) continue; // the gap between tracks
    const n = i % noteFrames;
    if (n === 0) freq = 110 * 2 ** (Math.floor(u() * 36) / 12);
    const section = Math.floor(i / (20 * RATE)) % 3; // loud, medium, quiet
    const level = [0.5, 0.15, 0.02][section]! * Math.min(1, t / RATE, (audible - t) / RATE);
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
