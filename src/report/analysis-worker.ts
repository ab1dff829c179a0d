// DiscAnalyzer on a worker thread, so that the analysis of the image runs beside rendering, the
// CRC-32 and the MD5 instead of after them. A chunk of a ChunkPool (the build's and verify's) is read
// where it is, in shared memory, and goes back to its pool once analysed: nothing is copied. Other
// chunks travel in a small pool of buffers that are transferred to the worker and back, never copied
// twice or left as garbage: memory stays flat (POOL_SIZE buffers of the chunk size), and push() waits
// while all of them are with the worker.
//
// The worker runs this same module: started with workerData.ddpkitAnalysis, it analyses instead
// of exporting. From dist/ that is plain JavaScript, analysis-worker.js beside analysis.js, and the
// worker simply loads that file. Under vitest (which runs the TypeScript sources) this module is a
// .ts file, which Node 20 cannot load on its own, and `execArgv: ['--import', 'tsx']` does not
// reach a worker's own entry in Node 20 (its loader hooks miss it): the worker then starts from a
// one-line script that registers tsx's loader (tsx/esm/api, a devDependency) and imports this
// file. Only then: the built package never needs tsx.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { PooledChunk } from '../render/chunk-pool.js';
import { DiscAnalyzer, checkPlan, type AnalysisPlan, type DiscAnalysis } from './analysis.js';
import type { OverviewData } from './overview.js';

/** Buffers in the pool: how many chunks may wait for the worker. */
const POOL_SIZE = 4;
/** The smallest pool buffer: a chunk of the build (512 CD frames) is 1.2 MB. */
const MIN_BUFFER = 1 << 20;

/** What the worker is started with. */
interface Start {
  ddpkitAnalysis: true;
  plan: AnalysisPlan;
  /** Also compute a waveform overview with this many bins (off the main thread too). */
  overviewBins?: number | undefined;
  /** Compute the CRC-32s (false: someone else does; see DiscAnalyzer). */
  crc: boolean;
  /** The shared memory the analyser works in (see AnalysisWorkerOptions.memory). */
  memory?: WebAssembly.Memory | undefined;
}

/** Options of an AnalysisWorker. */
export interface AnalysisWorkerOptions {
  /** Also compute a waveform overview with this many bins (off the main thread too). */
  overviewBins?: number | undefined;
  /** Compute the CRC-32s (default true; false when the caller's pass over the image does: see addCrcs()). */
  crc?: boolean | undefined;
  /**
   * A shared WebAssembly memory for the analyser (DiscAnalyzer's memory option): pooled chunks that
   * lie in it, past its first ANALYSIS_SCRATCH_BYTES, are analysed where they are, not even copied
   * into the analyser's buffers (see ReportCollector's pool).
   */
  memory?: WebAssembly.Memory | undefined;
}

type ToWorker =
  | { type: 'chunk'; buffer: ArrayBuffer; length: number }
  | { type: 'shared'; memory?: SharedArrayBuffer | undefined; offset: number; length: number; ticket: number }
  | { type: 'finish' };
type FromWorker =
  | { type: 'done'; buffer: ArrayBuffer }
  | { type: 'released'; ticket: number }
  | { type: 'result'; analysis: DiscAnalysis; overview?: OverviewData | undefined }
  | { type: 'error'; name: string; message: string };

/** Runs a DiscAnalyzer on a worker thread: push() the image in order, then finish(); close() when done or to give up. */
export class AnalysisWorker {
  private readonly worker: Worker;
  private readonly free: ArrayBuffer[] = [];
  private created = 0;
  private waiting: (() => void) | undefined;
  private failure: Error | undefined;
  private result: ((analysis: DiscAnalysis) => void) | undefined;
  private rejectResult: ((e: Error) => void) | undefined;
  private finishing = false;
  private closed = false;
  private overviewData: OverviewData | undefined;
  /** The analyser's memory as this thread sees it, when it was given one. */
  private readonly memory: ArrayBufferLike | undefined;
  /** Pooled chunks with the worker, by ticket: released when analysed (or when the worker fails). */
  private readonly held = new Map<number, PooledChunk>();
  private nextTicket = 1;
  /** The last push() handed over: pushes go out one after another, in the order they were called. */
  private queue: Promise<void> = Promise.resolve();

