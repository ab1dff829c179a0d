import { describe, expect, it } from 'vitest';
import { formatSeconds, ProgressBar } from '../../src/cli/progress.js';

describe('ProgressBar', () => {
  it('draws percentage, MB/s and time left on a terminal, and clears the line at the end', () => {
    let text = '';
    const bar = new ProgressBar({ out: () => undefined, err: (t) => (text += t), isTty: true }, 'IMAGE.DAT', true);
    bar.update(750, 750);
    bar.done();
    expect(text.endsWith('\r\u001b[K')).toBe(true);
    expect(text.slice(0, -4)).toMatch(/^\rIMAGE\.DAT \[#{30}\] 100% {2}\d+\.\d MB\/s {2}0:00 left $/);
  });

  it('draws nothing when disabled', () => {
    let text = '';
    const bar = new ProgressBar({ out: () => undefined, err: (t) => (text += t), isTty: false }, 'IMAGE.DAT', false);
    bar.update(10, 750);
    bar.done();
    expect(text).toBe('');
  });

  it('formats seconds as M:SS', () => {
    expect([formatSeconds(0), formatSeconds(59.4), formatSeconds(61), formatSeconds(3600)]).toEqual(['0:00', '0:59', '1:01', '60:00']);
  });
});
