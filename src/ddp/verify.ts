// Verify a DDP fileset: structure (readFileset), then every file's MD5 and CRC-32 against every checksum
// file, in one streaming pass over each file (IMAGE.DAT is read once).
import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32, crc32Hex } from '../checksum/digest.js';
import { Md5Worker } from '../checksum/md5-worker.js';
import { ChunkPool, type PooledChunk } from '../render/chunk-pool.js';
import { checksumFileKind, parseCrc32File, parseMd5File } from '../checksum/files.js';
import { DdpkitError, type Finding } from '../errors.js';
import { readFileset, type FileRef, type FilesetRead } from './read-fileset.js';

/** Options of verifyFileset. */
export interface VerifyOptions {
  /** Called as bytes are hashed. */
  onProgress?: ((bytesDone: number, bytesTotal: number) => void) | undefined;
  /**
   * Sees the audio of IMAGE.DAT as it is read, for analysis in the same pass; `bytes` is valid until the
   * promise resolves (hold() the chunk to keep it longer).
   */
  onImageChunk?: ((bytes: Buffer, chunk: PooledChunk) => void | Promise<void>) | undefined;
  signal?: AbortSignal | undefined;
  /** Where to read the files (default: a pool of VERIFY_POOL_SLOTS × VERIFY_CHUNK_BYTES of its own; e.g. an analysis's, see ReportCollector). */
  pool?: ChunkPool | undefined;
  /** The fileset as readFileset already read it (so a caller that has it does not read it twice). */
  read?: FilesetRead | undefined;
}

/** One file's checksums as computed. */
export interface FileChecksum {
  name: string;
  bytes: number;
  md5: string;
  crc32: string;
  /** Which checksum files list it (their names). */
  coveredBy: string[];
}

/** What verification found. */
export interface VerifyResult extends FilesetRead {
  checksums: FileChecksum[];
  /** True when no finding is an error. */
  ok: boolean;
}

/** Largest checksum file read (they are a few lines). */
const MAX_CHECKSUM_FILE = 1024 * 1024;
/** Bytes read at once. */
export const VERIFY_CHUNK_BYTES = 1 << 20;
/** Chunks in flight: one being read, the rest with the MD5 (and any analysis) thread. */
export const VERIFY_POOL_SLOTS = 6;

