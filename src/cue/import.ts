// Cue sheet → album manifest (format 1, manifest.md): `ddpkit import album.cue`.
//
// How a cue sheet is read. Burners and readers (CDRWIN, cdrdao, libcdio) play the FILEs one after the
// other, each padded with silence to a whole CD frame, insert PREGAP/POSTGAP silence, and put the first
// FILE's first frame at disc LBA 0, i.e. after the 2-second pregap they make themselves (libcdio's
// cd-info lists a track whose INDEX 01 is at 00:00:00 at LSN 0 = 00:02:00). ddpkit's own sheets
// (cue-writer.ts, formats.md "CUE sheet") instead name IMAGE.DAT, which holds the disc pregap itself:
// file frame 0 is disc frame 0 and track 1 reads INDEX 00 00:00:00, INDEX 01 00:02:00.
//
// Which of the two a sheet means (the rule): let x be track 1's INDEX 01 in the first FILE, in frames.
// When x ≥ 150 and the first 150 frames of that file are digital silence (all zero bytes), the file
// holds the disc pregap (ddpkit's convention): the timeline starts with the file, at disc frame 0.
// Otherwise (INDEX 01 at 00:00:00 as EAC writes it, INDEX 01 in a later FILE, or sound in the first
// 2 seconds, such as an EAC hidden track rip) it is the burners' convention: the timeline starts with
// those 150 frames of silence, then the first FILE. Either way every INDEX of the sheet lands on the
// same disc frame in the built disc as on the disc the sheet describes (ddpkit's sheets: as in the DDP
// they were written from; other sheets: as on a disc burnt from them, every time + 150 frames). A
// sheet from another tool whose first FILE opens with 2 seconds of digital silence before a later
// INDEX 01 is read the ddpkit way: the same audio, 150 frames earlier than a burner would place it.
//
// Timeline → manifest. A manifest track is one range of one WAV file, preceded by `gap` silence, with
// index 01 on its first sample. So, for each track, its audio runs from its INDEX 01 to the end of the
// range of the same file that follows without a break; what comes after it up to the next INDEX 01
// must be silence (PREGAP/POSTGAP, frame padding, or file audio that is digital silence, which is read
// to check) and becomes the next track's `gap`. For a split continuous file that gives `start` = the
// track's INDEX 01, `end` = the next track's INDEX 01, `gap: 0`. INDEX 00 gives `pregap` = INDEX 01 −
// INDEX 00 in frames, which may reach back into the previous track's audio; PREGAP silence counts as
// pregap too (its start is index 00). INDEX 02+ become `indexes`, relative to INDEX 01.
//
// Track 1. Its index 00 is always at the start of the disc. What lies before its INDEX 01 is its gap,
// then the hidden track (`album.hidden_track`, hidden track one audio): under the burners' convention
// the gap is the 2-second pregap plus PREGAP plus any file audio before INDEX 01 that is digital silence
// as a whole, and the rest of the file audio is the hidden track (as EAC rips it: INDEX 00 00:00:00,
// INDEX 01 later; an INDEX 01 at 00:00:00 gives the usual `gap: "00:02:00"`). Under ddpkit's convention
// the gap is the silent head of the file, in whole frames of zero bytes (at least the 150), and the
// audio from there to INDEX 01, if any, is the hidden track, so it lands on the same frames as before.
//
// Sources. WAVE files are named as they are; a WAV's length comes from its header (src/audio/wav.ts,
// behind `readSource`). BINARY (raw 16-bit little-endian stereo 44.1 kHz, as IMAGE.DAT) and MOTOROLA
// (the same, big-endian) are read as raw PCM; since the manifest reads WAV only, once the import has
// succeeded each one the manifest uses is copied into a WAV next to the manifest (its base name +
// `.wav`: the 44-byte header of wav-writer.ts, then the samples streamed in 1 MiB chunks, MOTOROLA
// byte-swapped). An existing file of that name with exactly those bytes is kept; one that differs is
// never overwritten: the copy takes the first free `name-2.wav`, `name-3.wav`, … and a warning says so.
// A raw file that is not whole 4-byte samples, or too big for a WAV (4 GiB), is refused at its FILE line.
// AIFF and MP3 are refused at their FILE line with what to do instead (make a WAV; MP3 is lossy).
//
// The manifest is written for the cue's folder: file paths stay as the sheet has them (backslashes
// turned into slashes); for a manifest elsewhere (`manifestDir`) they are made relative to its folder.
// Times are `"MM:SS:FF"` (exact, all cue times are whole frames) or `NNNsmp`.
// CD-Text: TITLE/PERFORMER/SONGWRITER; a track's PERFORMER equal to the disc's is left to inheritance.
// CDTEXTFILE, REM and 4CH are not imported (warnings say so). Errors throw a DdpkitError carrying every
// problem, each naming its line (`album.cue:12:5: …`); warnings come back with the YAML.

