// Raw sample bytes of a WAV source, a range of sample frames at a time, with positional reads: the
// renderer asks for what one output chunk needs and never holds a whole file (DESIGN.md, "Streaming").

import type { FileHandle } from 'node:fs/promises';
import type { SourceFormat } from '../disc/model.js';
import { fail } from '../errors.js';
import { readInto } from '../file-io.js';
import { openForReading } from './wav.js';

/** An open WAV source that hands out the raw bytes of any range of its sample frames. */
export class SourceReader {
  private handle: FileHandle | undefined;

  private constructor(
    readonly path: string,
    readonly format: SourceFormat,
    handle: FileHandle,
  ) {
    this.handle = handle;
  }

  /** Opens a source whose header `readWavHeader` has already read. */
  static async open(path: string, format: SourceFormat): Promise<SourceReader> {
    return new SourceReader(path, format, await openForReading(path));
  }

  /**
   * The source bytes of sample frames `firstFrame` .. `firstFrame + frameCount − 1`, read into `into`
   * when given (the result is then a view of it). A range past the last frame is an error, never
   * silence: the layout must not ask for audio the file does not have.
   */
  async read(firstFrame: number, frameCount: number, into?: Buffer): Promise<Buffer> {
    const { blockAlign, dataOffset, frameCount: total } = this.format;
    if (!Number.isSafeInteger(firstFrame) || !Number.isSafeInteger(frameCount) || firstFrame < 0 || frameCount < 0) {
      throw new RangeError(`${this.path}: bad sample frame range ${firstFrame} + ${frameCount}`);
    }
    if (firstFrame + frameCount > total) {
      fail('wav', `${this.path}: sample frames ${firstFrame}–${firstFrame + frameCount - 1} were asked for, but the file has only ${total}`);
    }
    const handle = this.handle;
    if (!handle) throw new Error(`${this.path}: read after close`);
    const length = frameCount * blockAlign;
    if (into && into.length < length) throw new RangeError(`${this.path}: buffer of ${into.length} bytes is too small for ${length}`);
    const buf = into ? into.subarray(0, length) : Buffer.allocUnsafe(length);
    const start = dataOffset + firstFrame * blockAlign;
    const filled = await readInto(handle, buf, start);
    if (filled < length) {
      // The header was checked against the file's size, so the file changed since.
      fail('wav', `${this.path}: truncated or corrupt WAV file (it ends ${length - filled} bytes before the sample data does; was it changed during the build?)`);
    }
    return buf;
  }

  /** Closes the file; further reads fail, closing again does nothing. */
  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }
}

/** Opens each source path once for a whole render, however many spans read from it, and closes them all at the end. */
export class SourcePool {
  private readonly readers = new Map<string, Promise<SourceReader>>();

  /** The reader of `path`, opened on first use (later calls share it, whatever format they pass). */
  get(path: string, format: SourceFormat): Promise<SourceReader> {
    let reader = this.readers.get(path);
    if (!reader) {
      reader = SourceReader.open(path, format);
      this.readers.set(path, reader);
    }
    return reader;
  }

  /** Closes every reader opened so far; failed opens are skipped, the pool can be used again afterwards. */
  async close(): Promise<void> {
    const pending = [...this.readers.values()];
    this.readers.clear();
    const results = await Promise.allSettled(pending);
    await Promise.all(results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.close()] : [])));
  }
}
