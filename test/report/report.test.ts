import { describe, expect, it } from 'vitest';
import type { Disc } from '../../src/disc/model.js';
import { DiscAnalyzer, type AudioStats, type DiscAnalysis } from '../../src/report/analysis.js';
import { WaveformOverview, type OverviewData } from '../../src/report/overview.js';
import { peakText, reportData, reportJson, reportStats, reportText, reportWarnings, type ReportData } from '../../src/report/report.js';

const TOOL = { name: 'ddpkit', version: '0.1.0' };
const SPF = 588;

/**
 * Three tracks of 4 s, 15 s in all:
 *   track 1: index 00 at 00:00:00, 01 at 00:02:00 — 4 s of a quiet 1 kHz sine (amplitude 0.02), then
 *            1 s of silence that is track 2's pregap (index 00 at 00:06:00);
 *   track 2: index 01 at 00:07:00 — a 1 kHz sine at 1.25 × full scale, hard clipped;
 *   track 3: index 01 at 00:11:00, 02 at 00:13:00 — the quiet sine with a 50 ms burst of a tone at a
 *            quarter of the sample rate whose peaks fall between samples (samples ≤ 0.66, true peak 0.94).
 */
function fixtureDisc(): Disc {
  return {
    tracks: [
      { number: 1, indexes: [{ number: 0, frame: 0 }, { number: 1, frame: 150 }], isrc: 'XXDDK2600001', flags: { copyPermitted: true, preEmphasis: false, scms: false } },
      { number: 2, indexes: [{ number: 0, frame: 450 }, { number: 1, frame: 525 }], flags: { copyPermitted: false, preEmphasis: true, scms: false } },
      { number: 3, indexes: [{ number: 1, frame: 825 }, { number: 2, frame: 975 }], isrc: 'XXDDK2600003', flags: { copyPermitted: false, preEmphasis: false, scms: false } },
    ],
    leadOut: 1125,
    upc: '2000123456782',
    masterId: 'NL-2026-001',
    cdText: {
      language: 'en',
      disc: { title: 'Tests & <Tones>', performer: 'The "Sine" Band' },
      tracks: [{ title: 'Quiet' }, { title: 'Loud', performer: 'Guest' }, { title: 'Overs' }],
      genre: { code: 1, text: 'Test' },
    },
    spans: [],
  };
}

function fixtureImage(): Uint8Array {
  const frames = 1125 * SPF;
  const pcm = new Int16Array(frames * 2);
  const quiet = (i: number): number => Math.round(0.02 * 32767 * Math.sin((2 * Math.PI * 1000 * i) / 44100));
  for (let i = 0; i < frames; i++) {
    let v = 0;
    if (i >= 150 * SPF && i < 450 * SPF) v = quiet(i - 150 * SPF);
    else if (i >= 525 * SPF && i < 825 * SPF) v = Math.max(-32768, Math.min(32767, Math.round(1.25 * 32767 * Math.sin((2 * Math.PI * 1000 * (i - 525 * SPF)) / 44100))));
    else if (i >= 825 * SPF) {
      const k = i - 825 * SPF;
      // A Hann-shaped burst: no edges to ring, so the true peak is the tone's own 0.94 (−0.54 dBTP).
      const phase = (k - 44100) / 2205;
      const w = phase >= 0 && phase < 1 ? Math.sin(Math.PI * phase) ** 2 : 0;
      v = Math.round((1 - w) * quiet(k) + w * 0.94 * 32767 * Math.sin((Math.PI / 2) * k + Math.PI / 4));
    }
    pcm[2 * i] = v;
    pcm[2 * i + 1] = v;
  }
  return new Uint8Array(pcm.buffer);
}

