// Manifest loading: YAML (with positions) → schema → normalised Album, reading each source's WAV header.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DdpkitError, type Problem } from '../errors.js';
import { readWavHeader } from '../audio/wav.js';
import { languageCode } from '../cdtext/languages.js';
import { normaliseIsrc, ISRC_RE, toEan13, wrongCheckDigit } from '../disc/codes.js';
import { TEXT_FIELDS, type Curve, type Source, type TextFields } from '../disc/model.js';
import { framesToMsf, parseTime, SAMPLE_RATE, samplesToNearestFrames, msfToFrames, MAX_TRACKS } from '../time.js';
import type { Album, AlbumTrack, Fade, HiddenTrack, KeyPositions } from './album.js';
import { checkSchema, problemAt, type Locator } from './schema.js';
import { parseYamlWithPositions } from './yaml-source.js';

/** What loading a manifest gives: the Album when there were no errors, and every problem found. */
export interface LoadResult {
  album?: Album | undefined;
  problems: Problem[];
}

type Obj = Record<string, unknown>;

const DEFAULT_MAX_LENGTH = msfToFrames(79, 57, 74);
const DEFAULT_GAP_SAMPLES = 2 * SAMPLE_RATE;

/** Reads and validates a manifest file; never throws for bad input (problems say what is wrong). */
export async function loadManifest(manifestPath: string): Promise<LoadResult> {
  const file = manifestPath;
  const err = (message: string, position?: { line: number; column: number }): LoadResult => ({
    problems: [{ severity: 'error', code: 'yaml', message, file, position }],
  });
  let bytes: Buffer;
  try {
    bytes = await readFile(manifestPath);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { problems: [{ severity: 'error', code: 'io', message: `${file}: no such file` }] };
    if (code === 'EISDIR') return { problems: [{ severity: 'error', code: 'io', message: `${file}: is a folder, not a manifest file` }] };
    return { problems: [{ severity: 'error', code: 'io', message: `${file}: cannot read (${code ?? String(e)})` }] };
  }
  if (bytes.length === 0) return err('the manifest is empty; it needs at least "version: 1" and "tracks"');
  if (bytes.includes(0) || !isUtf8(bytes)) return err('not a text file: a manifest is YAML text (UTF-8)');
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const parsed = parseYamlWithPositions(text);
  if (!parsed.ok) return err(parsed.message, parsed.position);
  const source = parsed.source;
  const data = source.data;
  if (data === null || data === undefined) return err('the manifest is empty; it needs at least "version: 1" and "tracks"');
  if (typeof data !== 'object' || Array.isArray(data)) {
    const what = Array.isArray(data) ? 'a list' : `a single ${typeof data}`;
    return err(`the manifest must be a mapping with "version: 1" and "tracks" at the top, not ${what}`, source.values.get(''));
  }
  const root = data as Obj;
  const tracksRaw = Array.isArray(root.tracks) ? (root.tracks as unknown[]) : [];
  const loc: Locator = {
    file,
    source,
    trackTitle: (i) => {
      const t = tracksRaw[i];
      return t && typeof t === 'object' && typeof (t as Obj).title === 'string' ? ((t as Obj).title as string) : undefined;
    },
  };
  const problems = checkSchema(loc);
  const n = new Normaliser(loc, path.dirname(path.resolve(manifestPath)), problems);
  const album = await n.album(root, tracksRaw);
  sortByPosition(problems);
  return { album: problems.some((p) => p.severity === 'error') ? undefined : album, problems };
}

/** Like loadManifest, but throws a DdpkitError listing every problem when there is an error. */
export async function loadAlbum(manifestPath: string): Promise<{ album: Album; warnings: Problem[] }> {
  const r = await loadManifest(manifestPath);
  if (!r.album) throw new DdpkitError('rule', `${manifestPath}: the manifest has errors`, r.problems);
  return { album: r.album, warnings: r.problems };
}

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

class Normaliser {
  private readonly sources = new Map<string, Promise<Source | string>>();

  constructor(
    private readonly loc: Locator,
    private readonly dir: string,
    private readonly problems: Problem[],
  ) {}

  private error(pointer: string, message: string, code: Problem['code'] = 'rule'): void {
    this.problems.push(problemAt(this.loc, pointer, message, { code }));
  }

