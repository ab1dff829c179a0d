// DiscAnalyzer on a worker thread, so that the analysis of the image runs beside rendering, the
// CRC-32 and the MD5 instead of after them. The image arrives in chunks of a ChunkPool (the build's,
// verify's, the report's): the worker reads each where it is, in shared memory, holding it until it
// is analysed, and the chunk goes back to its pool then. Nothing is copied between threads, and
// memory is bounded by the pool: whoever fills it waits while every slot is held.
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

type ToWorker = { type: 'chunk'; memory?: SharedArrayBuffer | undefined; offset: number; length: number; ticket: number } | { type: 'finish' };
type FromWorker =
  | { type: 'released'; ticket: number }
  | { type: 'result'; analysis: DiscAnalysis; overview?: OverviewData | undefined }
  | { type: 'error'; name: string; message: string };

/** Runs a DiscAnalyzer on a worker thread: push() the image in order, then finish(); close() when done or to give up. */
export class AnalysisWorker {
  private readonly worker: Worker;
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
      if (m.type === 'released') {
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

  /**
   * Hands the next bytes of the image (little-endian L, R int16, any length) to the worker: `bytes`
   * must lie in `chunk`'s memory (all of it or a part). The worker reads them there, holding the chunk
   * until it has analysed them; the caller may release its own hold at once. Throws after finish() or
   * close(), and what the analysis threw (e.g. a RangeError for more audio than planned) once the
   * worker has reported it; finish() throws it too.
   */
  push(bytes: Uint8Array, chunk: PooledChunk): void {
    if (this.finishing || this.closed) throw new Error('analysis: push() after finish() or close()');
    if (bytes.buffer !== chunk.shared) throw new Error("analysis: the bytes are not in the pooled chunk's memory");
    if (this.failure) throw this.failure;
    if (bytes.length === 0) return;
    chunk.hold();
    const ticket = this.nextTicket++;
    this.held.set(ticket, chunk);
    // A chunk in the analyser's own memory is named by its offset only: the worker reads it through its own view.
    const memory = chunk.shared === this.memory ? undefined : chunk.shared;
    const message: ToWorker = { type: 'chunk', memory, offset: bytes.byteOffset, length: bytes.length, ticket };
    this.worker.postMessage(message);
  }

  /** The analysis, once the worker has taken every chunk; the worker then stops. */
  finish(): Promise<DiscAnalysis> {
    if (this.finishing || this.closed) return Promise.reject(new Error('analysis: finish() called twice or after close()'));
    this.finishing = true;
    if (this.failure) return Promise.reject(this.failure);
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

  private fail(e: Error): void {
    this.failure ??= e;
    // What the worker held goes back to its pool: the pass that filled it must not wait for it.
    for (const chunk of this.held.values()) chunk.release();
    this.held.clear();
    this.rejectResult?.(this.failure);
    this.settled();
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

/** The worker side: one DiscAnalyzer, fed the chunks in order; each is released once analysed. */
function serve(start: Start): void {
  const port = parentPort!;
  let analyzer: DiscAnalyzer | undefined;
  let failed = false;
  const send = (m: FromWorker): void => port.postMessage(m);
  const own = start.memory?.buffer;
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
      const memory = m.memory ?? own;
      if (memory) analyse(new Uint8Array(memory, m.offset, m.length));
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
