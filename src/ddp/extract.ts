// DDP fileset → one WAV per track plus a cue sheet (and optionally the whole image as one WAV with its
// own cue sheet), streamed from IMAGE.DAT with positional reads: memory stays flat whatever the disc.
//
// Decisions:
// - Track files. By default a track's WAV runs from its index 01 to the next track's index 01 (the last
//   to the lead-out): the pause before a track ends up at the end of the previous file ("gaps appended
//   to the previous track", what a CD player plays when skipping to a track). With `withPregap` a
//   track's WAV runs from its first index (00 when it has one; track 1 always from frame 0) to the next
//   track's first index. Either way the files tile the disc from their first frame to the lead-out, and
//   concatenated they are the image sample for sample.
// - Per-track cue sheet. Its INDEX times are relative to the FILE they fall in, so the sheet describes
//   the disc exactly. Without `withPregap` an index 00 lies in the previous track's file: the TRACK line
//   opens before the next FILE line, with its INDEX 00 in the previous file, and INDEX 01 00:00:00
//   follows the new FILE line: the CDRWIN layout EAC writes for "gaps appended to previous track".
//   Track 1's own pregap is then in no file: the first 2 seconds are implicit in every cue sheet, and a
//   longer disc pregap is written as PREGAP (index 01 − 150 frames) so the times stay right; a hidden
//   track's audio there is only kept with `withPregap`. With `withPregap` each file opens with INDEX 00
//   00:00:00 and has INDEX 01 at the pregap's length, so track 1 reads INDEX 00 00:00:00, INDEX 01
//   00:02:00, as cue-writer.ts writes it for the image. cdrdao 1.2.4's cue converter (Cue2Toc.cc) reads
//   only the `withPregap` layout: it takes a pregap from the track's own file ("Pregap out of range"
//   otherwise), and it copies INDEX 02+ times as if relative to index 01 (misplacing them by the pregap).
// - Whole image (`single`): `<name>.wav` holds frames 0 to the lead-out, i.e. IMAGE.DAT's audio byte
//   for byte; `<name> (image).cue` gives it INDEX times equal to the PQ times. writeCue cannot be used
//   (it writes `FILE … BINARY`, raw samples, and a WAV needs `WAVE`), so both sheets come from cueSheet().
// - Cue text is saved as UTF-8, not ISO 8859-1 as cue-writer.ts saves it: these sheets name files whose
//   names carry the titles' accents, and readers that open FILE names byte for byte (cdrdao 1.2.4) only
//   find `Café.wav` on a Linux or macOS file system when the name is written in UTF-8. The cost is that a
//   reader taking cue text as ISO 8859-1 shows accented CD-Text wrongly; the fileset keeps the real text.
// - File names: see safeFileName() and trackFileName().
// - Output goes to a temporary folder beside `outDir`, renamed into place when complete (DESIGN.md).
import { createHash, type Hash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { refuseExisting, writeFolderAtomically } from '../atomic-folder.js';
import { readInto, writeAll } from '../file-io.js';
import path from 'node:path';
import { wavHeader, WAV_HEADER_BYTES } from '../audio/wav-writer.js';
import { cueFileName, cueText } from '../cue/escape.js';
import { trackFirstFrame, trackStart, type Disc, type TextFields } from '../disc/model.js';
import { DdpkitError, type Finding } from '../errors.js';
import { BYTES_PER_FRAME, SAMPLES_PER_FRAME, framesToMsf, pad2 } from '../time.js';
import { readFileset, usableDisc, type ImageFile } from './read-fileset.js';

/** Options of extractFileset. */
export interface ExtractOptions {
  /** Each track's WAV starts at its index 00 (track 1 at frame 0) instead of its index 01. */
  withPregap?: boolean | undefined;
  /** Also write the whole image as one WAV with its own cue sheet. */
  single?: boolean | undefined;
  /** Replace an existing `outDir` (default: refuse). */
  force?: boolean | undefined;
  /** Called after each chunk with the image frames read so far and the frames to read in all. */
  onProgress?: ((done: number, total: number) => void) | undefined;
  /** Stops between chunks; the temporary folder is removed and nothing is left behind. */
  signal?: AbortSignal | undefined;
}

/** One file extract wrote. */
export interface ExtractedFile {
  /** Name inside the output folder. */
  name: string;
  kind: 'track' | 'image' | 'cue';
  /** Track number, for kind 'track'. */
  track?: number | undefined;
  /** First image frame and number of frames the WAV holds (kind 'track' and 'image'). */
  startFrame?: number | undefined;
  frames?: number | undefined;
  /** Stereo sample frames in the WAV (kind 'track' and 'image'). */
  samples?: number | undefined;
  /** Size of the file in bytes. */
  bytes: number;
  /** MD5 of the whole file as written (what `md5sum` prints), 32 lower-case hex digits. */
  md5: string;
  /** MD5 of the WAV's sample data only: for the image WAV it equals IMAGE.DAT's MD5. */
  audioMd5?: string | undefined;
}

/** What extractFileset did. */
export interface ExtractResult {
  /** The output folder (absolute). */
  dir: string;
  /** The disc as read from the fileset. */
  disc: Disc;
  /** Track WAVs in disc order, the per-track cue sheet, then (with `single`) the image WAV and its cue sheet. */
  files: ExtractedFile[];
  /** What reading the fileset noticed (none of it stopped the extraction). */
  findings: Finding[];
}

/** Frames per read: about 1 MB, large enough for fast I/O and small enough to keep memory flat. */
const CHUNK_FRAMES = 448;
/** Longest file name written, in characters: far inside every file system's limit, even in UTF-8. */
export const MAX_FILE_NAME = 120;
/** Frames every cue sheet reader puts before the first FILE's first frame: the disc's 2-second pregap. */
const IMPLICIT_PREGAP = 150;

/** Extracts a DDP fileset into `outDir`: a WAV per track and a cue sheet, optionally the whole image too. */
export async function extractFileset(dir: string, outDir: string, options: ExtractOptions = {}): Promise<ExtractResult> {
  const target = path.resolve(outDir);
  const source = path.resolve(dir);
  if (target === source || source.startsWith(target + path.sep)) {
    throw new DdpkitError('usage', `${outDir} is the fileset folder or contains it; extract into another folder`);
  }
  await refuseExisting(target, outDir, options.force);

  const read = await readFileset(dir);
  const { disc, image } = usableDisc(read, dir, 'extract');
  const plan = extractPlan(disc, path.basename(source), options);

  return writeFolderAtomically(
    target,
    outDir,
    async (temp) => {
      const wavs = await writeWavs(image, plan, temp, options);
      const cues: ExtractedFile[] = [];
      for (const cue of plan.cues) cues.push(await writeSmallFile(temp, cue.name, Buffer.from(cue.text, 'utf8')));
      // Track WAVs, the per-track cue; then the image WAV and its cue.
      const files = [...wavs.filter((w) => w.kind === 'track'), ...cues.slice(0, 1), ...wavs.filter((w) => w.kind === 'image'), ...cues.slice(1)];
      return { dir: target, disc, files, findings: read.findings };
    },
    options.signal,
  );
}

/** One WAV to write: which image frames go into it. */
export interface WavPlan {
  name: string;
  kind: 'track' | 'image';
  track?: number | undefined;
  startFrame: number;
  frames: number;
}

/** What extract writes, decided before anything is written. */
export interface ExtractPlan {
  /** The base name of the disc's own files (`<name>.cue`, `<name>.wav`). */
  name: string;
  /** Track WAVs in disc order, then the image WAV (with `single`). */
  wavs: WavPlan[];
  /** The per-track cue sheet, then the image's (with `single`). */
  cues: { name: string; text: string }[];
}

/** Plans the files of an extraction: names, image frames and cue sheet text (pure; `fallbackName` names a disc without a CD-Text title). */
export function extractPlan(disc: Disc, fallbackName: string, options: Pick<ExtractOptions, 'withPregap' | 'single'> = {}): ExtractPlan {
  const text = disc.cdText;
  const firstFrame = (i: number): number => {
    const t = disc.tracks[i]!;
    if (!options.withPregap) return trackStart(t);
    return i === 0 ? 0 : trackFirstFrame(t);
  };
  const wavs: WavPlan[] = disc.tracks.map((t, i) => {
    const start = firstFrame(i);
    const end = i + 1 < disc.tracks.length ? firstFrame(i + 1) : disc.leadOut;
    return { name: trackFileName(t.number, text?.tracks[i]?.title), kind: 'track', track: t.number, startFrame: start, frames: end - start };
  });

  let name = safeFileName(text?.disc.title ?? '', MAX_FILE_NAME - ' (image).cue'.length);
  if (name === '') name = safeFileName(fallbackName, MAX_FILE_NAME - ' (image).cue'.length);
  if (name === '') name = 'Disc';
  // `01 - Dawn` as a disc title would give the image WAV the first track's name.
  const taken = new Set(wavs.map((w) => w.name.toLowerCase()));
  if (taken.has(`${name}.wav`.toLowerCase())) name = `${name} (disc)`;

  const cues = [{ name: `${name}.cue`, text: cueSheet(disc, wavs) }];
  if (options.single) {
    const image: WavPlan = { name: `${name}.wav`, kind: 'image', startFrame: 0, frames: disc.leadOut };
    wavs.push(image);
    cues.push({ name: `${name} (image).cue`, text: cueSheet(disc, [image]) });
  }
  return { name, wavs, cues };
}

/**
 * The cue sheet of `disc` stored in `files` (WAVs holding consecutive image frames from their
 * `startFrame`, the last to the lead-out); INDEX times are relative to the file each index falls in.
 */
export function cueSheet(disc: Disc, files: readonly Pick<WavPlan, 'name' | 'startFrame'>[]): string {
  const lines: string[] = [];
  if (disc.upc !== undefined) lines.push(`CATALOG ${disc.upc}`);
  lines.push(...cueTextLines(disc.cdText?.disc, '', 'disc'));
  const fileOf = (frame: number): number => {
    let k = -1;
    while (k + 1 < files.length && files[k + 1]!.startFrame <= frame) k++;
    return k;
  };
  let current = -1;
  const openFile = (k: number): void => {
    if (k === current) return;
    current = k;
    lines.push(`FILE ${cueFileName(files[k]!.name, 'WAV file')} WAVE`);
  };
  disc.tracks.forEach((track, i) => {
    // Index points before the first file (track 1's index 00 when the files start at index 01) are in no file.
    const kept = track.indexes.map((index) => ({ index, file: fileOf(index.frame) })).filter((p) => p.file >= 0);
    const first = kept[0];
    if (first) openFile(first.file);
    lines.push(`  TRACK ${pad2(track.number)} AUDIO`);
    lines.push(...cueTextLines(disc.cdText?.tracks[i], '    ', `track ${track.number}`));
    if (track.isrc !== undefined) lines.push(`    ISRC ${track.isrc}`);
    const flags = flagWords(track.flags);
    if (flags.length > 0) lines.push(`    FLAGS ${flags.join(' ')}`);
    const start = files[0]?.startFrame ?? 0;
    if (i === 0 && start > IMPLICIT_PREGAP) {
      // The first file starts after the disc pregap (at index 01): readers supply 2 seconds; the rest must be asked for.
      lines.push(`    PREGAP ${framesToMsf(start - IMPLICIT_PREGAP)}`);
    }
    for (const { index, file } of kept) {
      openFile(file);
      lines.push(`    INDEX ${pad2(index.number)} ${framesToMsf(index.frame - files[file]!.startFrame)}`);
    }
  });
  return `${lines.join('\n')}\n`;
}

/** `NN - Title.wav` from the track's CD-Text title, `NN - Track NN.wav` without one; at most MAX_FILE_NAME characters. */
export function trackFileName(number: number, title: string | undefined): string {
  const prefix = `${pad2(number)} - `;
  const budget = MAX_FILE_NAME - prefix.length - '.wav'.length;
  // The number prefix already keeps the name clear of reserved names and leading dots, so only the rest is cleaned.
  const clean = cleanName(title ?? '', budget);
  return `${prefix}${clean === '' ? `Track ${pad2(number)}` : clean}.wav`;
}

/**
 * A file name (without extension) every common file system accepts, made from free text, or '' when
 * nothing usable is left. Windows forbids `<>:"/\|?*`: `"` becomes `'`, the separators `/ \ | :`
 * become `-`, `< > ? *` are dropped. Control characters become blanks, runs of blanks one blank.
 * Leading blanks and dots (a hidden file on Unix) and trailing blanks and dots (Windows drops them)
 * are removed; device names (CON, PRN, AUX, NUL, COM1–9, LPT1–9, in any case) get `_` appended.
 * Accents stay. Cut to `maxLength` characters (and 240 UTF-8 bytes).
 */
export function safeFileName(text: string, maxLength: number = MAX_FILE_NAME): string {
  const name = cleanName(text, maxLength).replace(/^[. ]+/, '');
  if (RESERVED_RE.test(name)) {
    const dot = name.indexOf('.');
    return dot < 0 ? `${name}_` : `${name.slice(0, dot)}_${name.slice(dot)}`;
  }
  return name;
}

// Windows device names, alone or before an extension ("con.wav" is the console too).
const RESERVED_RE = /^(con|prn|aux|nul|com[1-9¹²³]|lpt[1-9¹²³])(\..*)?$/i;
// C0 and C1 controls and DEL: not allowed on Windows, trouble in shells and in cue sheets.
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f]/g;
/** Most UTF-8 bytes of a name: below the usual 255-byte limit with room to spare. */
const MAX_NAME_BYTES = 240;

