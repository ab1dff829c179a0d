// Positional reads and writes that carry on after a short transfer: the one place that loops on them.
import type { FileHandle } from 'node:fs/promises';

/** Reads into all of `buffer` from `position`, or until the file ends; returns how many bytes were read. */
export async function readInto(handle: FileHandle, buffer: Uint8Array, position: number): Promise<number> {
  let done = 0;
  while (done < buffer.length) {
    const { bytesRead } = await handle.read(buffer, done, buffer.length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done;
}

/** Up to `length` bytes at `position`, in a new buffer; fewer only where the file ends. */
export async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  return buffer.subarray(0, await readInto(handle, buffer, position));
}

/** Writes all of `data` (short writes are continued), at `position` or at the file's current end. */
export async function writeAll(handle: FileHandle, data: Uint8Array, position: number | null = null): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const { bytesWritten } = await handle.write(data, done, data.length - done, position === null ? null : position + done);
    done += bytesWritten;
  }
}
