// Cue sheet (CDRWIN) parser: text → CueSheet, with every problem tied to its line (formats.md, "CUE sheet").
//
// One named pattern per statement, as whipper's image/toc.py does. Commands are matched in any case;
// a text or file name may be quoted, or bare when it is one word. Index times stay what the sheet says:
// CD frames from the start of the FILE they follow. What the times mean for a disc (the 2-second pregap
// a burner adds, files played one after the other) is import.ts's business; the parser only checks the
// sheet itself: statement syntax, order (FILE before TRACK, FLAGS/ISRC/INDEX inside a track), track
// numbers counting up by one, index numbers 00/01, 02, … in order, and times never going backwards
// inside a FILE. Errors make the sheet unusable; warnings are oddities that have an obvious reading.

import type { Problem } from '../errors.js';
import { ISRC_RE, normaliseIsrc } from '../disc/codes.js';
import { FRAMES_PER_SECOND, framesToMsf as msf, msfToFrames, pad2 } from '../time.js';

/** FILE types of a cue sheet: BINARY raw little-endian, MOTOROLA raw big-endian, WAVE, MP3, AIFF. */
export type CueFileType = 'BINARY' | 'MOTOROLA' | 'WAVE' | 'MP3' | 'AIFF';

/** A FILE statement: the name as written and the line it is on. */
export interface CueFile {
  name: string;
  type: CueFileType;
  line: number;
}

/** The CD-Text commands a cue sheet has. */
export interface CueText {
  title?: string | undefined;
  performer?: string | undefined;
  songwriter?: string | undefined;
}

/** An INDEX point: its number, the FILE it is in (position in `files`), and frames from that file's start. */
export interface CueIndex {
  number: number;
  file: number;
  frame: number;
  line: number;
}

/** FLAGS of a track: DCP (digital copy permitted), PRE (pre-emphasis), SCMS, 4CH. */
export interface CueFlags {
  dcp: boolean;
  pre: boolean;
  scms: boolean;
  fourChannel: boolean;
}

/** One TRACK with what follows it up to the next TRACK. */
export interface CueTrack {
  number: number;
  /** `AUDIO`, or a data mode such as `MODE1/2352`. */
  mode: string;
  text: CueText;
  /** Upper case, dashes removed, as written otherwise (a malformed ISRC is kept and warned about). */
  isrc?: string | undefined;
  flags: CueFlags;
  /** PREGAP/POSTGAP: silence the burner makes, in frames. */
  pregap?: number | undefined;
  postgap?: number | undefined;
  indexes: CueIndex[];
  /** Line of each command of the track, by command name (`TRACK`, `ISRC`, `PREGAP`, …). */
  lines: Record<string, number>;
}

/** A parsed cue sheet. */
export interface CueSheet {
  catalog?: string | undefined;
  cdTextFile?: string | undefined;
  /** Disc CD-Text (TITLE/PERFORMER/SONGWRITER before the first TRACK). */
  text: CueText;
  files: CueFile[];
  tracks: CueTrack[];
  /** Line of each command before the first TRACK, by command name. */
  lines: Record<string, number>;
}

// ---- Statements (one pattern each). `Q` below is a value: "quoted text" or one bare word. ----

