// Feeds the image, chunk by chunk as it is written or read, to the analysis and the waveform overview, so
// that a report costs no extra pass over the audio.
import { trackStart, type Disc } from '../disc/model.js';
import { SAMPLES_PER_FRAME } from '../time.js';
import type { DiscAnalysis } from './analysis.js';
import { AnalysisWorker } from './analysis-worker.js';
import type { OverviewData } from './overview.js';

/** Bins of the report's waveform overview (about one per 0.15 mm across an A4 page). */
const OVERVIEW_BINS = 1200;

/** What a pass over the image gives the report. */
export interface ImageMeasurements {
  analysis: DiscAnalysis;
  overview: OverviewData;
}

/** Collects the analysis and overview of a disc's image from its chunks, in order. */
export class ReportCollector {
  private readonly analyzer: AnalysisWorker;

  constructor(disc: Disc) {
    const imageSamples = disc.leadOut * SAMPLES_PER_FRAME;
    // The overview is drawn on the analysis thread too: the main thread renders and writes.
    this.analyzer = new AnalysisWorker({ trackStarts: disc.tracks.map((t) => trackStart(t) * SAMPLES_PER_FRAME), imageSamples }, { overviewBins: OVERVIEW_BINS });
  }

  /**
   * The next chunk of 16-bit little-endian stereo PCM. The analysis runs on a worker thread over a copy;
   * the returned promise waits while the worker is behind, so memory stays bounded.
   */
  push(chunk: Uint8Array): Promise<void> {
    return this.analyzer.push(chunk);
  }

  /** The results, once every sample was pushed. */
  async finish(): Promise<ImageMeasurements> {
    const analysis = await this.analyzer.finish();
    return { analysis, overview: this.analyzer.overview! };
  }

  /** Stops the worker (after a failure; finish() stops it too). */
  close(): void {
    this.analyzer.close();
  }
}
