// Layouts worked out by hand: where every index falls and which samples each span covers.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/errors.js';
import { planDisc } from '../../src/plan.js';
import { AlbumDir, sec } from '../helpers/album.js';

let dir: AlbumDir;
beforeEach(() => {
  dir = new AlbumDir();
});
afterEach(() => {
  dir.remove();
});

async function plan(text: string) {
  const file = dir.manifest(text);
  const r = await planDisc(file);
  return { ...r, messages: r.problems.map((p) => formatProblem({ ...p, file: 'album.yaml' })) };
}

const indexesOf = (r: Awaited<ReturnType<typeof plan>>) => r.disc!.tracks.map((t) => t.indexes.map((i) => [i.number, i.frame]));
const spansOf = (r: Awaited<ReturnType<typeof plan>>) => r.disc!.spans.map((s) => [s.track, s.start, s.length, s.sourceStart]);

describe('layout', () => {
  it('pads the previous audio to a frame boundary before a gap', async () => {
    dir.wav('a.wav', { samples: sec(5) + 100 }); // 220600 samples: ends 100 samples into frame 375
    dir.wav('b.wav', { samples: sec(5) });
    const r = await plan(`
      version: 1
      tracks:
        - file: a.wav
        - { file: b.wav, gap: 1s }
    `);
    expect(r.messages).toEqual([]);
    // Track 1: 150-frame pregap, audio 88200..308800 (frame 525.17) → padded to frame 526 = index 00 of track 2.
    expect(indexesOf(r)).toEqual([
      [[0, 0], [1, 150]],
      [[0, 526], [1, 601]],
    ]);
    expect(spansOf(r)).toEqual([
      [1, 88200, 220600, 0],
      [2, 601 * 588, 220500, 0],
    ]);
    expect(r.disc!.leadOut).toBe(601 + 375);
  });

  it('keeps a gapless join sample-continuous with index 01 on the frame at or before it', async () => {
    dir.wav('a.wav', { samples: sec(5) + 7 }); // odd length: the join falls 7 samples into a frame
    dir.wav('b.wav', { samples: sec(5) + 1 });
    const r = await plan(`
      version: 1
      tracks:
        - file: a.wav
        - { file: b.wav, gap: 0 }
    `);
    expect(r.messages).toEqual([]);
    const join = 88200 + 220507;
    expect(spansOf(r)).toEqual([
      [1, 88200, 220507, 0],
      [2, join, 220501, 0],
    ]);
    expect(indexesOf(r)).toEqual([[[0, 0], [1, 150]], [[1, Math.floor(join / 588)]]]);
    expect(r.disc!.leadOut).toBe(Math.ceil((join + 220501) / 588));
  });

  it('overlaps a crossfade and puts index 01 at or before the start of the overlap', async () => {
    dir.wav('a.wav', { samples: sec(6) });
    dir.wav('b.wav', { samples: sec(6) });
    const r = await plan(`
      version: 1
      tracks:
        - file: a.wav
        - { file: b.wav, gap: 0, crossfade: { length: 1000smp, curve: linear } }
    `);
    expect(r.messages).toEqual([]);
    const start = 88200 + sec(6) - 1000;
    expect(spansOf(r)).toEqual([
      [1, 88200, sec(6), 0],
      [2, start, sec(6), 0],
    ]);
    expect(indexesOf(r)[1]).toEqual([[1, Math.floor(start / 588)]]);
    expect(r.disc!.spans[0]!.ramps).toEqual([{ direction: 'out', offset: sec(6) - 1000, length: 1000, curve: 'linear' }]);
    expect(r.disc!.spans[1]!.ramps).toEqual([{ direction: 'in', offset: 0, length: 1000, curve: 'linear' }]);
  });

  it('lets a pregap reach back into the previous track (a segue)', async () => {
    dir.wav('a.wav', { samples: sec(8) });
    dir.wav('b.wav', { samples: sec(5) });
    const r = await plan(`
      version: 1
      tracks:
        - file: a.wav
        - { file: b.wav, gap: 0, pregap: 2s }
    `);
    expect(r.messages).toEqual([]);
    // Track 1 audio ends at 88200 + 352800 = 441000 = frame 750 exactly; index 00 = 750 − 150.
    expect(indexesOf(r)[1]).toEqual([[0, 600], [1, 750]]);
  });

  it('places a pregap longer than the gap before the gap', async () => {
    dir.wav('a.wav', { samples: sec(8) });
    dir.wav('b.wav', { samples: sec(5) });
    const r = await plan(`
      version: 1
      tracks:
        - file: a.wav
        - { file: b.wav, gap: 1s, pregap: 3s }
    `);
    expect(indexesOf(r)[1]).toEqual([[0, 825 - 225], [1, 825]]);
  });

  it('puts a hidden track in track 1 pregap, padded to a frame boundary', async () => {
    dir.wav('h.wav', { samples: sec(3) + 10 });
    dir.wav('a.wav', { samples: sec(5) });
    const r = await plan(`
      version: 1
      album:
        hidden_track: { file: h.wav }
      tracks:
        - { file: a.wav, gap: 0 }
    `);
    expect(r.messages).toEqual([]);
    // 132310 samples → 225.02 frames → track 1's audio and index 01 at frame 226.
    expect(indexesOf(r)).toEqual([[[0, 0], [1, 226]]]);
    expect(spansOf(r)).toEqual([
      [0, 0, sec(3) + 10, 0],
      [1, 226 * 588, sec(5), 0],
    ]);
  });

  it('refuses a hidden track that leaves the disc pregap under 150 frames', async () => {
    dir.wav('h.wav', { samples: sec(1) });
    dir.wav('a.wav', { samples: sec(5) });
    const r = await plan(`
      version: 1
      album:
        hidden_track: { file: h.wav }
      tracks:
        - { file: a.wav, gap: 0 }
    `);
    expect(r.messages).toEqual([
      "album.yaml:5:25 track 1: the disc pregap (track 1's gap plus hidden track) is 00:01:00; the Red Book needs at least 00:02:00 (150 frames) before track 1's index 01",
    ]);
  });

  it('moves index 01 into the gap by pq_offset, clamped to the gap with a warning', async () => {
    dir.wav('a.wav', { samples: sec(5) });
    dir.wav('b.wav', { samples: sec(5) });
    dir.wav('c.wav', { samples: sec(5) });
    const r = await plan(`
      version: 1
      defaults: { pq_offset: 10f }
      tracks:
        - file: a.wav
        - file: b.wav
        - { file: c.wav, gap: 5f, pq_offset: 8f }
    `);
    expect(r.messages).toEqual(['album.yaml:6:40 track 3: warning: pq_offset 00:00:08 is longer than the gap 00:00:05; index 01 is placed at the start of the gap']);
    // Track 2: audio at 525 + 150 = 675, index 01 ten frames earlier; index 00 stays at 525.
    // Track 3: audio at 1050 + 5; index 01 clamped to 1050 = index 00, so index 00 is dropped.
    expect(indexesOf(r)).toEqual([
      [[0, 0], [1, 150]],
      [[0, 525], [1, 665]],
      [[1, 1050]],
    ]);
  });

  it('places index 02 and 03 relative to index 01', async () => {
    dir.wav('a.wav', { samples: sec(10) });
    const r = await plan(`
      version: 1
      tracks:
        - { file: a.wav, indexes: ["0:03:00", 5s, 450f] }
    `);
    expect(r.messages).toEqual([]);
    expect(indexesOf(r)).toEqual([[[0, 0], [1, 150], [2, 375], [3, 525], [4, 600]]]);
  });

  it('cuts several tracks from one continuous file sample-continuously', async () => {
    dir.wav('live.wav', { samples: sec(20) });
    const r = await plan(`
      version: 1
      tracks:
        - { file: live.wav, end: 8.1s }
        - { file: live.wav, start: 8.1s, end: 15s, gap: 0 }
        - { file: live.wav, start: 15s, gap: 0 }
    `);
    expect(r.messages).toEqual([]);
    expect(spansOf(r)).toEqual([
      [1, 88200, 357210, 0],
      [2, 88200 + 357210, 661500 - 357210, 357210],
      [3, 88200 + 661500, sec(5), 661500],
    ]);
    expect(r.disc!.leadOut).toBe(150 + 20 * 75);
  });
});