/** Verifies the fileset in `dir`: structure, PQ, CD-Text and every checksum. */
export async function verifyFileset(dir: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  const read = options.read ?? (await readFileset(dir));
  const findings = read.findings;
  const { files } = read;
  const checksumFiles = files.others.filter((f) => checksumFileKind(f.name) !== undefined);
  const dataFiles: FileRef[] = [files.ddpid, files.ddpms, files.cdtext, files.pq, files.image, ...files.others.filter((f) => !checksumFiles.includes(f))].filter(
    (f): f is FileRef => f !== undefined,
  );
  const unique = [...new Map(dataFiles.map((f) => [f.name, f])).values()];

  const total = unique.reduce((n, f) => n + f.size, 0);
  let done = 0;
  const computed = new Map<string, FileChecksum>();
  const md5 = new Md5Worker();
  const pool = options.pool ?? new ChunkPool(VERIFY_POOL_SLOTS, VERIFY_CHUNK_BYTES);
  const chunkBytes = Math.min(VERIFY_CHUNK_BYTES, pool.slotBytes);
  try {
    for (const f of unique) {
      const isImage = f === files.image;
      const id = md5.open();
      let crc = 0;
      let bytes = 0;
      const handle = await open(f.path, 'r');
      try {
        for (let pos = 0; pos < f.size; ) {
          if (options.signal?.aborted) throw new DdpkitError('interrupted', 'interrupted');
          // Read into shared memory: the MD5 thread (and any analysis thread) reads it there.
          const pooled = await pool.take(Math.min(chunkBytes, f.size - pos));
          let bytesRead = 0;
          try {
            ({ bytesRead } = await handle.read(pooled.bytes, 0, pooled.bytes.length, pos));
            if (bytesRead === 0) break;
            const chunk = pooled.bytes.subarray(0, bytesRead);
            crc = crc32(chunk, crc);
            if (isImage && options.onImageChunk && files.image) {
              // Only the stream DDPMS describes (from OFS, DSL frames) is audio.
              const a = Math.max(pos, files.image.offset);
              const b = Math.min(pos + bytesRead, files.image.offset + files.image.frames * 2352);
              if (b > a) await options.onImageChunk(chunk.subarray(a - pos, b - pos), pooled);
            }
            md5.update(id, pooled, chunk);
          } finally {
            pooled.release();
          }
          pos += bytesRead;
          bytes += bytesRead;
          done += bytesRead;
          options.onProgress?.(done, total);
        }
      } finally {
        await handle.close();
      }
      // Keyed by the name as on disk: names differing only in case are different files (fileset-ambiguous).
      computed.set(f.name, { name: f.name, bytes, md5: await md5.digest(id), crc32: crc32Hex(crc), coveredBy: [] });
    }
  } finally {
    await md5.close();
  }

  if (checksumFiles.length === 0) {
    findings.push({ severity: 'warning', code: 'checksum-none', message: 'the fileset has no checksum file (CHECKSUM.MD5 or *.md5, CHECKSUM.TXT): nothing proves the files arrived intact' });
  }
  for (const cf of checksumFiles) {
    if (cf.size > MAX_CHECKSUM_FILE) {
      findings.push({ severity: 'error', code: 'checksum-file-size', file: cf.name, message: `${cf.size} bytes is far too large for a checksum file; not read` });
      continue;
    }
    const raw = await readFile(cf.path);
    // A UTF-8 byte-order mark (Windows editors write one) as the U+FEFF the parsers skip; the rest byte for byte.
    const bom = raw.length >= 3 && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf;
    const text = bom ? `\uFEFF${raw.toString('latin1', 3)}` : raw.toString('latin1');
    const kind = checksumFileKind(cf.name);
    const entries: { name: string; expected: string; line: number; kind: 'md5' | 'crc32' }[] = [];
    if (kind === 'md5') {
      const r = parseMd5File(text, cf.name);
      findings.push(...r.findings);
      for (const e of r.entries) entries.push({ name: e.name, expected: e.md5, line: e.line, kind: 'md5' });
    } else {
      const r = parseCrc32File(text, cf.name);
      findings.push(...r.findings);
      for (const e of r.entries) entries.push({ name: e.name, expected: crc32Hex(e.crc32), line: e.line, kind: 'crc32' });
    }
    for (const e of entries) {
      const listed = path.basename(e.name.replaceAll('\\', '/'));
      const key = listed.toUpperCase();
      // The exact name first; else any case of it, the fileset's own files before the others.
      const got = computed.get(listed) ?? [...computed.values()].find((c) => c.name.toUpperCase() === key);
      if (!got) {
        const isChecksum = checksumFiles.some((c) => c.name.toUpperCase() === key);
        if (!isChecksum) findings.push({ severity: 'error', code: 'checksum-missing-file', file: cf.name, message: `line ${e.line} lists ${e.name}, which is not in the fileset` });
        continue;
      }
      got.coveredBy.push(cf.name);
      const actual = e.kind === 'md5' ? got.md5 : got.crc32;
      if (actual !== e.expected) {
        findings.push({
          severity: 'error',
          code: e.kind === 'md5' ? 'md5-mismatch' : 'crc32-mismatch',
          file: got.name,
          message: `${e.kind === 'md5' ? 'MD5' : 'CRC-32'} is ${actual}, but ${cf.name} line ${e.line} says ${e.expected}: the file is damaged or was changed`,
        });
      }
    }
  }
  const checksums = [...computed.values()];
  if (checksumFiles.length > 0) {
    for (const c of checksums) {
      if (c.coveredBy.length === 0) findings.push({ severity: 'warning', code: 'checksum-uncovered', file: c.name, message: `no checksum file covers ${c.name}` });
    }
  }
  return { ...read, findings, checksums, ok: !findings.some((f: Finding) => f.severity === 'error') };
}