/** The character rules of safeFileName without the leading-dot and device-name rules. */
function cleanName(text: string, maxLength: number): string {
  const mapped = text
    .replace(CONTROL_RE, ' ')
    .replaceAll('"', "'")
    .replace(/[/\\|:]/g, '-')
    .replace(/[<>?*]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  let out = '';
  let bytes = 0;
  for (const ch of mapped) {
    const b = Buffer.byteLength(ch, 'utf8');
    if (out.length + ch.length > maxLength || bytes + b > MAX_NAME_BYTES) break;
    out += ch;
    bytes += b;
  }
  return out.replace(/[. ]+$/, '');
}

/** An open WAV being written, with its running digests. */
interface WavSink {
  plan: WavPlan;
  handle: FileHandle;
  fileHash: Hash;
  audioHash: Hash;
  bytes: number;
}

/** Reads the image once from the first frame any WAV needs to the lead-out, feeding each chunk to the WAVs that hold it. */
async function writeWavs(image: ImageFile, plan: ExtractPlan, dir: string, options: ExtractOptions): Promise<ExtractedFile[]> {
  const tracks = plan.wavs.filter((w) => w.kind === 'track');
  const whole = plan.wavs.find((w) => w.kind === 'image');
  const from = Math.min(...plan.wavs.map((w) => w.startFrame));
  const to = Math.max(...plan.wavs.map((w) => w.startFrame + w.frames));
  // Chunks never straddle a track boundary, so each chunk goes to at most one track file (and the image).
  const boundaries = [...new Set(tracks.flatMap((w) => [w.startFrame, w.startFrame + w.frames]))].sort((a, b) => a - b);

  const source = await open(image.path, 'r');
  const done: ExtractedFile[] = [];
  const openSinks: WavSink[] = [];
  const buffers = [Buffer.allocUnsafe(CHUNK_FRAMES * BYTES_PER_FRAME), Buffer.allocUnsafe(CHUNK_FRAMES * BYTES_PER_FRAME)];
  try {
    const imageSink = whole ? await openSink(dir, whole) : undefined;
    if (imageSink) openSinks.push(imageSink);
    let trackSink: WavSink | undefined;
    let nextTrack = 0;
    let pending: Promise<unknown> = Promise.resolve();
    let k = 0;
    for (let pos = from; pos < to; k++) {
      if (options.signal?.aborted) throw new DdpkitError('interrupted', 'interrupted');
      const boundary = boundaries.find((b) => b > pos) ?? to;
      const frames = Math.min(CHUNK_FRAMES, boundary - pos, to - pos);
      const chunk = buffers[k % 2]!.subarray(0, frames * BYTES_PER_FRAME);
      await readFully(source, chunk, image.offset + pos * BYTES_PER_FRAME, image.name);
      await pending;
      if (trackSink && pos >= trackSink.plan.startFrame + trackSink.plan.frames) {
        done.push(await closeSink(trackSink, openSinks));
        trackSink = undefined;
      }
      const t = tracks[nextTrack];
      if (!trackSink && t && pos >= t.startFrame) {
        trackSink = await openSink(dir, t);
        openSinks.push(trackSink);
        nextTrack++;
      }
      const targets = [trackSink, imageSink].filter((s): s is WavSink => s !== undefined);
      pending = Promise.all(targets.map((s) => writeToSink(s, chunk)));
      pos += frames;
      options.onProgress?.(pos - from, to - from);
    }
    await pending;
    if (trackSink) done.push(await closeSink(trackSink, openSinks));
    if (imageSink) done.push(await closeSink(imageSink, openSinks));
  } finally {
    await Promise.all(openSinks.map((s) => s.handle.close().catch(() => undefined)));
    await source.close();
  }
  return done;
}

async function openSink(dir: string, plan: WavPlan): Promise<WavSink> {
  const handle = await open(path.join(dir, plan.name), 'w');
  const sink: WavSink = { plan, handle, fileHash: createHash('md5'), audioHash: createHash('md5'), bytes: 0 };
  const header = wavHeader(plan.frames * BYTES_PER_FRAME);
  sink.fileHash.update(header);
  await writeAll(handle, header, 0);
  sink.bytes = WAV_HEADER_BYTES;
  return sink;
}

async function writeToSink(sink: WavSink, chunk: Buffer): Promise<void> {
  sink.fileHash.update(chunk);
  sink.audioHash.update(chunk);
  const at = sink.bytes;
  sink.bytes += chunk.length;
  await writeAll(sink.handle, chunk, at);
}

async function closeSink(sink: WavSink, openSinks: WavSink[]): Promise<ExtractedFile> {
  openSinks.splice(openSinks.indexOf(sink), 1);
  await sink.handle.close();
  const { plan } = sink;
  if (sink.bytes !== WAV_HEADER_BYTES + plan.frames * BYTES_PER_FRAME) throw new Error(`extract: ${plan.name} got ${sink.bytes} bytes`);
  return {
    name: plan.name,
    kind: plan.kind,
    track: plan.track,
    startFrame: plan.startFrame,
    frames: plan.frames,
    samples: plan.frames * SAMPLES_PER_FRAME,
    bytes: sink.bytes,
    md5: sink.fileHash.digest('hex'),
    audioMd5: sink.audioHash.digest('hex'),
  };
}

/** Fills `buf` from `position`; an image that ends early (changed since it was read) is an error. */
async function readFully(handle: FileHandle, buf: Buffer, position: number, name: string): Promise<void> {
  const done = await readInto(handle, buf, position);
  if (done < buf.length) throw new DdpkitError('ddp', `${name} ended at byte ${position + done} while being read: was it changed?`);
}

async function writeSmallFile(dir: string, name: string, data: Buffer): Promise<ExtractedFile> {
  const handle = await open(path.join(dir, name), 'w');
  try {
    await writeAll(handle, data, 0);
  } finally {
    await handle.close();
  }
  return { name, kind: 'cue', bytes: data.length, md5: createHash('md5').update(data).digest('hex') };
}

/** TITLE, PERFORMER and SONGWRITER: the CD-Text a cue sheet can carry; empty text is left out. */
function cueTextLines(text: TextFields | undefined, indent: string, what: string): string[] {
  if (!text) return [];
  const lines: string[] = [];
  for (const field of ['title', 'performer', 'songwriter'] as const) {
    const value = text[field];
    if (value === undefined || value === '') continue;
    lines.push(`${indent}${field.toUpperCase()} ${cueText(value, `${what} ${field}`)}`);
  }
  return lines;
}

/** FLAGS words in CDRWIN order: DCP (digital copy permitted), PRE (pre-emphasis), SCMS. */
function flagWords(flags: Disc['tracks'][number]['flags']): string[] {
  const words: string[] = [];
  if (flags.copyPermitted) words.push('DCP');
  if (flags.preEmphasis) words.push('PRE');
  if (flags.scms) words.push('SCMS');
  return words;
}

