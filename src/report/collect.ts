// Feeds the image, chunk by chunk as it is written or read, to the analysis and the waveform overview, so
// that a report costs no extra pass over the audio.
import { trackStart, type Disc } from '../disc/model.js';
import { SAMPLES_PER_FRAME } from '../time.js';
import { DiscAnalyzer, type DiscAnalysis } from './analysis.js';
import { WaveformOverview, type OverviewData } from './overview.js';

/** What a pass over the image gives the report. */
export interface ImageMeasurements {
  analysis: DiscAnalysis;
  overview: OverviewData;
}

/** Collects the analysis and overview of a disc's image from its chunks, in order. */
export class ReportCollector {
  private readonly analyzer: DiscAnalyzer;
  private readonly overview: WaveformOverview;

  constructor(disc: Disc) {
    const imageSamples = disc.leadOut * SAMPLES_PER_FRAME;
    this.analyzer = new DiscAnalyzer({ trackStarts: disc.tracks.map((t) => trackStart(t) * SAMPLES_PER_FRAME), imageSamples });
    this.overview = new WaveformOverview(imageSamples);
  }

  /** The next chunk of 16-bit little-endian stereo PCM. */
  push(chunk: Uint8Array): void {
    this.analyzer.push(chunk);
    this.overview.push(chunk);
  }

  /** The results, once every sample was pushed. */
  finish(): ImageMeasurements {
    return { analysis: this.analyzer.finish(), overview: this.overview.data() };
  }
}
