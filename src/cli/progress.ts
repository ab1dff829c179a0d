// A one-line progress bar on a terminal: percentage, MB/s and time left.
import type { Io } from './main.js';
import { BYTES_PER_FRAME } from '../time.js';

/** Draws progress for a job measured in CD frames; does nothing when output is not a terminal. */
export class ProgressBar {
  private readonly started = performance.now();
  private lastDraw = 0;

  constructor(
    private readonly io: Io,
    private readonly label: string,
    private readonly enabled: boolean,
  ) {}

  /** Redraws at most ten times a second. */
  update(framesDone: number, framesTotal: number): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (now - this.lastDraw < 100 && framesDone < framesTotal) return;
    this.lastDraw = now;
    const fraction = framesTotal > 0 ? framesDone / framesTotal : 1;
    const seconds = (now - this.started) / 1000;
    const mbPerSecond = seconds > 0 ? (framesDone * BYTES_PER_FRAME) / 1e6 / seconds : 0;
    const left = fraction > 0 ? seconds * (1 / fraction - 1) : 0;
    const width = 30;
    const filled = Math.round(fraction * width);
    const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
    this.io.err(`\r${this.label} [${bar}] ${(fraction * 100).toFixed(0).padStart(3)}%  ${mbPerSecond.toFixed(1)} MB/s  ${formatSeconds(left)} left `);
  }

  /** Clears the line. */
  done(): void {
    if (this.enabled) this.io.err('\r\x1b[K');
  }
}

/** Seconds as `M:SS`. */
export function formatSeconds(s: number): string {
  const whole = Math.max(0, Math.round(s));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}
