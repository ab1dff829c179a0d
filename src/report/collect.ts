// Feeds the image, chunk by chunk as it is written or read, to the analysis and the waveform overview, so
// that a report costs no extra pass over the audio.
import { trackStart, type Disc } from '../disc/model.js';
import { ChunkPool, type PooledChunk } from '../render/chunk-pool.js';
import { BYTES_PER_SAMPLE, SAMPLES_PER_FRAME } from '../time.js';
import { ANALYSIS_SCRATCH_BYTES, addCrcs, type DiscAnalysis } from './analysis.js';
import { AnalysisWorker } from './analysis-worker.js';
import type { OverviewData } from './overview.js';

/** Bytes of a WebAssembly memory page. */
const WASM_PAGE = 65536;
/** Bins of the report's waveform overview (about one per 0.15 mm across an A4 page). */
const OVERVIEW_BINS = 1200;

/** What a pass over the image gives the report. */
export interface ImageMeasurements {
  analysis: DiscAnalysis;
  overview: OverviewData;
}

/** CRC-32s of the image from the caller's own pass (Crc32Parts cut at `crcCuts`). */
export interface ImageCrcs {
  parts: readonly number[];
  whole: number;
}

/** Options of a ReportCollector. */
export interface CollectorOptions {
  /**
   * The caller's pass over the image computes the CRC-32s (the fileset writer does, for CHECKSUM.TXT):
   * it cuts them at crcCuts() and hands them to finish(), and the analysis thread does not compute them again.
   */
  crcGiven?: boolean;
  /**
   * Make `pool` a ChunkPool of this shape inside the analysis thread's own memory (a shared WebAssembly
   * memory): chunks rendered or read into it are analysed where they lie, not even copied into the
   * analysis's buffers (chunks of other pools are).
   */
  pool?: { slots: number; slotBytes: number } | undefined;
}

/** Collects the analysis and overview of a disc's image from its chunks, in order. */
export class ReportCollector {
  private readonly analyzer: AnalysisWorker;
  private readonly trackStarts: number[];
  /** Bytes of the image, and how many were pushed. */
  private readonly imageBytes: number;
  private pushed = 0;
  /** The analysis, asked for as soon as the last byte was pushed (while the caller still finishes its own work). */
  private analysis: Promise<DiscAnalysis> | undefined;
  /** The chunks to fill for this collector (options.pool), in the analysis's memory. */
  readonly pool: ChunkPool | undefined;

  constructor(disc: Disc, private readonly options: CollectorOptions = {}) {
    const imageSamples = disc.leadOut * SAMPLES_PER_FRAME;
    this.imageBytes = imageSamples * BYTES_PER_SAMPLE;
    this.trackStarts = disc.tracks.map((t) => trackStart(t) * SAMPLES_PER_FRAME);
    let memory: WebAssembly.Memory | undefined;
    if (options.pool) {
      // The analysis's own page first, then the slots, then room for the kernels' last vector reads.
      const { slots, slotBytes } = options.pool;
      const pages = Math.ceil((ANALYSIS_SCRATCH_BYTES + slots * slotBytes + 16) / WASM_PAGE);
      memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
      const buffer: unknown = memory.buffer;
      if (!(buffer instanceof SharedArrayBuffer)) throw new Error('report: a shared WebAssembly memory has no SharedArrayBuffer');
      this.pool = new ChunkPool(slots, slotBytes, { buffer, offset: ANALYSIS_SCRATCH_BYTES });
    }
    // The overview is drawn on the analysis thread too: the main thread renders and writes.
    this.analyzer = new AnalysisWorker({ trackStarts: this.trackStarts, imageSamples }, { overviewBins: OVERVIEW_BINS, crc: !options.crcGiven, memory });
  }

  /** Byte offsets in the image where the CRC-32 parts finish() wants begin: each track's index 01. */
  crcCuts(): number[] {
    return this.trackStarts.map((s) => s * BYTES_PER_SAMPLE);
  }

  /**
   * The next bytes of 16-bit little-endian stereo PCM, lying in `chunk`'s memory. The analysis thread
   * reads them there and holds the chunk until done (the pool bounds how far it may fall behind).
   */
  push(bytes: Uint8Array, chunk: PooledChunk): void {
    this.analyzer.push(bytes, chunk);
    this.pushed += bytes.length;
    if (this.pushed === this.imageBytes && !this.analysis) {
      this.analysis = this.analyzer.finish();
      // Awaited by finish(); a failure before then must not count as unhandled.
      this.analysis.catch(() => undefined);
    }
  }

  /**
   * The results, once every sample was pushed; `crcs` as the constructor's options say. The analysis
   * thread was asked to finish when the last byte arrived, so its last figures (the gating, the
   * loudness range) are computed while the caller completes its own work (the fileset's last writes).
   */
  async finish(crcs?: ImageCrcs): Promise<ImageMeasurements> {
    if (Boolean(this.options.crcGiven) !== (crcs !== undefined)) throw new Error(this.options.crcGiven ? 'report: the CRC-32s of the image are missing' : 'report: CRC-32s given, but the analysis computes its own');
    const analysis = await (this.analysis ?? this.analyzer.finish());
    return { analysis: crcs ? addCrcs(analysis, crcs) : analysis, overview: this.analyzer.overview! };
  }

  /** Stops the worker (after a failure; finish() stops it too). */
  close(): void {
    this.analyzer.close();
  }
}