/** Analysis and overview of the fixture image, pushed in uneven chunks as a render would. */
function analyseFixture(bins = 30): { analysis: DiscAnalysis; overview: OverviewData } {
  const disc = fixtureDisc();
  const bytes = fixtureImage();
  const analyzer = new DiscAnalyzer({ trackStarts: disc.tracks.map((t) => t.indexes.find((x) => x.number === 1)!.frame * SPF), imageSamples: disc.leadOut * SPF });
  const overview = new WaveformOverview(disc.leadOut * SPF, bins);
  for (let at = 0, k = 0; at < bytes.length; k++) {
    const size = [100_000, 4_099, 65_536][k % 3]!;
    analyzer.push(bytes.subarray(at, at + size));
    overview.push(bytes.subarray(at, at + size));
    at += size;
  }
  return { analysis: analyzer.finish(), overview: overview.data() };
}

const FILES = [
  { name: 'DDPID', bytes: 128, md5: '0123456789abcdef0123456789abcdef', crc32: 0x2feeb3dc },
  { name: 'DDPMS', bytes: 384, md5: '11111111111111111111111111111111', crc32: 0x405c03f7 },
  { name: 'PQDESCR', bytes: 448, md5: '22222222222222222222222222222222', crc32: 0x0000beef },
  { name: 'IMAGE.DAT', bytes: 1125 * 2352, md5: 'ffeeddccbbaa99887766554433221100', crc32: 0xdeadbeef },
];

function fixtureReport(): ReportData {
  const { analysis, overview } = analyseFixture();
  return reportData({ disc: fixtureDisc(), analysis, overview, files: FILES, source: 'album.yaml', tool: TOOL });
}

/** An AudioStats for the rule tests: a plain track unless overridden. */
function stats(over: Partial<AudioStats> = {}): AudioStats {
  return {
    integratedLufs: -20,
    loudnessRangeLu: 5,
    samplePeakDbfs: -3,
    truePeakDbtp: -2.5,
    clipping: { runs: 0, samples: 0, first: [] },
    dcOffsetDbfs: { left: -90, right: -90 },
    silence: { headSamples: 0, tailSamples: 0 },
    crc32: '00000000',
    ...over,
  };
}

/** A disc of n plain 4 s tracks, for the rule tests. */
function plainDisc(n: number): Disc {
  return {
    tracks: Array.from({ length: n }, (_, i) => ({ number: i + 1, indexes: [{ number: 1, frame: 150 + 300 * i }], flags: { copyPermitted: false, preEmphasis: false, scms: false } })),
    leadOut: 150 + 300 * n,
    spans: [],
  };
}

function warningsOf(tracks: Partial<AudioStats>[], disc: Partial<AudioStats> = {}): { track?: number; code: string }[] {
  const analysis = { tracks: tracks.map((t) => stats(t)), disc: stats(disc) };
  return reportWarnings(plainDisc(tracks.length), analysis).map((w) => (w.track === undefined ? { code: w.code } : { track: w.track, code: w.code }));
}

