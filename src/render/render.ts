// Disc → the continuous Red Book PCM stream, chunk by chunk, with bounded memory (DESIGN.md, render/).
// Sources are read with positional reads only for the samples a chunk needs. Untouched 16-bit stereo is
// copied byte for byte; everything else is summed in floating point and requantised by the dither stage,
// which passes exact 16-bit values through unchanged (manifest.md, "Sample-exact promises").
import { decodeFrames, isPassThrough16 } from '../audio/convert.js';
import { spanGain } from '../audio/curves.js';
import { quantizeBlock } from '../audio/dither.js';
import { ChunkPool, type PooledChunk } from './chunk-pool.js';
import { SourcePool } from '../audio/source-reader.js';
import type { AudioSpan, Disc } from '../disc/model.js';
import { DdpkitError } from '../errors.js';
import { BYTES_PER_FRAME, BYTES_PER_SAMPLE, SAMPLES_PER_FRAME, HOST_LITTLE_ENDIAN } from '../time.js';

/** Options of the renderer. */
export interface RenderOptions {
  /** CD frames per chunk (default RENDER_CHUNK_FRAMES). */
  chunkFrames?: number;
  /** Dither seed (default 0): the same seed always gives the same image. */
  seed?: number;
  /** Stops rendering between chunks. */
  signal?: AbortSignal | undefined;
  /** Where renderChunks() puts the chunks (slots of at least chunkFrames × 2352 bytes); default: a pool of its own. */
  pool?: ChunkPool | undefined;
}

/** CD frames per chunk unless asked otherwise: 1.2 MB, big enough that per-chunk work is noise, small enough to keep memory flat. */
export const RENDER_CHUNK_FRAMES = 512;
/** Bytes of such a chunk. */
export const RENDER_CHUNK_BYTES = RENDER_CHUNK_FRAMES * BYTES_PER_FRAME;

/** Chunks a renderer's own pool holds: one being rendered, one with the consumer, two in flight. */
const OWN_POOL_SLOTS = 4;

/** What rendering counted. */
export interface RenderStats {
  /** Samples whose value lay outside the 16-bit range and were clipped (never wrapped). */
  clippedSamples: number;
}

/** Streams the disc image as 16-bit little-endian stereo PCM chunks, frame-aligned, from frame 0 to the lead-out; each Buffer is the caller's. */
export async function* renderImage(disc: Disc, options: RenderOptions = {}, stats?: RenderStats): AsyncGenerator<Buffer> {
  for await (const chunk of renderChunks(disc, options, stats)) yield Buffer.from(chunk.bytes);
}

/**
 * Streams the disc image as renderImage() does, in pooled chunks: each is valid until the consumer asks
 * for the next one; a consumer that keeps it longer (a write in flight, another thread) hold()s it and
 * release()s it when done. Nothing is allocated per chunk.
 */