  private warn(pointer: string, message: string): void {
    this.problems.push(problemAt(this.loc, pointer, message, { severity: 'warning' }));
  }

  private positions(pointer: string, obj: Obj): KeyPositions {
    const out: KeyPositions = { '': this.loc.source.values.get(pointer) };
    for (const k of Object.keys(obj)) out[k] = this.loc.source.values.get(`${pointer}/${k}`);
    return out;
  }

  /** A time in samples, or undefined (absent, or an error was recorded). */
  private time(pointer: string, key: string, value: unknown): number | undefined {
    if (value === undefined) return undefined;
    const r = parseTime(value);
    if (r.ok) return r.samples;
    this.error(pointer, `${key} ${r.message}`, 'time');
    return undefined;
  }

  private frames(pointer: string, key: string, value: unknown): number | undefined {
    const s = this.time(pointer, key, value);
    return s === undefined ? undefined : samplesToNearestFrames(s);
  }

  private fade(pointer: string, key: string, value: unknown, defaultCurve: Curve): Fade | undefined {
    if (value === undefined) return undefined;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const o = value as Obj;
      const length = this.time(`${pointer}/length`, `${key}.length`, o.length);
      if (length === undefined) return undefined;
      const curve = typeof o.curve === 'string' && ['linear', 'equal-power', 's-curve'].includes(o.curve) ? (o.curve as Curve) : defaultCurve;
      return { length, curve };
    }
    if (typeof value === 'boolean' || Array.isArray(value) || value === null) return undefined; // the schema reported it
    const length = this.time(pointer, key, value);
    return length === undefined ? undefined : { length, curve: defaultCurve };
  }

  private text(pointer: string, obj: Obj): TextFields {
    const out: TextFields = {};
    for (const f of TEXT_FIELDS) {
      const v = obj[f];
      if (typeof v !== 'string') continue;
      if (this.checkCdText(`${pointer}/${f}`, f, v)) out[f] = v;
    }
    return out;
  }

  /** CD-Text must be ISO 8859-1 without control characters (manifest.md, fine print). */
  private checkCdText(pointer: string, key: string, v: string): boolean {
    for (const ch of v) {
      const cp = ch.codePointAt(0)!;
      if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
        const name = cp === 9 ? 'a TAB' : cp === 10 || cp === 13 ? 'a line break' : cp === 0 ? 'a NUL' : `control character U+${hex4(cp)}`;
        this.error(pointer, `${key} contains ${name}; CD-Text allows no control characters`, 'cdtext');
        return false;
      }
      if (cp > 0xff) {
        this.error(pointer, `${key} "${v}" contains "${ch}" (U+${hex4(cp)}), which CD-Text cannot encode: only ISO 8859-1 (Latin-1) characters are allowed`, 'cdtext');
        return false;
      }
    }
    return true;
  }

  private source(file: unknown): Promise<Source | string> | undefined {
    if (typeof file !== 'string' || file === '') return undefined;
    const full = path.resolve(this.dir, file);
    let p = this.sources.get(full);
    if (!p) {
      p = readWavHeader(full).then(
        (format): Source => ({ path: full, format }),
        (e: unknown) => (e instanceof DdpkitError ? e.message.replace(full, file) : `cannot read "${file}": ${String(e)}`),
      );
      this.sources.set(full, p);
    }
    return p;
  }

  /** Checks a source's format and converts start/end to a sample range. */
  private async range(pointer: string, obj: Obj): Promise<{ source: Source; start: number; end: number } | undefined> {
    const start = this.time(`${pointer}/start`, 'start', obj.start);
    const end = this.time(`${pointer}/end`, 'end', obj.end);
    const pending = this.source(obj.file);
    if (!pending) return undefined;
    const got = await pending;
    const file = obj.file as string;
    if (typeof got === 'string') {
      this.error(`${pointer}/file`, got, 'source');
      return undefined;
    }
    const f = got.format;
    if (f.sampleRate !== SAMPLE_RATE) {
      this.error(`${pointer}/file`, `"${file}" is ${f.sampleRate} Hz; CD audio must be 44100 Hz (resample it before mastering the disc)`, 'source');
      return undefined;
    }
    const s = start ?? 0;
    const e = end ?? f.frameCount;
    const fileLength = `${samplesText(f.frameCount)} long`;
    if (s > f.frameCount) {
      this.error(`${pointer}/start`, `start ${samplesText(s)} is past the end of "${file}" (${fileLength})`);
      return undefined;
    }
    if (e > f.frameCount) {
      this.error(`${pointer}/end`, `end ${samplesText(e)} is past the end of "${file}" (${fileLength})`);
      return undefined;
    }
    if (e <= s) {
      this.error(`${pointer}/${end === undefined ? 'start' : 'end'}`, `end ${samplesText(e)} must be after start ${samplesText(s)}: the range of "${file}" is empty`);
      return undefined;
    }
    return { source: got, start: s, end: e };
  }

  async album(root: Obj, tracksRaw: unknown[]): Promise<Album | undefined> {
    const a = isObj(root.album) ? root.album : {};
    const d = isObj(root.defaults) ? root.defaults : {};
    const text = this.text('/album', a);
    for (const k of ['disc_id', 'genre'] as const) if (typeof a[k] === 'string') this.checkCdText(`/album/${k}`, k, a[k]);
    let upc: string | undefined;
    if (typeof a.upc === 'string' && /^\d{12,13}$/.test(a.upc)) {
      upc = toEan13(a.upc);
      const expected = wrongCheckDigit(upc);
      if (expected !== undefined) this.error('/album/upc', `upc "${a.upc}" has check digit ${upc[12]}, but its digits give ${expected}`);
    }
    const language = typeof a.language === 'string' ? a.language : 'en';
    if (/^[a-z]{2}$/.test(language) && languageCode(language) === undefined) this.error('/album/language', `language "${language}" is not a CD-Text language code ddpkit knows (e.g. en, de, fr, es, it, nl, ja)`);
    const maxLength = this.frames('/album/max_length', 'max_length', a.max_length) ?? DEFAULT_MAX_LENGTH;
    const genre =
      typeof a.genre === 'string' || typeof a.genre_code === 'number'
        ? { code: typeof a.genre_code === 'number' ? a.genre_code : 1, text: typeof a.genre === 'string' ? a.genre : '' }
        : undefined;

    const defGap = this.time('/defaults/gap', 'gap', d.gap);
    const defPregap = this.frames('/defaults/pregap', 'pregap', d.pregap);
    const defPq = this.frames('/defaults/pq_offset', 'pq_offset', d.pq_offset);
    const defFlag = (k: string): boolean => d[k] === true;

    let hiddenTrack: HiddenTrack | undefined;
    if (isObj(a.hidden_track)) {
      const r = await this.range('/album/hidden_track', a.hidden_track);
      if (r) hiddenTrack = { ...r, fileAsWritten: a.hidden_track.file as string, positions: this.positions('/album/hidden_track', a.hidden_track) };
    }

    const tracks: (AlbumTrack | undefined)[] = await Promise.all(
      tracksRaw.map(async (raw, i) => {
        if (!isObj(raw)) return undefined;
        const p = `/tracks/${i}`;
        const gapSamples = this.time(`${p}/gap`, 'gap', raw.gap) ?? (i === 0 ? DEFAULT_GAP_SAMPLES : (defGap ?? DEFAULT_GAP_SAMPLES));
        const gap = samplesToNearestFrames(gapSamples);
        let pregap = raw.pregap !== undefined ? this.frames(`${p}/pregap`, 'pregap', raw.pregap) : i === 0 ? undefined : defPregap;
        if (i === 0 && raw.pregap !== undefined) {
          this.error(`${p}/pregap`, 'pregap is not allowed on track 1: its index 00 is always at the start of the disc (use gap to lengthen the disc pregap)');
          pregap = undefined;
        }
        let pqOffset = raw.pq_offset !== undefined ? (this.frames(`${p}/pq_offset`, 'pq_offset', raw.pq_offset) ?? 0) : i === 0 ? 0 : (defPq ?? 0);
        if (i === 0 && raw.pq_offset !== undefined && pqOffset > 0) {
          this.warn(`${p}/pq_offset`, 'pq_offset has no effect on track 1 (its index 01 follows the disc pregap)');
          pqOffset = 0;
        }
        if (pqOffset > gap) {
          if (gap > 0 || raw.pq_offset !== undefined) this.warn(`${p}/${raw.pq_offset !== undefined ? 'pq_offset' : 'gap'}`, `pq_offset ${framesToMsf(pqOffset)} is longer than the gap ${framesToMsf(gap)}; index 01 is placed at the start of the gap`);
          pqOffset = gap;
        }
        const crossfade = this.fade(`${p}/crossfade`, 'crossfade', raw.crossfade, 'equal-power');
        if (crossfade && i === 0) this.error(`${p}/crossfade`, 'crossfade is not allowed on track 1: there is no previous track to overlap');
        else if (crossfade && gap !== 0) this.error(`${p}/crossfade`, `crossfade needs gap 0, but the track's gap is ${framesToMsf(gap)}${raw.gap === undefined ? ' (from defaults.gap or the 2 s default)' : ''}; add "gap: 0"`);
        const fadeIn = this.fade(`${p}/fade_in`, 'fade_in', raw.fade_in, 'linear');
        const fadeOut = this.fade(`${p}/fade_out`, 'fade_out', raw.fade_out, 'linear');
        const indexes: number[] = [];
        if (Array.isArray(raw.indexes)) raw.indexes.forEach((v, k) => {
          const f = this.frames(`${p}/indexes/${k}`, `indexes[${k}]`, v);
          if (f !== undefined) indexes.push(f);
        });
        let isrc: string | undefined;
        if (typeof raw.isrc === 'string') {
          // The schema's pattern reports a malformed ISRC; dashes and lower case are presentation only.
          isrc = normaliseIsrc(raw.isrc);
          if (!ISRC_RE.test(isrc)) isrc = undefined;
        }
        const flag = (k: string): boolean => (typeof raw[k] === 'boolean' ? raw[k] : defFlag(k));
        const flags = { copyPermitted: flag('copy_permitted'), preEmphasis: flag('pre_emphasis'), scms: flag('scms') };
        if (flags.copyPermitted && flags.scms) this.error(`${p}/${raw.scms === true ? 'scms' : 'copy_permitted'}`, 'copy_permitted and scms exclude each other: a track is either free to copy or under SCMS');
        const text = this.text(p, raw);
        const r = await this.range(p, raw);
        if (!r) return undefined;
        const track: AlbumTrack = {
          number: i + 1,
          ...r,
          fileAsWritten: raw.file as string,
          text,
          isrc,
          gap,
          pregap,
          pqOffset,
          crossfade,
          fadeIn,
          fadeOut,
          indexes,
          flags,
          positions: this.positions(p, raw),
        };
        return track;
      }),
    );
    if (tracksRaw.length > MAX_TRACKS) this.error('/tracks', `a CD holds at most ${MAX_TRACKS} tracks; this manifest lists ${tracksRaw.length}`);
    // No ISRC twice: each recording on the disc has its own code.
    const firstUse = new Map<string, number>();
    tracks.forEach((t, i) => {
      if (!t?.isrc) return;
      const prev = firstUse.get(t.isrc);
      if (prev === undefined) firstUse.set(t.isrc, i);
      else this.error(`/tracks/${i}/isrc`, `isrc ${t.isrc} is already used by track ${prev + 1}; every track needs its own ISRC`);
    });
    if (tracks.some((t) => t === undefined)) return undefined;
    return {
      file: this.loc.file,
      dir: this.dir,
      text,
      discId: typeof a.disc_id === 'string' ? a.disc_id : undefined,
      genre,
      upc,
      language,
      masterId: typeof a.master_id === 'string' && a.master_id !== '' ? a.master_id : undefined,
      maxLength,
      hiddenTrack,
      tracks: tracks as AlbumTrack[],
      positions: this.positions('/album', a),
    };
  }
}

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function hex4(cp: number): string {
  return cp.toString(16).toUpperCase().padStart(4, '0');
}

/** Samples as M:SS.sss, for messages about source ranges. */
function samplesText(samples: number): string {
  const seconds = samples / SAMPLE_RATE;
  const m = Math.floor(seconds / 60);
  const s = seconds - m * 60;
  return `${m}:${s.toFixed(3).padStart(6, '0')}`;
}

/** Orders problems as they appear in the file (stable for problems at the same place). */
export function sortByPosition(problems: Problem[]): void {
  const at = (p: Problem): number => (p.position ? p.position.line * 100000 + p.position.column : Number.MAX_SAFE_INTEGER);
  problems.sort((a, b) => at(a) - at(b));
}