import { mkdir, open, readFile, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { openForReading, readWavHeader } from '../audio/wav.js';
import { WAV_HEADER_BYTES, WAV_MAX_DATA_BYTES, wavHeader } from '../audio/wav-writer.js';
import { ISRC_RE, wrongCheckDigit } from '../disc/codes.js';
import type { SourceFormat } from '../disc/model.js';
import { DdpkitError, fail, type Problem } from '../errors.js';
import { readInto } from '../file-io.js';
import { BYTES_PER_SAMPLE, framesToMsf, SAMPLE_RATE, SAMPLES_PER_FRAME, pad2 } from '../time.js';
import { parseCue, type CueFile, type CueIndex, type CueSheet, type CueTrack } from './cue-parser.js';

/** The disc pregap before track 1's index 01 (Red Book minimum, and what a burner makes): 2 seconds. */
const DISC_PREGAP = 150 * SAMPLES_PER_FRAME;

/** What importCue made: the manifest text, the warnings, and the WAV copies of raw FILEs it names. */
export interface CueImport {
  yaml: string;
  problems: Problem[];
  /** Each raw FILE (full path) and its WAV copy (full path) the manifest names: written now, or an identical file already there. */
  wavCopies: { from: string; to: string }[];
}

/** Makes the manifest of a cue sheet for `opts.manifestDir` (default: the cue's folder), writing WAV copies of raw FILEs there; throws a DdpkitError listing the problems. */
export async function importCue(cuePath: string, opts: { manifestDir?: string | undefined } = {}): Promise<CueImport> {
  const text = decode(await readCueFile(cuePath));
  const { sheet, problems } = parseCue(text, cuePath);
  stopOnErrors(cuePath, problems);
  const importer = new Importer(sheet, cuePath, problems, opts.manifestDir);
  const manifest = await importer.run();
  stopOnErrors(cuePath, problems);
  const { names, wavCopies } = await importer.sources(manifest!);
  stopOnErrors(cuePath, problems);
  return { yaml: manifestYaml(manifest!, names, path.basename(cuePath)), problems, wavCopies };
}

/** The format of a WAV source; the one place that knows how (swap here for another header reader). */
export async function readSource(file: string): Promise<SourceFormat> {
  return readWavHeader(file);
}

async function readCueFile(cuePath: string): Promise<Buffer> {
  try {
    return await readFile(cuePath);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new DdpkitError('io', `${cuePath}: cannot read the cue sheet (${reason})`, [
      { severity: 'error', code: 'io', message: `cannot read the cue sheet (${reason})`, file: cuePath },
    ]);
  }
}

/** Cue sheets come as UTF-8 (with or without BOM) or as a Windows single-byte code page. */
function decode(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

function stopOnErrors(cuePath: string, problems: Problem[]): void {
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    throw new DdpkitError('cue', `${cuePath}: ${errors.length === 1 ? 'the cue sheet cannot be imported' : `${errors.length} problems stop the import`}`, problems);
  }
}

// ---- The manifest as a value (keys in the order they are written) ----

interface ManifestRange {
  /** Position of the FILE in the sheet's `files`. */
  file: number;
  /** Source samples; undefined = the file's start / end. */
  start?: number | undefined;
  end?: number | undefined;
}

interface ManifestTrack extends ManifestRange {
  gap: number;
  pregap?: number | undefined;
  indexes: number[];
  title?: string | undefined;
  performer?: string | undefined;
  songwriter?: string | undefined;
  isrc?: string | undefined;
  copyPermitted: boolean;
  preEmphasis: boolean;
  scms: boolean;
}

interface Manifest {
  album: { title?: string | undefined; performer?: string | undefined; songwriter?: string | undefined; upc?: string | undefined; hidden?: ManifestRange | undefined };
  tracks: ManifestTrack[];
}

// ---- The disc timeline (samples from the start of the disc) ----

type Segment =
  | { kind: 'silence'; start: number; length: number }
  | { kind: 'audio'; start: number; length: number; file: number; from: number };

/** Silence a burner inserts: a PREGAP before a track's first index, a POSTGAP before the next track's. */
interface Insertion {
  file: number;
  at: number;
  /** Order among insertions at one position: 2i for track i's PREGAP, 2i+1 for its POSTGAP. */
  seq: number;
  length: number;
}

class Importer {
  private readonly dir: string;
  private readonly formats: SourceFormat[] = [];
  private readonly segments: Segment[] = [];
  private readonly fileBase: number[] = [];
  private readonly insertions: Insertion[] = [];
  private readonly silenceCache = new Map<string, boolean>();
  /** Silence before the first FILE: the burner's 2 seconds, or none when the file holds the disc pregap. */
  private lead = DISC_PREGAP;

  constructor(
    private readonly sheet: CueSheet,
    private readonly cuePath: string,
    private readonly problems: Problem[],
    private readonly manifestDir: string | undefined,
  ) {
    this.dir = path.dirname(cuePath);
  }

  async run(): Promise<Manifest | undefined> {
    await this.readFiles();
    for (const t of this.sheet.tracks) {
      if (t.mode !== 'AUDIO') this.error(t.lines.TRACK!, `TRACK ${pad2(t.number)} is a ${t.mode} data track; an audio CD has AUDIO tracks only`);
    }
    if (this.hasErrors()) return undefined;
    this.checkIndexesInsideFiles();
    if (this.hasErrors()) return undefined;
    if (await this.holdsDiscPregap()) this.lead = 0;
    this.buildTimeline();
    return this.manifest();
  }

  /** The manifest's path for each FILE it uses, writing the WAV copy of each raw one ("Sources" above); problems go to `problems`. */
  async sources(m: Manifest): Promise<{ names: string[]; wavCopies: CueImport['wavCopies'] }> {
    const used = new Set([...m.tracks.map((t) => t.file), ...(m.album.hidden ? [m.album.hidden.file] : [])]);
    const names: string[] = [];
    const wavCopies: CueImport['wavCopies'] = [];
    const targetDir = path.resolve(this.manifestDir ?? this.dir);
    for (const [i, f] of this.sheet.files.entries()) {
      if (!used.has(i)) continue;
      if (f.type === 'WAVE') {
        names[i] = this.yamlPath(f);
        continue;
      }
      const from = this.sourcePath(f);
      try {
        const copy = await wavCopy(from, this.formats[i]!.dataLength, f.type === 'MOTOROLA', targetDir);
        if (copy.taken.length > 0) {
          this.warning(f.line, `${copy.taken.map((n) => `"${n}"`).join(', ')} already ${copy.taken.length === 1 ? 'exists' : 'exist'} with other content; the WAV copy of "${f.name}" is written as "${path.basename(copy.to)}"`);
        }
        names[i] = path.relative(targetDir, copy.to).split(path.sep).join('/');
        wavCopies.push({ from, to: copy.to });
      } catch (err) {
        if (!(err instanceof DdpkitError)) throw err;
        this.error(f.line, `FILE "${f.name}": cannot make its WAV copy: ${err.message}`);
      }
    }
    return { names, wavCopies };
  }

  /** Checks each FILE's type and reads each WAV header, or the size of each raw file. */
  private async readFiles(): Promise<void> {
    const seen = new Map<string, CueFile>();
    for (const [i, f] of this.sheet.files.entries()) {
      const refusal = REFUSED_TYPES[f.type];
      if (refusal) {
        this.error(f.line, `FILE "${f.name}" ${f.type}: ${refusal(f.name)}`);
        continue;
      }
      const full = this.sourcePath(f);
      const earlier = seen.get(full);
      if (earlier) {
        this.error(f.line, `FILE "${f.name}" is named again (first on line ${earlier.line}): a cue sheet plays each FILE from its start, so the same audio would be on the disc twice`);
        continue;
      }
      seen.set(full, f);
      try {
        if (f.type === 'WAVE') {
          const format = await readSource(full);
          if (format.sampleRate !== SAMPLE_RATE) {
            this.error(f.line, `FILE "${f.name}" is ${format.sampleRate} Hz; cue sheet times are CD frames of 44.1 kHz audio (resample it to 44,100 Hz first)`);
          }
          this.formats[i] = format;
        } else {
          this.formats[i] = await this.readRaw(f, full);
        }
      } catch (err) {
        if (!(err instanceof DdpkitError)) throw err;
        this.error(f.line, `FILE "${f.name}": ${err.message}`);
      }
    }
  }

  /** The format of a raw FILE (16-bit stereo 44.1 kHz, no header): checks its size, warns when it looks like a WAV. */
  private async readRaw(f: CueFile, full: string): Promise<SourceFormat> {
    const handle = await openForReading(full);
    let size: number;
    let head: Buffer;
    try {
      size = (await handle.stat()).size;
      head = Buffer.alloc(12);
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      head = head.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
    const what = f.type === 'MOTOROLA' ? 'big-endian' : 'little-endian';
    if (size % BYTES_PER_SAMPLE !== 0) {
      this.error(f.line, `FILE "${f.name}" ${f.type} is ${size} bytes, not a whole number of 4-byte samples: raw CD audio is 16-bit ${what} stereo`);
    } else if (size > WAV_MAX_DATA_BYTES) {
      this.error(f.line, `FILE "${f.name}" ${f.type} is ${size} bytes, more than a WAV file can hold (${WAV_MAX_DATA_BYTES} bytes, 4 GiB), and far more than a CD`);
    }
    if (head.length === 12 && head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WAVE') {
      this.warning(f.line, `FILE "${f.name}" ${f.type} starts with a WAV header; it is read as raw ${what} samples, as a burner would, header included (if it is a WAV file, name it as WAVE)`);
    }
    const usable = size - (size % BYTES_PER_SAMPLE);
    return {
      sampleFormat: 'int',
      bitsPerSample: 16,
      channels: 2,
      sampleRate: SAMPLE_RATE,
      dataOffset: 0,
      dataLength: usable,
      blockAlign: BYTES_PER_SAMPLE,
      frameCount: usable / BYTES_PER_SAMPLE,
    };
  }

  /** The rule of the header comment: track 1's INDEX 01 at 150 frames or later in the first FILE, whose first 150 frames are digital silence. */
  private async holdsDiscPregap(): Promise<boolean> {
    const index01 = this.sheet.tracks[0]!.indexes.find((x) => x.number === 1)!;
    if (index01.file !== 0 || index01.frame * SAMPLES_PER_FRAME < DISC_PREGAP) return false;
    return this.isSilence({ kind: 'audio', start: 0, length: DISC_PREGAP, file: 0, from: 0 });
  }

  private checkIndexesInsideFiles(): void {
    for (const t of this.sheet.tracks) {
      for (const idx of t.indexes) {
        const length = this.formats[idx.file]!.frameCount;
        if (idx.frame * SAMPLES_PER_FRAME > length) {
          const file = this.sheet.files[idx.file]!;
          this.error(idx.line, `INDEX ${pad2(idx.number)} at ${framesToMsf(idx.frame)} is past the end of "${file.name}" (line ${file.line}), which is ${lengthText(length)} long`);
        }
      }
    }
  }

  /** Lays the files and the PREGAP/POSTGAP silence end to end, after the burner's 2-second pregap (if any). */
  private buildTimeline(): void {
    const tracks = this.sheet.tracks;
    const lastFile = this.sheet.files.length - 1;
    tracks.forEach((t, i) => {
      const first = t.indexes[0]!;
      if (t.pregap) this.insertions.push({ file: first.file, at: first.frame * SAMPLES_PER_FRAME, seq: 2 * i, length: t.pregap * SAMPLES_PER_FRAME });
      if (t.postgap) {
        const next = tracks[i + 1]?.indexes[0];
        const where = next ? { file: next.file, at: next.frame * SAMPLES_PER_FRAME } : { file: lastFile, at: this.formats[lastFile]!.frameCount };
        this.insertions.push({ ...where, seq: 2 * i + 1, length: t.postgap * SAMPLES_PER_FRAME });
      }
    });
    if (this.lead > 0) this.segments.push({ kind: 'silence', start: 0, length: this.lead });
    let pos = this.lead;
    this.formats.forEach((format, f) => {
      this.fileBase.push(pos);
      const inserts = this.insertions.filter((x) => x.file === f).sort((a, b) => a.at - b.at || a.seq - b.seq);
      let cur = 0;
      for (const ins of inserts) {
        if (ins.at > cur) {
          this.segments.push({ kind: 'audio', start: pos, length: ins.at - cur, file: f, from: cur });
          pos += ins.at - cur;
          cur = ins.at;
        }
        this.segments.push({ kind: 'silence', start: pos, length: ins.length });
        pos += ins.length;
      }
      if (format.frameCount > cur) {
        this.segments.push({ kind: 'audio', start: pos, length: format.frameCount - cur, file: f, from: cur });
        pos += format.frameCount - cur;
      }
      const padding = roundUpToFrame(format.frameCount) - format.frameCount;
      if (padding > 0) {
        this.segments.push({ kind: 'silence', start: pos, length: padding });
        pos += padding;
      }
    });
  }

  /** Disc position of an index of track `i`: counting the silence inserted at or before it by this or earlier tracks. */
  private at(idx: CueIndex, i: number): number {
    const inFile = idx.frame * SAMPLES_PER_FRAME;
    const inserted = this.insertions
      .filter((x) => x.file === idx.file && (x.at < inFile || (x.at === inFile && x.seq <= 2 * i)))
      .reduce((sum, x) => sum + x.length, 0);
    return this.fileBase[idx.file]! + inFile + inserted;
  }

  private get end(): number {
    const last = this.segments.at(-1)!;
    return last.start + last.length;
  }

  /** The segments between two disc positions, clipped to them. */
  private piecesIn(from: number, to: number): Segment[] {
    const out: Segment[] = [];
    for (const s of this.segments) {
      const a = Math.max(from, s.start);
      const b = Math.min(to, s.start + s.length);
      if (a >= b) continue;
      out.push(s.kind === 'silence' ? { kind: 'silence', start: a, length: b - a } : { ...s, start: a, length: b - a, from: s.from + (a - s.start) });
    }
    return out;
  }

  private async manifest(): Promise<Manifest | undefined> {
    const tracks = this.sheet.tracks;
    const index01 = tracks.map((t, i) => this.at(t.indexes.find((x) => x.number === 1)!, i));
    const album: Manifest['album'] = { ...this.sheet.text, upc: this.catalog() };
    if (this.sheet.cdTextFile !== undefined) {
      this.warning(this.sheet.lines.CDTEXTFILE!, 'CDTEXTFILE is not imported; CD-Text comes from the TITLE, PERFORMER and SONGWRITER lines');
    }

    // Track 1's gap and the hidden track: what lies before its INDEX 01.
    const lead = await this.leadIn(index01[0]!, tracks[0]!);
    if (!lead) return undefined;
    album.hidden = lead.hidden;
    let gap = lead.gap;

    const out: ManifestTrack[] = [];
    for (const [i, t] of tracks.entries()) {
      const start = index01[i]!;
      const next = index01[i + 1] ?? this.end;
      const audio = await this.trackAudio(t, i, start, next);
      if (!audio) return undefined;
      const format = this.formats[audio.file]!;
      const pregap = i === 0 ? undefined : this.pregapOf(t, i, start, gap);
      out.push({
        file: audio.file,
        start: audio.from === 0 ? undefined : audio.from,
        end: audio.to === format.frameCount ? undefined : audio.to,
        gap,
        pregap,
        indexes: t.indexes.filter((x) => x.number >= 2).map((x) => (this.at(x, i) - start) / SAMPLES_PER_FRAME),
        ...this.trackText(t, album.performer),
        isrc: t.isrc !== undefined && ISRC_RE.test(t.isrc) ? t.isrc : undefined,
        ...this.trackFlags(t),
      });
      gap = (next - roundUpToFrame(audio.endAt)) / SAMPLES_PER_FRAME;
      const nextTrack = tracks[i + 1];
      if (nextTrack && gap === 0 && audio.endAt % SAMPLES_PER_FRAME !== 0) {
        const file = this.sheet.files[audio.file]!;
        this.warning(file.line, `"${file.name}" is not a whole number of CD frames long; track ${nextTrack.number} follows it without the silence a burner would pad it with (index points move by less than a frame)`);
      }
      if (!nextTrack && next > roundUpToFrame(audio.endAt)) {
        const line = t.lines.POSTGAP ?? t.lines.TRACK!;
        this.warning(line, `${lengthText(next - roundUpToFrame(audio.endAt))} of silence after the last track's audio is not kept: the disc ends with the last track`);
      }
    }
    return { album, tracks: out };
  }

  /** Track 1's gap (the disc pregap, PREGAP, file silence) and the hidden track before its INDEX 01. */
  private async leadIn(index01: number, t: CueTrack): Promise<{ gap: number; hidden?: ManifestRange } | undefined> {
    const index00 = t.indexes.find((x) => x.number === 0);
    if (index00 && index00.frame > 0) {
      this.warning(index00.line, "track 1's index 00 is always at the start of the disc; this INDEX 00 only marks more of its pregap");
    }
    const pieces = this.piecesIn(0, index01);
    let k = 0;
    while (k < pieces.length && (await this.isSilence(pieces[k]!))) k++;
    const rest = pieces.slice(k);
    // ddpkit's convention: the gap is the file's silent head in whole frames, the hidden track the rest.
    if (this.lead === 0 && rest[0]?.kind === 'audio') rest[0] = await this.withoutSilentFrames(rest[0]);
    const lead = rest[0]?.start ?? index01;
    if (rest.length === 0) return { gap: lead / SAMPLES_PER_FRAME };
    const range = this.contiguous(rest);
    const after = rest.slice(range.count);
    if (after.some((p) => p.kind === 'audio') || roundUpToFrame(range.endAt) !== index01) {
      this.error(t.indexes[0]!.line, 'the audio before track 1\'s INDEX 01 is not one stretch of one file followed by track 1 (PREGAP silence or a second file comes between them); ddpkit can only place one file range there as a hidden track');
      return undefined;
    }
    const format = this.formats[range.file]!;
    const hidden: ManifestRange = {
      file: range.file,
      start: range.from === 0 ? undefined : range.from,
      end: range.to === format.frameCount ? undefined : range.to,
    };
    return { gap: lead / SAMPLES_PER_FRAME, hidden };
  }

  /** A track's audio: the file range from its INDEX 01 on; checks that only silence follows it before `next`. */
  private async trackAudio(t: CueTrack, i: number, start: number, next: number): Promise<Contiguous | undefined> {
    const pieces = this.piecesIn(start, next);
    const index01 = t.indexes.find((x) => x.number === 1)!;
    const first = pieces[0];
    if (first?.kind !== 'audio' || first.start !== start) {
      this.error(index01.line, `TRACK ${pad2(t.number)}'s INDEX 01 is at the very end of its FILE; the track would have no audio from it`);
      return undefined;
    }
    const audio = this.contiguous(pieces);
    for (const p of pieces.slice(audio.count)) {
      if (await this.isSilence(p)) continue;
      const src = this.sheet.files[(p as Extract<Segment, { kind: 'audio' }>).file]!;
      const nextTrack = this.sheet.tracks[i + 1];
      const where = nextTrack ? `before TRACK ${pad2(nextTrack.number)}'s INDEX 01 (line ${nextTrack.indexes.find((x) => x.number === 1)!.line})` : 'at the end of the disc';
      this.error(src.line, `TRACK ${pad2(t.number)} plays "${this.sheet.files[audio.file]!.name}" and then audio from "${src.name}" ${where} that is not digital silence; a manifest track takes its audio from one file, followed only by silence (join the files, or rip with gaps appended to the previous track)`);
      return undefined;
    }
    return audio;
  }

  /** The pregap (index 00 → index 01, frames) a track ≥ 2 writes, or undefined when the default (= its gap) is right. */
  private pregapOf(t: CueTrack, i: number, start: number, gap: number): number | undefined {
    const first = t.indexes[0]!;
    let index00: number | undefined;
    if (t.pregap) index00 = this.at(first, i) - t.pregap * SAMPLES_PER_FRAME;
    else if (first.number === 0) index00 = this.at(first, i);
    const pregap = index00 === undefined ? 0 : (start - index00) / SAMPLES_PER_FRAME;
    return pregap === gap ? undefined : pregap;
  }

  /** An audio piece from its first frame (of the disc) that is not all zero bytes on; unchanged when it is all silence. */
  private async withoutSilentFrames(p: Extract<Segment, { kind: 'audio' }>): Promise<Extract<Segment, { kind: 'audio' }>> {
    const sound = await firstSound(this.sourcePath(this.sheet.files[p.file]!), this.formats[p.file]!, p.from, p.length);
    if (sound === undefined) return p;
    const at = Math.max(p.start, Math.floor((p.start + sound) / SAMPLES_PER_FRAME) * SAMPLES_PER_FRAME);
    const skip = at - p.start;
    return { ...p, start: at, length: p.length - skip, from: p.from + skip };
  }

  /** The first pieces that form one uninterrupted range of one file (the rest is what follows it). */
  private contiguous(pieces: Segment[]): Contiguous {
    const first = pieces[0] as Extract<Segment, { kind: 'audio' }>;
    let to = first.from + first.length;
    let endAt = first.start + first.length;
    let count = 1;
    for (const p of pieces.slice(1)) {
      if (p.kind !== 'audio' || p.file !== first.file || p.from !== to || p.start !== endAt) break;
      to += p.length;
      endAt += p.length;
      count++;
    }
    return { file: first.file, from: first.from, to, endAt, count };
  }

  /** True for inserted silence and for file audio whose bytes are all zero (digital silence). */
  private async isSilence(p: Segment): Promise<boolean> {
    if (p.kind === 'silence') return true;
    const key = `${p.file}:${p.from}:${p.length}`;
    let silent = this.silenceCache.get(key);
    if (silent === undefined) {
      silent = (await firstSound(this.sourcePath(this.sheet.files[p.file]!), this.formats[p.file]!, p.from, p.length)) === undefined;
      this.silenceCache.set(key, silent);
    }
    return silent;
  }

  private catalog(): string | undefined {
    const code = this.sheet.catalog;
    const line = this.sheet.lines.CATALOG!;
    if (code === undefined) return undefined;
    if (/^0+$/.test(code)) {
      this.warning(line, 'CATALOG 0000000000000 means "no catalog number"; no upc is written');
      return undefined;
    }
    const right = wrongCheckDigit(code);
    if (right !== undefined) this.warning(line, `CATALOG ${code} has a wrong check digit (it should end in ${right}); the manifest will refuse it until it is corrected`);
    return code;
  }

  private trackText(t: CueTrack, albumPerformer: string | undefined): Pick<ManifestTrack, 'title' | 'performer' | 'songwriter'> {
    const { title, performer, songwriter } = t.text;
    return { title, performer: performer === albumPerformer ? undefined : performer, songwriter };
  }

  private trackFlags(t: CueTrack): Pick<ManifestTrack, 'copyPermitted' | 'preEmphasis' | 'scms'> {
    const line = t.lines.FLAGS;
    if (t.flags.fourChannel) this.warning(line!, 'FLAGS 4CH is not imported: ddpkit makes two-channel discs');
    if (t.flags.dcp && t.flags.scms) this.error(line!, 'FLAGS DCP and SCMS exclude each other: a track is copy permitted or under serial copy management');
    return { copyPermitted: t.flags.dcp, preEmphasis: t.flags.pre, scms: t.flags.scms };
  }

  private sourcePath(f: CueFile): string {
    return path.resolve(this.dir, f.name.replaceAll('\\', '/'));
  }

  /** The path the manifest names: as the sheet has it, or relative to the manifest's folder when that is elsewhere. */
  private yamlPath(f: CueFile): string {
    const name = f.name.replaceAll('\\', '/');
    if (this.manifestDir === undefined || path.resolve(this.manifestDir) === path.resolve(this.dir)) return name;
    return path.relative(path.resolve(this.manifestDir), this.sourcePath(f)).split(path.sep).join('/');
  }

  private hasErrors(): boolean {
    return this.problems.some((p) => p.severity === 'error');
  }

  private error(line: number, message: string): void {
    this.problems.push({ severity: 'error', code: 'cue', message, file: this.cuePath, position: { line, column: 1 } });
  }

  private warning(line: number, message: string): void {
    this.problems.push({ severity: 'warning', code: 'cue', message, file: this.cuePath, position: { line, column: 1 } });
  }
}

/** One range of one file on the disc: source samples [from, to), ending at disc position endAt. */
interface Contiguous {
  file: number;
  from: number;
  to: number;
  endAt: number;
  /** How many timeline pieces it spans. */
  count: number;
}

/** Why a FILE type is refused, and what to do instead. */
const REFUSED_TYPES: Partial<Record<CueFile['type'], (name: string) => string>> = {
  MP3: () => 'MP3 is lossy and cannot be the source of a CD master; use the original WAV',
  AIFF: (name) => `AIFF is not a manifest source; convert it to WAV (e.g. \`sox "${name}" "${withExt(name, '.wav')}"\`) and name that as WAVE`,
};

/**
 * The first of the samples [from, from + count) of a source, relative to `from`, that is not all zero bytes,
 * or undefined when all are: digital silence for integer PCM of 16 bits or more and for float. (8-bit
 * silence is 0x80: such a file's silence counts as audio, the cautious reading.) A file that ends early
 * counts as sound there.
 */
async function firstSound(file: string, format: SourceFormat, from: number, count: number): Promise<number | undefined> {
  const handle = await openForReading(file);
  try {
    const chunk = Buffer.alloc(CHUNK_BYTES);
    const start = format.dataOffset + from * format.blockAlign;
    let pos = start;
    let left = count * format.blockAlign;
    while (left > 0) {
      const { bytesRead } = await handle.read(chunk, 0, Math.min(chunk.length, left), pos);
      if (bytesRead === 0) return Math.floor((pos - start) / format.blockAlign);
      for (let i = 0; i < bytesRead; i++) if (chunk[i] !== 0) return Math.floor((pos + i - start) / format.blockAlign);
      pos += bytesRead;
      left -= bytesRead;
    }
    return undefined;
  } finally {
    await handle.close();
  }
}

// ---- WAV copies of raw FILEs ----

/** Bytes read or written at a time when files are streamed. */
const CHUNK_BYTES = 1 << 20;
/** How many names (`x.wav`, `x-2.wav`, … `x-99.wav`) a WAV copy may try. */
const MAX_COPY_NAMES = 99;

/**
 * Makes the WAV copy of the raw file `from` (`dataBytes` of 16-bit stereo, byte-swapped when `swap`) in `dir`
 * under the first name that is free or already holds exactly that WAV; `taken` lists the names passed over.
 */
async function wavCopy(from: string, dataBytes: number, swap: boolean, dir: string): Promise<{ to: string; taken: string[] }> {
  const base = path.basename(from).replace(/\.[^.]*$/, '') || 'audio';
  const taken: string[] = [];
  await ioStep(`cannot create the folder ${dir}`, () => mkdir(dir, { recursive: true }));
  for (let n = 1; n <= MAX_COPY_NAMES; n++) {
    const name = n === 1 ? `${base}.wav` : `${base}-${n}.wav`;
    const to = path.join(dir, name);
    const state = to === path.resolve(from) ? 'different' : await compareWav(to, from, dataBytes, swap);
    if (state === 'same') return { to, taken };
    if (state === 'absent') {
      await writeWav(to, from, dataBytes, swap);
      return { to, taken };
    }
    taken.push(name);
  }
  return fail('io', `${path.join(dir, `${base}.wav`)} and the next ${MAX_COPY_NAMES - 1} names all exist with other content; move them away or import with the manifest in another folder`);
}

/** The bytes of the WAV copy: the header, then the raw samples in chunks (one buffer, reused: use each before asking for the next). */
async function* wavCopyBytes(from: string, dataBytes: number, swap: boolean): AsyncGenerator<Buffer> {
  yield wavHeader(dataBytes);
  const handle = await openForReading(from);
  try {
    const chunk = Buffer.alloc(CHUNK_BYTES);
    for (let pos = 0; pos < dataBytes; ) {
      const n = await readInto(handle, chunk.subarray(0, Math.min(chunk.length, dataBytes - pos)), pos);
      if (n === 0) fail('io', `${from} became shorter while it was copied`);
      const bytes = chunk.subarray(0, n);
      if (swap) bytes.swap16();
      yield bytes;
      pos += n;
    }
  } finally {
    await handle.close();
  }
}

/** Whether `to` is missing, holds exactly the WAV copy of `from`, or something else; reads both in chunks. */
async function compareWav(to: string, from: string, dataBytes: number, swap: boolean): Promise<'absent' | 'same' | 'different'> {
  let handle: FileHandle;
  try {
    const info = await stat(to);
    if (!info.isFile() || info.size !== WAV_HEADER_BYTES + dataBytes) return 'different';
    handle = await open(to, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    return fail('io', `${to}: cannot read it (${(err as Error).message})`);
  }
  try {
    const have = Buffer.alloc(CHUNK_BYTES);
    let pos = 0;
    for await (const want of wavCopyBytes(from, dataBytes, swap)) {
      const n = await readInto(handle, have.subarray(0, want.length), pos);
      if (n !== want.length || !have.subarray(0, n).equals(want)) return 'different';
      pos += n;
    }
    return 'same';
  } finally {
    await handle.close();
  }
}

/** Writes the WAV copy of `from` to `to` through a temporary file in the same folder, renamed when complete. */
async function writeWav(to: string, from: string, dataBytes: number, swap: boolean): Promise<void> {
  const temp = path.join(path.dirname(to), `.${path.basename(to)}.${process.pid}.part`);
  const handle = await ioStep(`cannot write ${temp}`, () => open(temp, 'wx'));
  try {
    try {
      for await (const bytes of wavCopyBytes(from, dataBytes, swap)) {
        await ioStep(`cannot write ${temp}`, () => handle.write(bytes, 0, bytes.length));
      }
    } finally {
      await handle.close();
    }
    await ioStep(`cannot rename ${temp} to ${to}`, () => rename(temp, to));
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}


/** Runs a file operation, turning an OS error into a DdpkitError that says what failed. */
async function ioStep<T>(what: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof DdpkitError) throw err;
    return fail('io', `${what} (${(err as Error).message})`);
  }
}

// ---- YAML ----

/** The manifest text (`names`: the path of each FILE): fixed key order, times as `"MM:SS:FF"` or `NNNsmp`, strings quoted only when needed. */
function manifestYaml(m: Manifest, names: string[], cueName: string): string {
  const lines = [`# Imported by ddpkit from ${cueName}.`, 'version: 1'];
  const album: string[] = [];
  const a = m.album;
  if (a.title !== undefined) album.push(`  title: ${yamlString(a.title)}`);
  if (a.performer !== undefined) album.push(`  performer: ${yamlString(a.performer)}`);
  if (a.songwriter !== undefined) album.push(`  songwriter: ${yamlString(a.songwriter)}`);
  if (a.upc !== undefined) album.push(`  upc: "${a.upc}"`);
  if (a.hidden) {
    album.push('  hidden_track:', `    file: ${yamlString(names[a.hidden.file]!)}`);
    if (a.hidden.start !== undefined) album.push(`    start: ${yamlTime(a.hidden.start)}`);
    if (a.hidden.end !== undefined) album.push(`    end: ${yamlTime(a.hidden.end)}`);
  }
  if (album.length > 0) lines.push('album:', ...album);
  lines.push('tracks:');
  for (const t of m.tracks) {
    lines.push(`  - file: ${yamlString(names[t.file]!)}`);
    if (t.start !== undefined) lines.push(`    start: ${yamlTime(t.start)}`);
    if (t.end !== undefined) lines.push(`    end: ${yamlTime(t.end)}`);
    lines.push(`    gap: ${yamlTime(t.gap * SAMPLES_PER_FRAME)}`);
    if (t.pregap !== undefined) lines.push(`    pregap: ${yamlTime(t.pregap * SAMPLES_PER_FRAME)}`);
    if (t.indexes.length > 0) lines.push(`    indexes: [${t.indexes.map((f) => yamlTime(f * SAMPLES_PER_FRAME)).join(', ')}]`);
    if (t.title !== undefined) lines.push(`    title: ${yamlString(t.title)}`);
    if (t.performer !== undefined) lines.push(`    performer: ${yamlString(t.performer)}`);
    if (t.songwriter !== undefined) lines.push(`    songwriter: ${yamlString(t.songwriter)}`);
    if (t.isrc !== undefined) lines.push(`    isrc: ${t.isrc}`);
    if (t.copyPermitted) lines.push('    copy_permitted: true');
    if (t.preEmphasis) lines.push('    pre_emphasis: true');
    if (t.scms) lines.push('    scms: true');
  }
  return `${lines.join('\n')}\n`;
}

/** A time in samples: `0`, `"MM:SS:FF"` when it is whole frames, else `NNNsmp`. */
function yamlTime(samples: number): string {
  if (samples === 0) return '0';
  if (samples % SAMPLES_PER_FRAME === 0) return `"${framesToMsf(samples / SAMPLES_PER_FRAME)}"`;
  return `${samples}smp`;
}

/** Letters and digits first, then only characters that never mean anything in a plain YAML scalar. */
const PLAIN_RE = /^[\p{L}\p{N}][\p{L}\p{N} .,'()/_+-]*$/u;
/** Plain words YAML would read as something other than a string. */
const YAML_WORDS_RE = /^(?:true|false|yes|no|on|off|null|y|n|~)$/i;

/** A string as a plain scalar when that is unambiguous, else double-quoted (JSON escapes are valid YAML). */
function yamlString(s: string): string {
  // Strings opening with a digit are quoted too: `2001` or `1:30` would not read back as text.
  const plain = PLAIN_RE.test(s) && !/^\d/.test(s) && !s.endsWith(' ') && !YAML_WORDS_RE.test(s);
  return plain ? s : JSON.stringify(s);
}

function roundUpToFrame(samples: number): number {
  return Math.ceil(samples / SAMPLES_PER_FRAME) * SAMPLES_PER_FRAME;
}

function lengthText(samples: number): string {
  return samples % SAMPLES_PER_FRAME === 0 ? framesToMsf(samples / SAMPLES_PER_FRAME) : `${samples} samples`;
}

function withExt(name: string, ext: string): string {
  return name.replace(/\.[^./\\]*$/, '') + ext;
}