describe('reportText', () => {
  it('writes the disc facts, fileset, PQ list, CD-Text, analysis and warnings as aligned tables', () => {
    expect(reportText(fixtureReport()).split('\n')).toEqual([
      'DISC REPORT (ddpkit 0.1.0)',
      '',
      'Source        album.yaml',
      'Title         Tests & <Tones>',
      'Performer     The "Sine" Band',
      'UPC/EAN       2000123456782',
      'Master ID     NL-2026-001',
      'Tracks        3',
      'Total length  00:15:00 (1125 frames, disc pregap 00:02:00)',
      'Image         2 646 000 bytes',
      'Image MD5     ffeeddccbbaa99887766554433221100',
      '',
      'FILESET',
      '  FILE           BYTES  MD5                               CRC32',
      '  DDPID            128  0123456789abcdef0123456789abcdef  2FEEB3DC',
      '  DDPMS            384  11111111111111111111111111111111  405C03F7',
      '  PQDESCR          448  22222222222222222222222222222222  0000BEEF',
      '  IMAGE.DAT  2 646 000  ffeeddccbbaa99887766554433221100  DEADBEEF',
      '',
      'PQ LIST',
      '  TRACK  INDEX  START     FRAME  LENGTH    PREGAP    ISRC          FLAGS  TITLE',
      '  01     00     00:00:00      0',
      '  01     01     00:02:00    150  00:05:00  00:02:00  XXDDK2600001  DCP    Quiet',
      '  02     00     00:06:00    450',
      '  02     01     00:07:00    525  00:04:00  00:01:00                PRE    Loud',
      '  03     01     00:11:00    825  00:04:00  00:00:00  XXDDK2600003  -      Overs',
      '  03     02     00:13:00    975',
      '  AA     01     00:15:00   1125                                           (lead-out)',
      '',
      'CD-TEXT',
      '  Language: en',
      '  Genre: Test (code 1)',
      '        TITLE            PERFORMER',
      '  DISC  Tests & <Tones>  The "Sine" Band',
      '  01    Quiet',
      '  02    Loud             Guest',
      '  03    Overs',
      '',
      'ANALYSIS',
      '  TRACK   LUFS   LRA  TRUE PEAK  SAMPLE PEAK  CLIP RUNS      DC  HEAD S  TAIL S  CRC32',
      '  01     -34.1   1.3     -33.95       -33.98          0    -inf   0.000   1.000  80C3C4BA',
      '  02       1.1   0.0       0.10         0.00      16000  -104.1   0.000   0.000  633548F5',
      '  03     -10.5   0.0      -0.54        -3.54          0  -195.2   0.000   0.000  68477C94',
      '  DISC     0.4  20.1       0.10         0.00      16000  -115.6   2.000   0.000  C2449E04',
      '  (LUFS integrated loudness, LRA loudness range in LU, TRUE PEAK dBTP, SAMPLE PEAK and DC dBFS; peaks rounded up)',
      '',
      'WARNINGS',
      '  ! Track 02: true peak 0.10 dBTP is above -1.0 dBTP',
      '  ! Track 02: 16000 clipping runs (144000 samples at full scale), first at 00:07:00',
      '  ! Track 02: integrated loudness 1.1 LUFS is 11.5 LU above the louder neighbour (track 03, -10.5 LUFS)',
      '  ! Track 03: true peak -0.54 dBTP is above -1.0 dBTP',
      '',
    ]);
  });

  it('says so when there is no fileset, no CD-Text and nothing to warn about', () => {
    const disc = plainDisc(1);
    const text = reportText(reportData({ disc, analysis: { tracks: [stats()], disc: stats() }, source: 'a.yaml', tool: TOOL }));
    expect(text).toContain('Image MD5     none (no fileset)\n');
    expect(text).toContain('FILESET\n  none: this report was made without a fileset\n');
    expect(text).toContain('CD-TEXT\n  none\n');
    expect(text.endsWith('WARNINGS\n  none\n')).toBe(true);
  });

  it('is deterministic', () => {
    expect(reportText(fixtureReport())).toBe(reportText(fixtureReport()));
  });
});

