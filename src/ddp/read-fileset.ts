// Reads a DDP fileset folder (ours or another tool's) back into a Disc, without reading the image.
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeCdText } from '../cdtext/decode.js';
import type { CdText, Disc } from '../disc/model.js';
import { DdpkitError, fail, formatFinding, type Finding, type Problem } from '../errors.js';
import { readAt } from '../file-io.js';
import { BYTES_PER_FRAME, MAX_FRAMES, framesToMsf, pad2 } from '../time.js';
import { readDdpid, type Ddpid } from './ddpid.js';
import { readDdpms, type DdpmsPacket } from './ddpms.js';
import { DDPID_LENGTH, DDPMS_PACKET_LENGTH } from './fields.js';
import { checkPqAgainstImage, readPqdescr } from './pqdescr.js';

/** A file of the fileset as found on disk. */
export interface FileRef {
  /** Name as on disk (any case). */
  name: string;
  path: string;
  size: number;
}

/** A stream inside a file: where it starts (OFS) and how long DDPMS says it is. */
export interface StreamFile extends FileRef {
  /** Byte offset of the stream in the file. */
  offset: number;
  /** Stream length in bytes as read (DSL, or what the file holds when DSL is blank or too long). */
  length: number;
}

/** The audio image: a stream of whole frames. */
export interface ImageFile extends FileRef {
  offset: number;
  /** Frames DDPMS gives (DSL). */
  frames: number;
}

/** Where the fileset's parts are on disk, and every other file in the folder. */
export interface FilesetFiles {
  ddpid: FileRef | undefined;
  ddpms: FileRef;
  image: ImageFile | undefined;
  pq: StreamFile | undefined;
  cdtext: StreamFile | undefined;
  /** Regular files in the folder that are none of the above (checksum files among them). */
  others: FileRef[];
}

/** A fileset as read: the disc it describes (undefined when it cannot be built), its files and findings. */
export interface FilesetRead {
  disc: Disc | undefined;
  files: FilesetFiles;
  findings: Finding[];
  /** The DDPID as read, if there is one. */
  ddpid?: Ddpid | undefined;
}

/** Largest DDPID read; it should have 128 bytes. */
const MAX_DDPID_BYTES = 4096;
/** Largest DDPMS read: far more packets than any audio CD needs. */
const MAX_DDPMS_BYTES = 1024 * DDPMS_PACKET_LENGTH;
/** Largest PQ stream: 99 tracks × 100 indexes plus lead-in and lead-outs, 64 bytes each, rounded up. */
const MAX_PQ_BYTES = 1024 * 1024;
/** Largest CD-Text stream: 8 blocks × 256 packs × 18 bytes, plus one trailing zero. Ref: formats.md, CDTEXT.BIN. */
const MAX_CDTEXT_BYTES = 8 * 256 * 18 + 1;

