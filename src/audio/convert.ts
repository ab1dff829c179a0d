// Source samples → interleaved stereo in 16-bit units (manifest.md, "Sample-exact promises").
//
// Every encoding is scaled so that a sample holding an exact 16-bit value comes out as that integer:
// 8-bit widens losslessly, deeper integers keep their extra bits as a fraction, float 1.0 = 32768. The
// dither stage then passes integers through untouched and dithers only the rest.

import type { SourceFormat } from '../disc/model.js';

/** 2^-8, 2^-16: the fraction a 24- or 32-bit sample keeps below 16 bits (exact in a double). */
const SCALE_24 = 1 / 256;
const SCALE_32 = 1 / 65536;
/** Float full scale: 1.0 = 32768 (manifest.md, "Fine print"), later clipped to 32767. */
const SCALE_FLOAT = 32768;

/** True when a source's bytes already are Red Book PCM layout (16-bit integer stereo) and can be copied as is. */
export function isPassThrough16(format: SourceFormat): boolean {
  return format.sampleFormat === 'int' && format.bitsPerSample === 16 && format.channels === 2;
}

/**
 * Decodes `bytes.length / format.blockAlign` whole sample frames into `out` from `outOffset` on, as
 * interleaved stereo values in 16-bit units; mono fills both channels.
 */
export function decodeFrames(bytes: Uint8Array, format: SourceFormat, out: Float64Array, outOffset = 0): void {
  const { blockAlign, channels, bitsPerSample, sampleFormat } = format;
  if (bytes.length % blockAlign !== 0) {
    throw new RangeError(`decodeFrames: ${bytes.length} bytes is not a whole number of ${blockAlign}-byte frames`);
  }
  const frames = bytes.length / blockAlign;
  if (outOffset < 0 || outOffset + frames * 2 > out.length) {
    throw new RangeError(`decodeFrames: ${frames} frames do not fit in ${out.length - outOffset} output values`);
  }
  // Mono samples land on even slots and are copied to the odd ones; stereo fills every slot.
  const step = channels === 1 ? 2 : 1;
  const mono = channels === 1;
  const n = frames * channels;
  let o = outOffset;
  if (sampleFormat === 'int') {
    switch (bitsPerSample) {
      case 8:
        for (let k = 0; k < n; k++, o += step) {
          const v = (bytes[k]! - 128) * 256;
          out[o] = v;
          if (mono) out[o + 1] = v;
        }
        return;
      case 16:
        for (let k = 0, b = 0; k < n; k++, b += 2, o += step) {
          const v = ((bytes[b]! | (bytes[b + 1]! << 8)) << 16) >> 16;
          out[o] = v;
          if (mono) out[o + 1] = v;
        }
        return;
      case 24:
        for (let k = 0, b = 0; k < n; k++, b += 3, o += step) {
          const v = (((bytes[b]! | (bytes[b + 1]! << 8) | (bytes[b + 2]! << 16)) << 8) >> 8) * SCALE_24;
          out[o] = v;
          if (mono) out[o + 1] = v;
        }
        return;
      case 32:
        for (let k = 0, b = 0; k < n; k++, b += 4, o += step) {
          const v = (bytes[b]! | (bytes[b + 1]! << 8) | (bytes[b + 2]! << 16) | (bytes[b + 3]! << 24)) * SCALE_32;
          out[o] = v;
          if (mono) out[o + 1] = v;
        }
        return;
    }
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    switch (bitsPerSample) {
      case 32:
        for (let k = 0, b = 0; k < n; k++, b += 4, o += step) {
          const v = view.getFloat32(b, true) * SCALE_FLOAT;
          out[o] = v;
          if (mono) out[o + 1] = v;
        }
        return;
      case 64:
        for (let k = 0, b = 0; k < n; k++, b += 8, o += step) {
          const v = view.getFloat64(b, true) * SCALE_FLOAT;
          out[o] = v;
          if (mono) out[o + 1] = v;
        }
        return;
    }
  }
  throw new RangeError(`decodeFrames: unsupported encoding ${bitsPerSample}-bit ${sampleFormat}`);
}