export async function* renderChunks(disc: Disc, options: RenderOptions = {}, stats?: RenderStats): AsyncGenerator<PooledChunk> {
  const chunkSamples = (options.chunkFrames ?? RENDER_CHUNK_FRAMES) * SAMPLES_PER_FRAME;
  const chunkPool = options.pool ?? new ChunkPool(OWN_POOL_SLOTS, chunkSamples * BYTES_PER_SAMPLE);
  const seed = options.seed ?? 0;
  const total = disc.leadOut * SAMPLES_PER_FRAME;
  const pool = new SourcePool();
  const mix = new Float64Array(chunkSamples * 2);
  const part = new Float64Array(chunkSamples * 2);
  const quantStats = { clipped: 0 };
  try {
    let first = 0; // spans before this index end before the current chunk
    for (let c0 = 0; c0 < total; c0 += chunkSamples) {
      if (options.signal?.aborted) throw new DdpkitError('interrupted', 'interrupted');
      const c1 = Math.min(total, c0 + chunkSamples);
      const n = c1 - c0;
      while (first < disc.spans.length && disc.spans[first]!.start + disc.spans[first]!.length <= c0) first++;
      const active: AudioSpan[] = [];
      for (let k = first; k < disc.spans.length && disc.spans[k]!.start < c1; k++) {
        const s = disc.spans[k]!;
        if (s.start + s.length > c0) active.push(s);
      }
      const chunk = await chunkPool.take(n * BYTES_PER_SAMPLE);
      try {
        await renderChunk(chunk.bytes, c0, active);
        yield chunk;
      } finally {
        chunk.release();
      }
    }
  } finally {
    await pool.close();
  }

  /** Renders image samples [c0, c0 + out.length / 4) from the spans that touch them. */
  async function renderChunk(out: Buffer, c0: number, active: AudioSpan[]): Promise<void> {
    const n = out.length / BYTES_PER_SAMPLE;
    const c1 = c0 + n;
    if (active.length === 0) {
      out.fill(0);
      return;
    }
    if (copiesBytes(active, c0, c1)) {
      // The pool's memory is reused: what no source covers is silence, written here.
      let covered = c0;
      for (const s of active) {
        const a = Math.max(c0, s.start);
        const b = Math.min(c1, s.start + s.length);
        out.fill(0, (covered - c0) * BYTES_PER_SAMPLE, (a - c0) * BYTES_PER_SAMPLE);
        const reader = await pool.get(s.source.path, s.source.format);
        await reader.read(s.sourceStart + (a - s.start), b - a, out.subarray((a - c0) * BYTES_PER_SAMPLE, (b - c0) * BYTES_PER_SAMPLE));
        covered = b;
      }
      out.fill(0, (covered - c0) * BYTES_PER_SAMPLE);
      return;
    }
    mix.fill(0, 0, n * 2);
    for (const s of active) {
      const a = Math.max(c0, s.start);
      const b = Math.min(c1, s.start + s.length);
      const reader = await pool.get(s.source.path, s.source.format);
      const bytes = await reader.read(s.sourceStart + (a - s.start), b - a);
      decodeFrames(bytes, s.source.format, part, 0);
      const base = (a - c0) * 2;
      const touched = rampsTouch(s, a, b);
      for (let i = 0; i < b - a; i++) {
        const g = touched ? spanGain(s.ramps, a - s.start + i) : 1;
        mix[base + 2 * i] = mix[base + 2 * i]! + part[2 * i]! * g;
        mix[base + 2 * i + 1] = mix[base + 2 * i + 1]! + part[2 * i + 1]! * g;
      }
    }
    const pcm = new Int16Array(out.buffer, out.byteOffset, n * 2);
    // Per-track clipping is the report's job (it measures the rendered audio); here only the total.
    quantizeBlock(mix.subarray(0, n * 2), c0, seed, pcm, quantStats);
    if (stats) stats.clippedSamples = quantStats.clipped;
    if (!HOST_LITTLE_ENDIAN) pcm.forEach((v, i) => out.writeInt16LE(v, i * 2));
  }
}


/**
 * True when image samples [c0, c1) are the sources' bytes as they are: every span there is 16-bit
 * stereo with no ramp in the range, and no two overlap (a gapless join without a crossfade). Then
 * each is copied byte for byte, which is what summing and requantising would give (exact 16-bit
 * values pass the quantiser unchanged), without the work. `active` is in image order.
 */
function copiesBytes(active: AudioSpan[], c0: number, c1: number): boolean {
  let end = c0;
  for (const s of active) {
    if (!isPassThrough16(s.source.format) || rampsTouch(s, c0, c1) || Math.max(s.start, c0) < end) return false;
    end = s.start + s.length;
  }
  return true;
}

/** True when any of the span's ramps covers image samples [a, b). */
function rampsTouch(s: AudioSpan, a: number, b: number): boolean {
  return s.ramps.some((r) => {
    const r0 = s.start + r.offset;
    const r1 = r0 + r.length;
    return r0 < b && r1 > a;
  });
}

/** Fresh, empty render statistics. */
export function newRenderStats(): RenderStats {
  return { clippedSamples: 0 };
}