describe('reportData and reportJson', () => {
  const data = fixtureReport();

  it('has the disc facts, the files with hex CRCs and the image MD5 taken from IMAGE.DAT', () => {
    expect(data.tool).toEqual(TOOL);
    expect(data.source).toBe('album.yaml');
    expect(data.disc).toEqual({
      title: 'Tests & <Tones>',
      performer: 'The "Sine" Band',
      upc: '2000123456782',
      masterId: 'NL-2026-001',
      trackCount: 3,
      leadOutFrame: 1125,
      leadOut: '00:15:00',
      pregapFrames: 150,
      pregap: '00:02:00',
      imageBytes: 2646000,
      imageMd5: 'ffeeddccbbaa99887766554433221100',
    });
    expect(data.files).toEqual([
      { name: 'DDPID', bytes: 128, md5: '0123456789abcdef0123456789abcdef', crc32: '2FEEB3DC' },
      { name: 'DDPMS', bytes: 384, md5: '11111111111111111111111111111111', crc32: '405C03F7' },
      { name: 'PQDESCR', bytes: 448, md5: '22222222222222222222222222222222', crc32: '0000BEEF' },
      { name: 'IMAGE.DAT', bytes: 2646000, md5: 'ffeeddccbbaa99887766554433221100', crc32: 'DEADBEEF' },
    ]);
  });

  it('lists every index in the PQ list, with length, pregap, ISRC and flags on index 01 rows', () => {
    const none = { lengthFrames: null, length: null, pregapFrames: null, pregap: null, isrc: null, flags: null };
    expect(data.pq).toEqual([
      { track: 1, index: 0, frame: 0, time: '00:00:00', ...none },
      { track: 1, index: 1, frame: 150, time: '00:02:00', lengthFrames: 375, length: '00:05:00', pregapFrames: 150, pregap: '00:02:00', isrc: 'XXDDK2600001', flags: 'DCP' },
      { track: 2, index: 0, frame: 450, time: '00:06:00', ...none },
      { track: 2, index: 1, frame: 525, time: '00:07:00', lengthFrames: 300, length: '00:04:00', pregapFrames: 75, pregap: '00:01:00', isrc: null, flags: 'PRE' },
      { track: 3, index: 1, frame: 825, time: '00:11:00', lengthFrames: 300, length: '00:04:00', pregapFrames: 0, pregap: '00:00:00', isrc: 'XXDDK2600003', flags: '-' },
      { track: 3, index: 2, frame: 975, time: '00:13:00', ...none },
    ]);
  });

  it('has the CD-Text of the disc and of each track, only the fields that are there', () => {
    expect(data.cdText).toEqual({
      language: 'en',
      disc: { title: 'Tests & <Tones>', performer: 'The "Sine" Band' },
      tracks: [{ title: 'Quiet' }, { title: 'Loud', performer: 'Guest' }, { title: 'Overs' }],
      discId: null,
      genre: { code: 1, text: 'Test' },
    });
  });

  it('has the analysis per track (with its number) and for the disc, −Infinity written as null', () => {
    expect(data.analysis.tracks.map((t) => t.track)).toEqual([1, 2, 3]);
    const t2 = data.analysis.tracks[1]!;
    // A 1 kHz sine clips in every half period: 2 × 1000 × 4 s runs per channel.
    expect(t2.clipping.runs).toBe(16000);
    expect(t2.clipping.first[0]).toBe(525 * SPF + 7);
    // Track 1's sine is 4000 whole periods: its mean is exactly 0, a DC offset of −Infinity.
    expect(data.analysis.tracks[0]!.dcOffsetDbfs).toEqual({ left: null, right: null });
    expect(t2.dcOffsetDbfs.left).toBeCloseTo(-104.11, 2);
    // The disc pregap, and the sine's first sample, sin(0) = 0.
    expect(data.analysis.disc.silence).toEqual({ headSamples: 150 * SPF + 1, tailSamples: 0 });
    const silent = reportStats(stats({ integratedLufs: null, loudnessRangeLu: null, samplePeakDbfs: -Infinity, truePeakDbtp: -Infinity, dcOffsetDbfs: { left: -Infinity, right: -12 } }));
    expect(silent).toMatchObject({ integratedLufs: null, loudnessRangeLu: null, samplePeakDbfs: null, truePeakDbtp: null, dcOffsetDbfs: { left: null, right: -12 } });
  });

  it('holds only JSON values, and the JSON reads back to the same data', () => {
    const bad: string[] = [];
    const walk = (v: unknown, at: string): void => {
      if (typeof v === 'number' && !Number.isFinite(v)) bad.push(at);
      else if (v === undefined) bad.push(at);
      else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`));
      else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, `${at}.${k}`);
    };
    walk(data, 'data');
    expect(bad).toEqual([]);
    const json = reportJson(data);
    expect(json.endsWith('}\n')).toBe(true);
    expect(JSON.parse(json)).toEqual(data);
    expect(json).toBe(reportJson(fixtureReport()));
  });

  it('keeps the overview and the warnings', () => {
    expect(data.overview?.bins).toBe(30);
    expect(data.overview?.imageSamples).toBe(1125 * SPF);
    expect(data.warnings).toEqual([
      { level: 'warning', track: 2, code: 'true-peak', message: 'Track 02: true peak 0.10 dBTP is above -1.0 dBTP' },
      { level: 'warning', track: 2, code: 'clipping', message: 'Track 02: 16000 clipping runs (144000 samples at full scale), first at 00:07:00' },
      { level: 'warning', track: 2, code: 'loudness-jump', message: 'Track 02: integrated loudness 1.1 LUFS is 11.5 LU above the louder neighbour (track 03, -10.5 LUFS)' },
      { level: 'warning', track: 3, code: 'true-peak', message: 'Track 03: true peak -0.54 dBTP is above -1.0 dBTP' },
    ]);
  });

  it('without files has no file list and no image MD5, unless the MD5 is given', () => {
    const { analysis } = analyseFixture();
    const bare = reportData({ disc: fixtureDisc(), analysis, source: 's', tool: TOOL });
    expect(bare.files).toBeNull();
    expect(bare.disc.imageMd5).toBeNull();
    expect(bare.overview).toBeNull();
    expect(reportData({ disc: fixtureDisc(), analysis, imageMd5: 'abc', source: 's', tool: TOOL }).disc.imageMd5).toBe('abc');
  });

  it('refuses an analysis of another number of tracks', () => {
    expect(() => reportData({ disc: plainDisc(2), analysis: { tracks: [stats()], disc: stats() }, source: 's', tool: TOOL })).toThrow(RangeError);
  });
});

describe('warning rules', () => {
  it('true peak: above −1.0 dBTP warns, exactly −1.0 does not', () => {
    expect(warningsOf([{ truePeakDbtp: -1.0 }])).toEqual([]);
    expect(warningsOf([{ truePeakDbtp: -1.0000001 }])).toEqual([]);
    expect(warningsOf([{ truePeakDbtp: -0.9999999 }])).toEqual([{ track: 1, code: 'true-peak' }]);
    expect(warningsOf([{ truePeakDbtp: 0.5 }])).toEqual([{ track: 1, code: 'true-peak' }]);
    expect(warningsOf([{ truePeakDbtp: -Infinity, integratedLufs: null }])).toEqual([]);
  });

  it('true peak: the message never shows a value at or below −1.00 for a warned peak (rounded up)', () => {
    expect(peakText(-0.9999999)).toBe('-0.99');
    expect(peakText(-1)).toBe('-1.00');
    expect(peakText(-1.004)).toBe('-1.00');
    expect(peakText(-0.001)).toBe('0.00');
    expect(peakText(null)).toBe('-inf');
  });

  it('clipping: one run warns, none does not', () => {
    expect(warningsOf([{ clipping: { runs: 0, samples: 0, first: [] } }])).toEqual([]);
    expect(warningsOf([{ clipping: { runs: 1, samples: 3, first: [150 * SPF + 1000] } }])).toEqual([{ track: 1, code: 'clipping' }]);
    const [w] = reportWarnings(plainDisc(1), { tracks: [stats({ clipping: { runs: 1, samples: 3, first: [150 * SPF + 1000] } })], disc: stats() });
    expect(w?.message).toBe('Track 01: 1 clipping run (3 samples at full scale), first at 00:02:01');
  });

  it('loudness jump: more than 3.0 LU above each neighbour warns, exactly 3.0 does not', () => {
    expect(warningsOf([{ integratedLufs: -20 }, { integratedLufs: -17 }, { integratedLufs: -20 }])).toEqual([]);
    expect(warningsOf([{ integratedLufs: -20 }, { integratedLufs: -16.99 }, { integratedLufs: -20 }])).toEqual([{ track: 2, code: 'loudness-jump' }]);
    // Float noise in the subtraction (−14.6 − −17.6 = 3.0000000000000018) does not decide the boundary.
    expect(-14.6 - -17.6).toBeGreaterThan(3);
    expect(warningsOf([{ integratedLufs: -17.6 }, { integratedLufs: -14.6 }, { integratedLufs: -17.6 }])).toEqual([]);
  });

  it('loudness jump: compares with the louder neighbour, not the mean', () => {
    // Mean of the neighbours is −19, 4.1 LU below track 2; the louder neighbour is only 2.9 LU below.
    expect(warningsOf([{ integratedLufs: -24 }, { integratedLufs: -14.9 }, { integratedLufs: -17.8 }])).toEqual([]);
    expect(warningsOf([{ integratedLufs: -24 }, { integratedLufs: -14.7 }, { integratedLufs: -17.8 }])).toEqual([{ track: 2, code: 'loudness-jump' }]);
  });

  it('loudness jump: first and last tracks have one neighbour; unmeasurable neighbours are left out', () => {
    expect(warningsOf([{ integratedLufs: -10 }, { integratedLufs: -13.5 }])).toEqual([{ track: 1, code: 'loudness-jump' }]);
    expect(warningsOf([{ integratedLufs: -13.5 }, { integratedLufs: -10 }])).toEqual([{ track: 2, code: 'loudness-jump' }]);
    expect(warningsOf([{ integratedLufs: -10 }, { integratedLufs: null }, { integratedLufs: -20 }])).toEqual([]);
    expect(warningsOf([{ integratedLufs: -10 }, { integratedLufs: null }, { integratedLufs: -20 }, { integratedLufs: -25 }])).toEqual([{ track: 3, code: 'loudness-jump' }]);
    expect(warningsOf([{ integratedLufs: -10 }])).toEqual([]);
    const [w] = reportWarnings(plainDisc(2), { tracks: [stats({ integratedLufs: -10 }), stats({ integratedLufs: -13.5 })], disc: stats() });
    expect(w?.message).toBe('Track 01: integrated loudness -10.0 LUFS is 3.5 LU above its neighbour (track 02, -13.5 LUFS)');
  });

  it('audio before track 1 breaking a rule gives one warning without a track', () => {
    expect(warningsOf([{}], { truePeakDbtp: -0.5, clipping: { runs: 2, samples: 6, first: [10, 500] } })).toEqual([{ code: 'true-peak' }, { code: 'clipping' }]);
    expect(reportWarnings(plainDisc(1), { tracks: [stats()], disc: stats({ truePeakDbtp: -0.5, clipping: { runs: 2, samples: 6, first: [10, 500] } }) }).map((x) => x.message)).toEqual([
      'Before track 01 (disc pregap): true peak -0.50 dBTP is above -1.0 dBTP',
      'Before track 01 (disc pregap): 2 clipping runs (6 samples at full scale), first at 00:00:00',
    ]);
    const [w] = reportWarnings(plainDisc(2), { tracks: [stats(), stats()], disc: stats({ clipping: { runs: 1, samples: 4, first: [450 * SPF - 2] } }) });
    expect(w?.message).toBe('Across a track boundary: 1 clipping run (4 samples at full scale), first at 00:05:74');
    // When a track already warns, the disc's figure is that track's: no second warning.
    expect(warningsOf([{ truePeakDbtp: -0.5 }], { truePeakDbtp: -0.5 })).toEqual([{ track: 1, code: 'true-peak' }]);
  });

  it('orders warnings by track, then true peak, clipping, loudness', () => {
    const w = warningsOf([{ integratedLufs: -30 }, { integratedLufs: -10, truePeakDbtp: 0, clipping: { runs: 1, samples: 3, first: [0] } }, { integratedLufs: -30, truePeakDbtp: -0.2 }]);
    expect(w).toEqual([
      { track: 2, code: 'true-peak' },
      { track: 2, code: 'clipping' },
      { track: 2, code: 'loudness-jump' },
      { track: 3, code: 'true-peak' },
    ]);
  });
});

describe('WaveformOverview', () => {
  /** Interleaved L, R frames → little-endian bytes. */
  function bytesOf(frames: [number, number][]): Uint8Array {
    const out = new Uint8Array(frames.length * 4);
    const view = new DataView(out.buffer);
    frames.forEach(([l, r], i) => {
      view.setInt16(4 * i, l, true);
      view.setInt16(4 * i + 2, r, true);
    });
    return out;
  }

  it('puts frame i in bin floor(i × bins / frames) and keeps min, max and RMS per channel', () => {
    // 10 frames in 4 bins: [0, 3), [3, 5), [5, 8), [8, 10).
    const left = [10, -20, 30, 40, -50, 60, 70, -80, 90, 32767];
    const frames = left.map((l, i): [number, number] => [l, i === 9 ? -32768 : -l]);
    const o = new WaveformOverview(10, 4);
    o.push(bytesOf(frames));
    const rms = (v: number[]): number => Math.round(Math.sqrt(v.reduce((a, x) => a + x * x, 0) / v.length));
    expect(o.data()).toEqual({
      imageSamples: 10,
      bins: 4,
      channels: [
        { min: [-20, -50, -80, 90], max: [30, 40, 70, 32767], rms: [rms([10, -20, 30]), rms([40, -50]), rms([60, 70, -80]), rms([90, 32767])] },
        { min: [-30, -40, -70, -32768], max: [20, 50, 80, -90], rms: [rms([10, 20, 30]), rms([40, 50]), rms([60, 70, 80]), rms([90, 32768])] },
      ],
    });
  });

  it('leaves bins empty (0) when the image is shorter than the bin count, and bins not reached yet', () => {
    const o = new WaveformOverview(3, 6);
    o.push(bytesOf([[100, -100]]));
    expect(o.data().channels[0]).toEqual({ min: [100, 0, 0, 0, 0, 0], max: [100, 0, 0, 0, 0, 0], rms: [100, 0, 0, 0, 0, 0] });
    o.push(bytesOf([[-5, 5], [7, -7]]));
    // Frames 0, 1, 2 land in bins 0, 2, 4 (floor(i × 6 / 3)).
    expect(o.data().channels[0]).toEqual({ min: [100, 0, -5, 0, 7, 0], max: [100, 0, -5, 0, 7, 0], rms: [100, 0, 5, 0, 7, 0] });
    expect(o.samplesDone).toBe(3);
  });

  it('gives the same result however the image is cut into chunks (odd sizes, odd offsets)', () => {
    const frames = 20011;
    const bytes = new Uint8Array(frames * 4 + 1).subarray(1); // an odd byte offset: no int16/int32 view possible
    let s = 7;
    for (let i = 0; i < bytes.length; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      bytes[i] = s >>> 24;
    }
    const whole = new WaveformOverview(frames, 37);
    whole.push(bytes.slice());
    const expected = whole.data();
    for (const sizes of [[1], [3, 5, 7], [4], [4096, 1], [65536], [2, 4094]]) {
      const o = new WaveformOverview(frames, 37);
      for (let at = 0, k = 0; at < bytes.length; k++) {
        const size = sizes[k % sizes.length]!;
        o.push(bytes.subarray(at, at + size));
        at += size;
      }
      expect(o.data()).toEqual(expected);
    }
  });

  it('is exact against a direct computation', () => {
    const { overview } = analyseFixture(30);
    const bytes = fixtureImage();
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const n = bytes.length / 4;
    for (const b of [0, 7, 14, 29]) {
      const from = Math.ceil((b * n) / 30);
      const to = Math.ceil(((b + 1) * n) / 30);
      let min = 32767;
      let max = -32768;
      let sq = 0;
      for (let i = from; i < to; i++) {
        const l = view.getInt16(4 * i, true);
        min = Math.min(min, l);
        max = Math.max(max, l);
        sq += l * l;
      }
      expect([overview.channels[0].min[b], overview.channels[0].max[b], overview.channels[0].rms[b]]).toEqual([min, max, Math.round(Math.sqrt(sq / (to - from)))]);
    }
  });

  it('refuses more audio than the image, and bad sizes', () => {
    const o = new WaveformOverview(2, 2);
    expect(() => o.push(new Uint8Array(12))).toThrow(RangeError);
    expect(() => new WaveformOverview(-1, 2)).toThrow(RangeError);
    expect(() => new WaveformOverview(10, 0)).toThrow(RangeError);
    expect(() => new WaveformOverview(10, 1.5)).toThrow(RangeError);
  });
});