/** Reads the DDP fileset in `dir`; throws DdpkitError('ddp') only when `dir` is not a fileset at all. */
export async function readFileset(dir: string): Promise<FilesetRead> {
  const findings: Finding[] = [];
  const entries = await listFiles(dir);
  const byName = (wanted: string): FileRef | undefined => findFile(entries, wanted, findings);

  const ddpmsRef = byName('DDPMS');
  const ddpidRef = byName('DDPID');
  if (!ddpmsRef) {
    fail('ddp', `${dir} is not a DDP fileset: it has no DDPMS file${ddpidRef ? '' : ' and no DDPID file'}`);
  }
  const files: FilesetFiles = { ddpid: ddpidRef, ddpms: ddpmsRef, image: undefined, pq: undefined, cdtext: undefined, others: [] };
  const result: FilesetRead = { disc: undefined, files, findings };
  const finish = (): FilesetRead => {
    const used = new Set([files.ddpid, files.ddpms, files.image, files.pq, files.cdtext].map((f) => f?.name));
    files.others = entries.filter((e) => !used.has(e.name));
    return result;
  };

  // DDPID
  let ddpid: Ddpid | undefined;
  if (!ddpidRef) {
    findings.push({ severity: 'error', code: 'ddpid-missing', message: 'the fileset has no DDPID file' });
  } else {
    let data: Buffer;
    if (ddpidRef.size > MAX_DDPID_BYTES) {
      findings.push({
        severity: 'error',
        code: 'ddpid-size',
        file: ddpidRef.name,
        message: `DDPID has ${ddpidRef.size} bytes; it must have ${DDPID_LENGTH} (only those are read)`,
      });
      data = await readRange(ddpidRef.path, 0, DDPID_LENGTH);
    } else data = await readRange(ddpidRef.path, 0, ddpidRef.size);
    const read = readDdpid(data, ddpidRef.name);
    findings.push(...read.findings);
    ddpid = read.ddpid;
    result.ddpid = ddpid;
  }

  // DDPMS
  if (ddpmsRef.size > MAX_DDPMS_BYTES) {
    findings.push({
      severity: 'error',
      code: 'ddpms-size',
      file: ddpmsRef.name,
      message: `DDPMS has ${ddpmsRef.size} bytes, more than any audio CD's map (${MAX_DDPMS_BYTES}); not read`,
    });
    return finish();
  }
  const ms = readDdpms(await readRange(ddpmsRef.path, 0, ddpmsRef.size), ddpmsRef.name);
  findings.push(...ms.findings);
  const msNote = (severity: Finding['severity'], code: string, message: string, p?: DdpmsPacket): void => {
    findings.push({ severity, code, file: ddpmsRef.name, packet: p?.packet, offset: p?.offset, message });
  };

  // The one D0 DA stream: the image.
  const images = ms.packets.filter((p) => p.role === 'image' && p.cdm === 'DA');
  if (images.length !== 1) {
    msNote('error', 'ddpms-image', images.length === 0 ? 'DDPMS names no D0 DA (audio image) stream' : `DDPMS names ${images.length} D0 DA streams; a CD has one`, images[1]);
  }
  const imagePacket = images.length === 1 ? images[0] : undefined;
  let imageFrames: number | undefined;
  if (imagePacket) {
    const ref = streamFile(entries, imagePacket, findings);
    imageFrames = imagePacket.dsl;
    if (imageFrames !== undefined && imageFrames > MAX_FRAMES) {
      msNote('error', 'ddpms-dsl', `D0 stream is ${imageFrames} frames long, more than a CD can hold (${MAX_FRAMES})`, imagePacket);
      imageFrames = undefined;
    }
    if (ref) {
      const available = Math.max(0, ref.size - imagePacket.ofs);
      if (imageFrames === undefined) imageFrames = Math.min(MAX_FRAMES, Math.floor(available / BYTES_PER_FRAME));
      files.image = { ...ref, offset: imagePacket.ofs, frames: imageFrames };
      checkImageSize(files.image, available, findings);
    }
  }

  // PQ stream
  const pqs = ms.packets.filter((p) => p.role === 'pq');
  if (pqs.length === 0) msNote('error', 'ddpms-pq', 'DDPMS names no PQ DESCR stream');
  if (pqs.length > 1) msNote('error', 'ddpms-pq', `DDPMS names ${pqs.length} PQ DESCR streams; the first is read`, pqs[1]);
  const pqPacket = pqs[0];
  let pqRead: ReturnType<typeof readPqdescr> | undefined;
  if (pqPacket) {
    const stream = await readStream(entries, pqPacket, MAX_PQ_BYTES, 'PQ', findings);
    if (stream) {
      files.pq = stream.ref;
      pqRead = readPqdescr(stream.data, stream.ref.name);
      findings.push(...pqRead.findings);
      if (imageFrames !== undefined) findings.push(...checkPqAgainstImage(pqRead.layout, imageFrames, stream.ref.name));
    }
  }

  // CD-Text stream
  const texts = ms.packets.filter((p) => p.role === 'cdtext');
  if (texts.length > 1) msNote('warning', 'ddpms-cdtext', `DDPMS names ${texts.length} CD-Text streams; the first is read`, texts[1]);
  let cdText: CdText | undefined;
  const textPacket = texts[0];
  if (textPacket) {
    const stream = await readStream(entries, textPacket, MAX_CDTEXT_BYTES, 'CD-Text', findings);
    if (stream) {
      files.cdtext = stream.ref;
      const decoded = decodeCdTextStream(stream.data, stream.ref.name);
      findings.push(...decoded.findings);
      cdText = decoded.cdText;
    }
  }

  if (!pqRead || !imagePacket) return finish();
  const layout = pqRead.layout;
  const first = layout.tracks[0];
  const pqName = files.pq?.name;
  if (first && imagePacket.pre2 !== undefined) {
    const start = first.indexes.find((i) => i.number === 1)!.frame;
    if (start !== imagePacket.pre2) {
      msNote('warning', 'ddpms-pre2', `PRE2 says track 1 index 01 is at frame ${imagePacket.pre2}, ${pqName ?? 'PQ'} says ${start} (${framesToMsf(start)})`, imagePacket);
    }
  }
  if (layout.upc !== undefined && ddpid?.upc !== undefined && layout.upc !== ddpid.upc) {
    findings.push({
      severity: 'error',
      code: 'upc-conflict',
      file: pqName,
      message: `the PQ lead-in says UPC/EAN ${layout.upc}, DDPID says ${ddpid.upc}`,
    });
  }
  const leadOut = layout.leadOut ?? imageFrames;
  if (layout.tracks.length === 0 || leadOut === undefined) return finish();
  result.disc = {
    tracks: layout.tracks,
    leadOut,
    upc: layout.upc ?? ddpid?.upc,
    masterId: ddpid?.masterId,
    cdText,
    spans: [],
  };
  return finish();
}