  /** Starts the worker for a plan; throws a RangeError for a bad plan, as DiscAnalyzer's constructor does. */
  constructor(plan: AnalysisPlan, options: AnalysisWorkerOptions = {}) {
    checkPlan(plan);
    const url = new URL(import.meta.url);
    const workerData: Start = {
      ddpkitAnalysis: true,
      plan: { trackStarts: [...plan.trackStarts], imageSamples: plan.imageSamples },
      overviewBins: options.overviewBins,
      crc: options.crc ?? true,
      memory: options.memory,
    };
    this.memory = options.memory?.buffer;
    this.worker = url.pathname.endsWith('.ts')
      ? new Worker(`import(${JSON.stringify(tsxApi())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`, { eval: true, workerData })
      : new Worker(url, { workerData });
    this.worker.on('message', (m: FromWorker) => {
      if (m.type === 'done') {
        this.free.push(m.buffer);
        this.wake();
      } else if (m.type === 'released') {
        this.held.get(m.ticket)?.release();
        this.held.delete(m.ticket);
      } else if (m.type === 'result') {
        this.overviewData = m.overview;
        this.result?.(m.analysis);
        this.settled();
      } else {
        const e = m.name === 'RangeError' ? new RangeError(m.message) : new Error(m.message);
        this.fail(e);
      }
    });
    this.worker.on('error', (e: unknown) => this.fail(e instanceof Error ? e : new Error(String(e))));
    this.worker.on('exit', (code) => {
      if (!this.closed) this.fail(new Error(`analysis worker stopped (exit code ${code})`));
    });
  }

  /** The waveform overview, after finish(), when the worker was asked for one. */
  get overview(): OverviewData | undefined {
    return this.overviewData;
  }

  /** Buffers the pool holds (with the worker or free): never more than POOL_SIZE. */
  get allocated(): number {
    return this.created;
  }

  /**
   * Hands the next chunk of the image (little-endian L, R int16, any length) to the worker. When
   * `pooled` is the ChunkPool chunk whose memory holds `chunk`, the worker reads it there, holding
   * the chunk until it is analysed. Otherwise `chunk` is copied into a buffer of this worker's pool,
   * and the caller may reuse it once the promise resolves; that waits while every buffer is with the
   * worker (await each push() to keep memory bounded; pushes not awaited still go out in the order
   * they were called). Rejects with what the analysis threw, e.g. a RangeError for more audio than planned.
   */
  push(chunk: Uint8Array, pooled?: PooledChunk): Promise<void> {
    if (this.finishing || this.closed) return Promise.reject(new Error('analysis: push() after finish() or close()'));
    if (pooled && chunk.buffer !== pooled.shared) return Promise.reject(new Error("analysis: the bytes are not in the pooled chunk's memory"));
    // Held from now, so that the bytes stay as they are while the push waits its turn.
    pooled?.hold();
    const pushed = this.queue.then(() => (pooled ? this.share(chunk, pooled) : this.hand(chunk)));
    this.queue = pushed.catch(() => undefined);
    return pushed;
  }

  /** The analysis, once the worker has taken every chunk; the worker then stops. */
  async finish(): Promise<DiscAnalysis> {
    if (this.finishing || this.closed) throw new Error('analysis: finish() called twice or after close()');
    this.finishing = true;
    await this.queue;
    if (this.failure) throw this.failure;
    const analysis = new Promise<DiscAnalysis>((resolve, reject) => {
      this.result = resolve;
      this.rejectResult = reject;
    });
    const message: ToWorker = { type: 'finish' };
    this.worker.postMessage(message);
    return analysis;
  }

  /** Stops the worker (any time; again does nothing). A push() or finish() still waiting fails. */
  close(): void {
    if (this.closed) return;
    this.fail(new Error('analysis worker closed'));
    this.closed = true;
    void this.worker.terminate();
  }

  /** Hands over a held pooled chunk: the worker reads its shared memory and says when it is done. */
  private share(chunk: Uint8Array, pooled: PooledChunk): void {
    if (this.failure || chunk.length === 0) {
      pooled.release();
      if (this.failure) throw this.failure;
      return;
    }
    const ticket = this.nextTicket++;
    this.held.set(ticket, pooled);
    // A chunk in the analyser's own memory is named by its offset only: the worker reads it through its own view.
    const memory = pooled.shared === this.memory ? undefined : pooled.shared;
    const message: ToWorker = { type: 'shared', memory, offset: chunk.byteOffset, length: chunk.length, ticket };
    this.worker.postMessage(message);
  }

