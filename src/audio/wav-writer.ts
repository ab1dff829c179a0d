// The canonical 44-byte RIFF/WAVE header (RIFF, fmt with WAVEFORMAT PCM, data), for `extract` and the
// example generator. Nothing varying goes in it, so written files are reproducible.

import { fail } from '../errors.js';

/** Bytes of the header: RIFF (12) + fmt chunk (8 + 16) + data chunk header (8). */
export const WAV_HEADER_BYTES = 44;
/**
 * Most sample bytes one RIFF file can describe: its 32-bit RIFF size also counts the 36 header bytes after
 * it and an odd size's pad byte, so the largest size that always fits is even.
 */
export const WAV_MAX_DATA_BYTES = 0xfffffffe - (WAV_HEADER_BYTES - 8);

/** Options of `wavHeader`; the defaults are Red Book audio. */
export interface WavHeaderOptions {
  channels?: number | undefined;
  sampleRate?: number | undefined;
  bitsPerSample?: number | undefined;
}

/**
 * The header of a PCM WAV file holding `dataBytes` bytes of samples. For an odd `dataBytes` the RIFF size
 * counts the pad byte RIFF requires after the data, which the caller writes.
 */
export function wavHeader(dataBytes: number, opts: WavHeaderOptions = {}): Buffer {
  const channels = opts.channels ?? 2;
  const sampleRate = opts.sampleRate ?? 44100;
  const bits = opts.bitsPerSample ?? 16;
  if (!Number.isInteger(channels) || channels < 1 || channels > 0xffff) throw new RangeError(`wavHeader: bad channel count ${channels}`);
  if (!Number.isInteger(sampleRate) || sampleRate < 1 || sampleRate > 0xffffffff) throw new RangeError(`wavHeader: bad sample rate ${sampleRate}`);
  if (![8, 16, 24, 32].includes(bits)) throw new RangeError(`wavHeader: bad bits per sample ${bits}`);
  if (!Number.isInteger(dataBytes) || dataBytes < 0) throw new RangeError(`wavHeader: bad data size ${dataBytes}`);
  const pad = dataBytes & 1;
  if (dataBytes + pad > WAV_MAX_DATA_BYTES) {
    fail('wav', `a WAV file holds at most ${WAV_MAX_DATA_BYTES} bytes of audio, this one would need ${dataBytes}`);
  }
  const blockAlign = channels * (bits / 8);
  const h = Buffer.alloc(WAV_HEADER_BYTES);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(WAV_HEADER_BYTES - 8 + dataBytes + pad, 4);
  h.write('WAVE', 8, 'latin1');
  h.write('fmt ', 12, 'latin1');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // WAVE_FORMAT_PCM
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * blockAlign, 28);
  h.writeUInt16LE(blockAlign, 32);
  h.writeUInt16LE(bits, 34);
  h.write('data', 36, 'latin1');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}