/** Keeps the CD-Text decoder behind one call, so that this reader depends on its result shape only. */
function decodeCdTextStream(data: Buffer, fileName: string): { cdText: CdText | undefined; findings: Finding[] } {
  const { cdText, findings } = decodeCdText(data, fileName);
  return { cdText, findings };
}

/** The regular files in `dir` with their sizes; throws DdpkitError when `dir` is not a readable folder. */
async function listFiles(dir: string): Promise<FileRef[]> {
  let names: string[];
  try {
    const s = await stat(dir);
    names = s.isDirectory() ? (await readdir(dir)).sort() : [];
    if (!s.isDirectory()) fail('ddp', `${dir} is not a folder: a DDP fileset is a folder of files`);
  } catch (e) {
    throw ioError(e, dir, 'cannot read the folder');
  }
  const out: FileRef[] = [];
  for (const name of names) {
    const path = join(dir, name);
    try {
      const s = await stat(path);
      if (s.isFile()) out.push({ name, path, size: s.size });
    } catch {
      // A dangling link or a file removed while listing: not part of the fileset.
    }
  }
  return out;
}

/** The file named `wanted` in any case; an exact-case match wins when several differ only in case. */
function findFile(entries: FileRef[], wanted: string, findings: Finding[]): FileRef | undefined {
  const matches = entries.filter((e) => e.name.toUpperCase() === wanted.toUpperCase());
  if (matches.length > 1) {
    const chosen = matches.find((e) => e.name === wanted) ?? matches[0]!;
    findings.push({
      severity: 'warning',
      code: 'fileset-ambiguous',
      file: chosen.name,
      message: `${matches.map((m) => m.name).join(', ')} differ only in case; ${chosen.name} is read`,
    });
    return chosen;
  }
  return matches[0];
}

/** The file a DDPMS packet names, with a finding when it is not there. */
function streamFile(entries: FileRef[], p: DdpmsPacket, findings: Finding[]): FileRef | undefined {
  if (p.dsi === '') return undefined;
  const ref = findFile(entries, p.dsi, findings);
  if (!ref) {
    findings.push({
      severity: 'error',
      code: 'fileset-missing',
      file: p.dsi,
      message: `${p.dsi} (the ${p.dst} stream DDPMS names in packet ${p.packet}) is missing`,
    });
  }
  return ref;
}

/** IMAGE.DAT must hold exactly DSL frames after its OFS (more is allowed only when the file is shared). */
function checkImageSize(image: ImageFile, available: number, findings: Finding[]): void {
  const expected = image.frames * BYTES_PER_FRAME;
  if (available === expected) return;
  const shared = image.offset > 0 && available > expected;
  findings.push({
    severity: shared ? 'warning' : 'error',
    code: 'image-size',
    file: image.name,
    message:
      available < expected
        ? `${image.name} holds ${available} bytes of audio but DDPMS says ${image.frames} frames (${expected} bytes): truncated`
        : `${image.name} holds ${available} bytes of audio but DDPMS says ${image.frames} frames (${expected} bytes)` +
          (available % BYTES_PER_FRAME === 0 ? '' : '; not a whole number of frames'),
  });
}