describe('Red Book rules', () => {
  it('refuses a track under 4 s', async () => {
    dir.wav('a.wav', { samples: sec(3.9) });
    const r = await plan('version: 1\ntracks:\n  - file: a.wav\n    title: Short\n');
    expect(r.messages).toEqual(['album.yaml:3:11 track 1 "Short": the track is 00:03:68 long (index 01 to the lead-out); the Red Book minimum is 4 s (00:04:00)']);
  });

  it('refuses a disc pregap under 150 frames', async () => {
    dir.wav('a.wav', { samples: sec(5) });
    const r = await plan('version: 1\ntracks:\n  - { file: a.wav, gap: 1s }\n');
    expect(r.messages).toEqual([
      "album.yaml:3:25 track 1: the disc pregap (track 1's gap) is 00:01:00; the Red Book needs at least 00:02:00 (150 frames) before track 1's index 01",
    ]);
  });

  it('refuses more than 99 tracks', async () => {
    dir.wav('a.wav', { samples: sec(4) });
    const r = await plan(`version: 1\ntracks:\n${'  - file: a.wav\n'.repeat(100)}`);
    expect(r.messages).toEqual(['album.yaml:3:3: a CD holds at most 99 tracks; this manifest lists 100']);
  });

  it('accepts 99 tracks', async () => {
    dir.wav('a.wav', { samples: sec(4) });
    const r = await plan(`version: 1\ntracks:\n${'  - file: a.wav\n'.repeat(99)}`);
    expect(r.messages).toEqual([]);
    expect(r.disc!.tracks).toHaveLength(99);
  });

  it('refuses a disc longer than max_length', async () => {
    dir.wav('a.wav', { samples: sec(10) });
    const r = await plan('version: 1\nalbum: { max_length: "0:10:00" }\ntracks:\n  - file: a.wav\n');
    expect(r.messages).toEqual(['album.yaml:2:22: the disc is 00:12:00 long, over the limit of 00:10:00']);
  });

  it('refuses a crossfade longer than a neighbour and a crossfade with a gap', async () => {
    dir.wav('a.wav', { samples: sec(4.5) });
    dir.wav('b.wav', { samples: sec(6) });
    const r = await plan(`
      version: 1
      tracks:
        - file: a.wav
        - { file: b.wav, gap: 0, crossfade: 5s }
    `);
    expect(r.messages).toEqual([
      "album.yaml:3:11 track 1: the track is 00:00:00 long (index 01 to the next track's index 01); the Red Book minimum is 4 s (00:04:00)",
      "album.yaml:4:39 track 2: crossfade is 5 s, longer than track 1's audio (4.5 s)",
    ]);
    const r2 = await plan(`
      version: 1
      tracks:
        - file: a.wav
        - { file: b.wav, crossfade: 1s }
    `);
    expect(r2.messages).toEqual([
      'album.yaml:4:31 track 2: crossfade needs gap 0, but the track\'s gap is 00:02:00 (from defaults.gap or the 2 s default); add "gap: 0"',
    ]);
  });

  it('refuses indexes that do not increase or fall outside the track', async () => {
    dir.wav('a.wav', { samples: sec(10) });
    const r = await plan(`
      version: 1
      tracks:
        - { file: a.wav, indexes: [5s, 3s] }
        - { file: a.wav, indexes: [11s] }
    `);
    expect(r.messages).toEqual([
      'album.yaml:3:29 track 1: index 03 at 00:03:00 must come after index 02: indexes must be strictly increasing',
      "album.yaml:4:29 track 2: index 02 at 00:11:00 is outside the track: it must fall before the lead-out (00:10:00 after index 01)",
    ]);
  });

  it('refuses pregap on track 1 and overlapping fades', async () => {
    dir.wav('a.wav', { samples: sec(5) });
    const r = await plan(`
      version: 1
      tracks:
        - { file: a.wav, pregap: 3s, fade_in: 3s, fade_out: 3s }
    `);
    expect(r.messages).toEqual([
      'album.yaml:3:28 track 1: pregap is not allowed on track 1: its index 00 is always at the start of the disc (use gap to lengthen the disc pregap)',
    ]);
    const r2 = await plan(`
      version: 1
      tracks:
        - { file: a.wav, fade_in: 3s, fade_out: 6s }
    `);
    expect(r2.messages).toEqual([
      "album.yaml:3:43 track 1: fade_out is 6 s, longer than the track's audio (5 s)",
      'album.yaml:3:43 track 1: fade_in (3 s) and fade_out (6 s) overlap in a track of 5 s',
    ]);
  });

  it('refuses an index 00 that is not after the previous index 01', async () => {
    dir.wav('a.wav', { samples: sec(5) });
    const r = await plan(`
      version: 1
      tracks:
        - file: a.wav
        - { file: a.wav, gap: 0, pregap: 6s }
    `);
    expect(r.messages).toEqual([
      "album.yaml:4:36 track 2: index 00 would be at 00:01:00, not after track 1's index 01 at 00:02:00: the pregap of 00:06:00 reaches too far back",
    ]);
  });
});