/** `REM anything`: a remark (also EAC's `REM GENRE`, `REM DATE`, …); ignored. */
const REM_RE = /^REM(?:\s|$)/i;
/** `CATALOG 5012345678900`: the media catalog number (UPC/EAN), 13 digits, before the first TRACK. */
const CATALOG_RE = /^CATALOG\s+(?<code>\S+)$/i;
/** `CDTEXTFILE "album.cdt"`: a binary CD-Text file for the burner. */
const CDTEXTFILE_RE = /^CDTEXTFILE\s+(?:"(?<quoted>[^"]*)"|(?<word>[^\s"]+))$/i;
/** `FILE "album.wav" WAVE`: the audio that the following INDEX times count in; the type is the last word. */
const FILE_RE = /^FILE\s+(?:"(?<quoted>[^"]*)"|(?<word>[^\s"]+))\s+(?<type>[^\s"]+)$/i;
/** `TRACK 01 AUDIO`: a new track, numbered 01–99, with its mode. */
const TRACK_RE = /^TRACK\s+(?<number>\d{1,2})\s+(?<mode>\S+)$/i;
/** `TITLE "Dawn"`, `PERFORMER …`, `SONGWRITER …`: CD-Text of the disc (before the first TRACK) or of a track. */
const TEXT_RE = /^(?<field>TITLE|PERFORMER|SONGWRITER)\s+(?:"(?<quoted>[^"]*)"|(?<word>[^\s"]+))$/i;
/** The same with several unquoted words (`TITLE Dawn Chorus`): read as the rest of the line, with a warning. */
const TEXT_UNQUOTED_RE = /^(?<field>TITLE|PERFORMER|SONGWRITER)\s+(?<rest>[^"]+)$/i;
/** `ISRC GBAYE2600001`: the track's ISRC. */
const ISRC_LINE_RE = /^ISRC\s+(?<code>\S+)$/i;
/** `FLAGS DCP PRE`: the track's control flags (DCP, 4CH, PRE, SCMS), before its INDEX lines. */
const FLAGS_RE = /^FLAGS(?<words>(?:\s+\S+)*)$/i;
/** `INDEX 01 04:10:37`: index number 00–99 and MM:SS:FF from the start of the current FILE. */
const INDEX_RE = /^INDEX\s+(?<number>\d{1,2})\s+(?<mm>\d{1,3}):(?<ss>\d{1,2}):(?<ff>\d{1,2})$/i;
/** `PREGAP 00:02:00` / `POSTGAP 00:02:00`: silence the burner adds before / after the track's data. */
const GAP_RE = /^(?<which>PREGAP|POSTGAP)\s+(?<mm>\d{1,3}):(?<ss>\d{1,2}):(?<ff>\d{1,2})$/i;
/** The first word of a line: the command. */
const COMMAND_RE = /^(?<command>\S+)/;

const FILE_TYPES: readonly CueFileType[] = ['BINARY', 'MOTOROLA', 'WAVE', 'MP3', 'AIFF'];
const TRACK_MODES = ['AUDIO', 'CDG', 'MODE1/2048', 'MODE1/2352', 'MODE2/2336', 'MODE2/2352', 'CDI/2336', 'CDI/2352'];
const FLAG_WORDS = ['DCP', '4CH', 'PRE', 'SCMS'];

/** Parses a cue sheet; `fileName` is used in problems (`album.cue:12:5: …`). Never throws. */
export function parseCue(text: string, fileName: string): { sheet: CueSheet; problems: Problem[] } {
  return new Parser(fileName).parse(text);
}

class Parser {
  private readonly problems: Problem[] = [];
  private readonly sheet: CueSheet = { text: {}, files: [], tracks: [], lines: {} };
  private track: CueTrack | undefined;
  /** The last INDEX seen in the current FILE, to catch times going backwards. */
  private lastIndexInFile: CueIndex | undefined;
  private line = 0;
  private column = 1;

  constructor(private readonly fileName: string) {}

  parse(text: string): { sheet: CueSheet; problems: Problem[] } {
    const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
    let lastLine = 1;
    lines.forEach((raw, i) => {
      this.line = i + 1;
      const trimmed = raw.trim();
      this.column = raw.length - raw.trimStart().length + 1;
      if (trimmed === '') return;
      lastLine = this.line;
      this.statement(trimmed);
    });
    this.finishTrack();
    if (this.sheet.tracks.length === 0) {
      this.line = lastLine;
      this.column = 1;
      this.error('the cue sheet has no TRACK');
    }
    return { sheet: this.sheet, problems: this.problems };
  }

  /** Each command's patterns, tried in order, and what a match does. */
  private readonly statements: Record<string, [RegExp, (m: Groups) => void][]> = {
    REM: [[REM_RE, () => undefined]],
    CATALOG: [[CATALOG_RE, (g) => { this.catalog(g.code!); }]],
    CDTEXTFILE: [[CDTEXTFILE_RE, (g) => { this.cdTextFile(value(g)); }]],
    FILE: [[FILE_RE, (g) => { this.file(value(g), g.type!); }]],
    TRACK: [[TRACK_RE, (g) => { this.trackStart(Number(g.number), g.mode!); }]],
    ...Object.fromEntries(
      ['TITLE', 'PERFORMER', 'SONGWRITER'].map((command) => [
        command,
        [
          [TEXT_RE, (g: Groups) => { this.text(command, value(g)); }],
          [TEXT_UNQUOTED_RE, (g: Groups) => {
            const text = g.rest!.trim();
            this.warning(`${command} text with blanks should be in quotes; read as "${text}"`);
            this.text(command, text);
          }],
        ],
      ]),
    ),
    ISRC: [[ISRC_LINE_RE, (g) => { this.isrc(g.code!); }]],
    FLAGS: [[FLAGS_RE, (g) => { this.flags(g.words!.trim()); }]],
    INDEX: [[INDEX_RE, (g) => { this.index(Number(g.number), this.msf(g)); }]],
    PREGAP: [[GAP_RE, (g) => { this.gap('PREGAP', this.msf(g)); }]],
    POSTGAP: [[GAP_RE, (g) => { this.gap('POSTGAP', this.msf(g)); }]],
  };

  private statement(s: string): void {
    const command = COMMAND_RE.exec(s)!.groups!.command!.toUpperCase();
    const patterns = this.statements[command];
    if (!patterns) {
      this.warning(`unknown command ${command}; ignored`);
      return;
    }
    for (const [re, handle] of patterns) {
      const m = re.exec(s);
      if (m) {
        handle(m.groups!);
        return;
      }
    }
    this.error(`malformed ${command} line: expected ${SYNTAX[command] ?? command}`);
  }

  private catalog(code: string): void {
    if (!this.global('CATALOG')) return;
    if (!/^\d{13}$/.test(code)) this.error(`CATALOG must be 13 digits, not "${code}"`);
    this.sheet.catalog = code;
  }

  private cdTextFile(name: string): void {
    if (!this.global('CDTEXTFILE')) return;
    this.sheet.cdTextFile = name;
  }

  private file(name: string, typeWord: string): void {
    const type = typeWord.toUpperCase();
    if (!(FILE_TYPES as readonly string[]).includes(type)) {
      this.error(`FILE type ${typeWord} is not one of ${FILE_TYPES.join(', ')}`);
      return;
    }
    if (name === '') this.error('FILE has an empty name');
    this.sheet.files.push({ name, type: type as CueFileType, line: this.line });
    this.lastIndexInFile = undefined;
  }

  private trackStart(number: number, modeWord: string): void {
    this.finishTrack();
    const mode = modeWord.toUpperCase();
    if (this.sheet.files.length === 0) this.error('TRACK before any FILE: a track needs a FILE to take its audio from');
    if (!TRACK_MODES.includes(mode)) this.error(`TRACK mode ${modeWord} is not one of ${TRACK_MODES.join(', ')}`);
    const previous = this.sheet.tracks.at(-1);
    if (number < 1) this.error('TRACK numbers run from 01 to 99');
    else if (previous && number !== previous.number + 1) this.error(`TRACK ${pad2(number)} follows TRACK ${pad2(previous.number)}: track numbers must count up by one`);
    else if (!previous && number !== 1) this.warning(`the first track is numbered ${pad2(number)}; ddpkit numbers tracks from 01`);
    this.track = {
      number,
      mode,
      text: {},
      flags: { dcp: false, pre: false, scms: false, fourChannel: false },
      indexes: [],
      lines: { TRACK: this.line },
    };
    this.sheet.tracks.push(this.track);
  }

  private finishTrack(): void {
    const t = this.track;
    if (t && !t.indexes.some((i) => i.number === 1)) {
      this.problems.push(this.problem('error', `TRACK ${pad2(t.number)} has no INDEX 01`, t.lines.TRACK!, 1));
    }
  }

  private text(command: string, text: string): void {
    const field = command.toLowerCase() as keyof CueText;
    const target = this.track ? this.track.text : this.sheet.text;
    const lines = this.track ? this.track.lines : this.sheet.lines;
    if (target[field] !== undefined) this.warning(`${command} is given twice ${this.track ? 'for this track' : 'for the disc'}; the last one counts`);
    target[field] = text;
    lines[command] = this.line;
  }

  private isrc(code: string): void {
    const t = this.inTrack('ISRC');
    if (!t) return;
    if (t.isrc !== undefined) this.warning('ISRC is given twice for this track; the last one counts');
    const isrc = normaliseIsrc(code);
    if (!ISRC_RE.test(isrc)) this.warning(`ISRC "${code}" is not 12 characters CCXXXYYNNNNN (2 letters, 3 letters or digits, 7 digits)`);
    t.isrc = isrc;
    t.lines.ISRC = this.line;
  }

  private flags(words: string): void {
    const t = this.inTrack('FLAGS');
    if (!t) return;
    if (t.indexes.length > 0) this.warning('FLAGS should come before the track\'s INDEX lines');
    for (const word of words === '' ? [] : words.split(/\s+/)) {
      const flag = word.toUpperCase();
      if (!FLAG_WORDS.includes(flag)) {
        this.error(`unknown flag ${word}: FLAGS takes ${FLAG_WORDS.join(', ')}`);
        continue;
      }
      if (flag === 'DCP') t.flags.dcp = true;
      else if (flag === 'PRE') t.flags.pre = true;
      else if (flag === 'SCMS') t.flags.scms = true;
      else t.flags.fourChannel = true;
    }
    if (t.flags.dcp && t.flags.scms) this.warning('DCP and SCMS exclude each other (copy permitted, or serial copy management)');
    t.lines.FLAGS = this.line;
  }

  private index(number: number, frame: number | undefined): void {
    const t = this.inTrack('INDEX');
    if (!t || frame === undefined) return;
    const last = t.indexes.at(-1);
    if (!last && number > 1) {
      this.error(`INDEX ${pad2(number)} comes first in TRACK ${pad2(t.number)}; a track starts with INDEX 00 or INDEX 01`);
      return;
    }
    if (last && number !== last.number + 1) {
      this.error(`INDEX ${pad2(number)} follows INDEX ${pad2(last.number)}: index numbers must count up by one`);
      return;
    }
    const prev = this.lastIndexInFile;
    if (prev && frame <= prev.frame) {
      const what = frame === prev.frame ? 'is at the same time as' : 'goes backwards from';
      this.error(`INDEX ${pad2(number)} at ${msf(frame)} ${what} the INDEX at ${msf(prev.frame)} on line ${prev.line}; times in a FILE must increase`);
      return;
    }
    const index: CueIndex = { number, file: this.sheet.files.length - 1, frame, line: this.line };
    t.indexes.push(index);
    this.lastIndexInFile = index;
  }

  private gap(command: string, frames: number | undefined): void {
    const t = this.inTrack(command);
    if (!t || frames === undefined) return;
    if (command === 'PREGAP') {
      if (t.indexes.length > 0) this.warning('PREGAP should come before the track\'s INDEX lines; it is still read as silence before them');
      if (t.pregap !== undefined) this.warning('PREGAP is given twice for this track; the last one counts');
      t.pregap = frames;
    } else {
      if (!t.indexes.some((i) => i.number === 1)) this.warning('POSTGAP should come after the track\'s INDEX lines; it is still read as silence after the track');
      if (t.postgap !== undefined) this.warning('POSTGAP is given twice for this track; the last one counts');
      t.postgap = frames;
    }
    t.lines[command] = this.line;
  }

  /** MM:SS:FF of an INDEX/PREGAP/POSTGAP match in frames, or undefined (with an error) when out of range. */
  private msf(g: Groups): number | undefined {
    const ss = Number(g.ss);
    const ff = Number(g.ff);
    if (ss >= 60 || ff >= FRAMES_PER_SECOND) {
      this.error(`time ${g.mm!}:${g.ss!}:${g.ff!} needs seconds 00-59 and frames 00-74`);
      return undefined;
    }
    return msfToFrames(Number(g.mm), ss, ff);
  }

  /** True when a disc-wide command is before the first TRACK (and records its line). */
  private global(command: string): boolean {
    if (this.track) {
      this.error(`${command} belongs before the first TRACK`);
      return false;
    }
    if (this.sheet.lines[command] !== undefined) this.warning(`${command} is given twice; the last one counts`);
    this.sheet.lines[command] = this.line;
    return true;
  }

  /** The current track, or undefined (with an error) for a track command outside a track. */
  private inTrack(command: string): CueTrack | undefined {
    if (!this.track) this.error(`${command} outside a track: it belongs after a TRACK line`);
    return this.track;
  }

  private error(message: string): void {
    this.problems.push(this.problem('error', message, this.line, this.column));
  }

  private warning(message: string): void {
    this.problems.push(this.problem('warning', message, this.line, this.column));
  }

  private problem(severity: Problem['severity'], message: string, line: number, column: number): Problem {
    return { severity, code: 'cue', message, file: this.fileName, position: { line, column } };
  }
}

/** What each statement should look like, for "malformed" errors. */
const SYNTAX: Record<string, string> = {
  REM: 'REM <anything>',
  CATALOG: 'CATALOG <13 digits>',
  CDTEXTFILE: 'CDTEXTFILE "<file>"',
  FILE: 'FILE "<name>" <type>',
  TRACK: 'TRACK <01-99> <mode>',
  TITLE: 'TITLE "<text>"',
  PERFORMER: 'PERFORMER "<text>"',
  SONGWRITER: 'SONGWRITER "<text>"',
  ISRC: 'ISRC <12 characters>',
  FLAGS: 'FLAGS [DCP] [4CH] [PRE] [SCMS]',
  INDEX: 'INDEX <00-99> <MM:SS:FF>',
  PREGAP: 'PREGAP <MM:SS:FF>',
  POSTGAP: 'POSTGAP <MM:SS:FF>',
};

/** The named groups of a statement match. */
type Groups = Record<string, string | undefined>;

/** The value of a `"quoted"|word` match. */
function value(g: Groups): string {
  return g.quoted ?? g.word ?? '';
}