/** Reads an S0 stream's bytes, bounded by `cap`, checking its size against DSL. */
async function readStream(
  entries: FileRef[],
  p: DdpmsPacket,
  cap: number,
  what: string,
  findings: Finding[],
): Promise<{ ref: StreamFile; data: Buffer } | undefined> {
  const file = streamFile(entries, p, findings);
  if (!file) return undefined;
  const note = (severity: Finding['severity'], message: string): void => {
    findings.push({ severity, code: 'stream-size', file: file.name, message });
  };
  const available = Math.max(0, file.size - p.ofs);
  let length = available;
  if (p.ofs > file.size) note('error', `OFS ${p.ofs} is past the end of ${file.name} (${file.size} bytes)`);
  if (p.dsl !== undefined) {
    const trailingZeroAllowed = what === 'CD-Text' && available === p.dsl + 1;
    if (p.dsl > available) {
      note('error', `${file.name} holds ${available} bytes of the ${what} stream, DDPMS says ${p.dsl}: truncated`);
    } else if (p.dsl < available && !trailingZeroAllowed) {
      note(p.ofs > 0 ? 'warning' : 'error', `${file.name} holds ${available} bytes of the ${what} stream, DDPMS says ${p.dsl}`);
      length = p.dsl;
    }
  }
  if (length > cap) {
    note('error', `the ${what} stream ${file.name} has ${length} bytes, more than ${cap}; not read`);
    return undefined;
  }
  const data = await readRange(file.path, p.ofs, length);
  return { ref: { ...file, offset: p.ofs, length: data.length }, data };
}

/** Reads `length` bytes (already bounded by the caller) from `offset`; fewer if the file is shorter. */
async function readRange(path: string, offset: number, length: number): Promise<Buffer> {
  try {
    const fh = await open(path, 'r');
    try {
      return await readAt(fh, offset, length);
    } finally {
      await fh.close();
    }
  } catch (e) {
    throw ioError(e, path, 'cannot read');
  }
}

/** A file-system error as a DdpkitError('ddp') naming the path; DdpkitErrors pass through. */
function ioError(e: unknown, path: string, what: string): unknown {
  if (e instanceof DdpkitError) return e;
  const code = e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : String(e);
  return new DdpkitError('ddp', `${path}: ${what} (${code})`, [
    { severity: 'error', code: 'ddp', message: `${what} (${code})`, file: path },
  ]);
}

/**
 * The disc and image of a fileset when they can be used (a readable track layout, indexes in order, an
 * image holding every frame up to the lead-out); otherwise a DdpkitError saying why, with the error
 * findings. Other findings (a bad ISRC, a checksum) do not stop extract, cue, toc or report.
 */
export function usableDisc(read: FilesetRead, dir: string, purpose: string): { disc: Disc; image: ImageFile } {
  const { disc, files } = read;
  const image = files.image;
  let reason: string | undefined;
  if (!image) reason = 'the fileset has no audio image';
  else if (!disc) reason = 'its track layout (PQ description) could not be read';
  else {
    const available = Math.floor(Math.max(0, image.size - image.offset) / BYTES_PER_FRAME);
    let last = -1;
    for (const t of disc.tracks) {
      for (const i of t.indexes) {
        if (i.frame <= last) reason ??= `track ${t.number} index ${pad2(i.number)} at ${framesToMsf(i.frame)} is not after the index before it`;
        last = Math.max(last, i.frame);
      }
    }
    if (disc.tracks.length === 0) reason ??= 'the disc has no tracks';
    if (last >= disc.leadOut) reason ??= `the lead-out at ${framesToMsf(disc.leadOut)} is not after the last index`;
    if (disc.leadOut > available) {
      reason ??= `${image.name} holds ${available} frames of audio but the disc needs ${disc.leadOut} (lead-out ${framesToMsf(disc.leadOut)})`;
    }
  }
  if (reason === undefined) return { disc: disc!, image: image! };
  const errors = read.findings.filter((f) => f.severity === 'error');
  const message = `${dir}: cannot ${purpose}: ${reason}`;
  const details = errors.map((f) => f.message);
  const problems: Problem[] = [
    { severity: 'error', code: 'ddp', file: dir, message: `cannot ${purpose}: ${reason}` },
    ...errors.map((f): Problem => ({ severity: 'error', code: 'ddp', file: dir, message: formatFinding(f) })),
  ];
  throw new DdpkitError('ddp', details.length > 0 ? `${message}: ${details.join('; ')}` : message, problems);
}
