// MD5 on a worker thread, so that reading or rendering, the CRC-32 and any analysis run at the same time
// as the MD5 (the slowest step of verify and build). The worker reads the chunks where they are, in a
// ChunkPool's shared memory: nothing is copied or transferred, and each chunk goes back to its pool
// (release()) as soon as it is hashed.
import { Worker } from 'node:worker_threads';
import type { PooledChunk } from '../render/chunk-pool.js';

/** The worker: plain JavaScript evaluated in the thread, so it runs the same from src/ (tests) and dist/. */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const hashes = new Map();
parentPort.on('message', (m) => {
  if (m.type === 'update') {
    let h = hashes.get(m.id);
    if (!h) { h = createHash('md5'); hashes.set(m.id, h); }
    h.update(new Uint8Array(m.memory, m.offset, m.length));
    parentPort.postMessage({ type: 'done', ticket: m.ticket });
  } else if (m.type === 'digest') {
    const h = hashes.get(m.id) || createHash('md5');
    hashes.delete(m.id);
    parentPort.postMessage({ type: 'digest', id: m.id, md5: h.digest('hex') });
  }
});
`;

type Message = { type: 'done'; ticket: number } | { type: 'digest'; id: number; md5: string };

/** A worker thread computing the MD5 of any number of streams, one pooled chunk at a time. */
export class Md5Worker {
  private readonly worker = new Worker(WORKER_SOURCE, { eval: true });
  private nextId = 1;
  private nextTicket = 1;
  /** Chunks with the worker, by ticket: released when hashed (or when the worker fails). */
  private readonly held = new Map<number, PooledChunk>();
  private failure: Error | undefined;
  private readonly digests = new Map<number, { resolve: (md5: string) => void; reject: (e: Error) => void }>();

  constructor() {
    this.worker.on('message', (m: Message) => {
      if (m.type === 'done') {
        this.held.get(m.ticket)?.release();
        this.held.delete(m.ticket);
      } else {
        this.digests.get(m.id)?.resolve(m.md5);
        this.digests.delete(m.id);
      }
    });
    this.worker.on('error', (e: unknown) => this.fail(e instanceof Error ? e : new Error(String(e))));
  }

  /** Chunks handed over and not hashed yet. */
  get pending(): number {
    return this.held.size;
  }

  /** A new stream id. */
  open(): number {
    return this.nextId++;
  }

  /**
   * Adds `bytes` (a view of `chunk`'s memory, the whole chunk by default) to stream `id`. The worker holds
   * the chunk until it has hashed it; the caller may release its own hold at once.
   */
  update(id: number, chunk: PooledChunk, bytes: Uint8Array = chunk.bytes): void {
    if (this.failure) throw this.failure;
    if (bytes.buffer !== chunk.shared) throw new Error('Md5Worker: the bytes are not in the chunk\'s memory');
    chunk.hold();
    const ticket = this.nextTicket++;
    this.held.set(ticket, chunk);
    this.worker.postMessage({ type: 'update', id, memory: chunk.shared, offset: bytes.byteOffset, length: bytes.length, ticket });
  }

  /** The MD5 of everything sent for `id`, as 32 lower-case hex digits. */
  digest(id: number): Promise<string> {
    return new Promise((resolve, reject) => {
      if (this.failure) {
        reject(this.failure);
        return;
      }
      this.digests.set(id, { resolve, reject });
      this.worker.postMessage({ type: 'digest', id });
    });
  }

  /** Stops the thread; chunks it still held go back to their pools. */
  async close(): Promise<void> {
    this.fail(new Error('Md5Worker closed'));
    await this.worker.terminate();
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const chunk of this.held.values()) chunk.release();
    this.held.clear();
    for (const d of this.digests.values()) d.reject(this.failure);
    this.digests.clear();
  }
}