  private async hand(chunk: Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    if (chunk.length === 0) return;
    const buffer = await this.take(chunk.length);
    new Uint8Array(buffer, 0, chunk.length).set(chunk);
    const message: ToWorker = { type: 'chunk', buffer, length: chunk.length };
    this.worker.postMessage(message, [buffer]);
  }

  /** A pool buffer of at least `size` bytes, waiting while all are with the worker. */
  private async take(size: number): Promise<ArrayBuffer> {
    for (;;) {
      if (this.failure) throw this.failure;
      const i = this.free.findIndex((b) => b.byteLength >= size);
      if (i >= 0) return this.free.splice(i, 1)[0]!;
      if (this.created < POOL_SIZE) {
        this.created++;
        return new ArrayBuffer(Math.max(size, MIN_BUFFER));
      }
      // All buffers are out, or too small: drop a too-small one to make room for a larger one, or wait.
      if (this.free.length > 0) {
        this.free.pop();
        this.created--;
        continue;
      }
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
  }

  private wake(): void {
    const w = this.waiting;
    this.waiting = undefined;
    w?.();
  }

  private fail(e: Error): void {
    this.failure ??= e;
    // What the worker held goes back to its pool: the pass that filled it must not wait for it.
    for (const chunk of this.held.values()) chunk.release();
    this.held.clear();
    this.rejectResult?.(this.failure);
    this.settled();
    this.wake();
  }

  /** After the result (or a failure): the worker's work is over. */
  private settled(): void {
    this.result = undefined;
    this.rejectResult = undefined;
    if (this.finishing && !this.closed) {
      this.closed = true;
      void this.worker.terminate();
    }
  }
}

/** The URL of tsx's ESM API (tsx/esm/api), whose register() lets a thread import TypeScript: tests only. */
function tsxApi(): string {
  try {
    const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
    const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import?: { default?: string } } | undefined> };
    const entry = exports['./esm/api']?.import?.default;
    if (!entry) throw new Error('tsx has no ./esm/api export');
    return pathToFileURL(path.join(path.dirname(manifest), entry)).href;
  } catch (e) {
    throw new Error(`analysis: running from the TypeScript sources needs tsx (a devDependency) to start the worker (${(e as Error).message}); the built dist/ does not`, { cause: e });
  }
}

/** The worker side: one DiscAnalyzer, fed the chunks in order; the buffers go back to the pool. */
function serve(start: Start): void {
  const port = parentPort!;
  let analyzer: DiscAnalyzer | undefined;
  let failed = false;
  const send = (m: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);
  const failWith = (e: unknown): void => {
    failed = true;
    const error = e instanceof Error ? e : new Error(String(e));
    send({ type: 'error', name: error.name, message: error.message });
  };
  try {
    analyzer = new DiscAnalyzer(start.plan, { crc: start.crc, overviewBins: start.overviewBins, memory: start.memory });
  } catch (e) {
    failWith(e);
  }
  const analyse = (pcm: Uint8Array): void => {
    if (failed || !analyzer) return;
    try {
      analyzer.push(pcm);
    } catch (e) {
      failWith(e);
    }
  };
  port.on('message', (m: ToWorker) => {
    if (m.type === 'chunk') {
      analyse(new Uint8Array(m.buffer, 0, m.length));
      send({ type: 'done', buffer: m.buffer }, [m.buffer]);
    } else if (m.type === 'shared') {
      analyse(new Uint8Array(m.memory ?? start.memory!.buffer, m.offset, m.length));
      send({ type: 'released', ticket: m.ticket });
    } else if (!failed && analyzer) {
      try {
        const analysis = analyzer.finish();
        send({ type: 'result', analysis, overview: analyzer.overview() });
      } catch (e) {
        failWith(e);
      }
    }
  });
}

const start = workerData as Partial<Start> | null | undefined;
if (!isMainThread && start?.ddpkitAnalysis === true && start.plan) serve(start as Start);
