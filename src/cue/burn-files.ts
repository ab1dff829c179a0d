// Cue sheet, cdrdao TOC and .cdt files for burning a reference CD-R from a disc image.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { encodeCdText, hasCdText } from '../cdtext/encode.js';
import type { Disc } from '../disc/model.js';
import { cueBytes, writeCue } from './cue-writer.js';
import { writeToc } from './toc-writer.js';

/** Which burn files to write, and the image they point at. */
export interface BurnFiles {
  /** The raw image (IMAGE.DAT) the files refer to; written into them relative to each file's folder. */
  image: string;
  cue?: string | undefined;
  toc?: string | undefined;
  /** Raw CD-Text packs (no header, as libcdio requires) named by the cue's CDTEXTFILE. */
  cdt?: string | undefined;
}

/** A path as a cue or TOC line names it: relative to the file's folder, with forward slashes. */
export function relativeTo(file: string, target: string): string {
  return path.relative(path.dirname(path.resolve(file)), path.resolve(target)).split(path.sep).join('/');
}

/** Writes the requested burn files for `disc`; returns the paths written. */
export async function writeBurnFiles(disc: Disc, files: BurnFiles): Promise<string[]> {
  const written: string[] = [];
  let cdt: string | undefined;
  if (files.cdt !== undefined && disc.cdText && hasCdText(disc.cdText)) {
    await writeFile(files.cdt, encodeCdText(disc.cdText));
    written.push(files.cdt);
    cdt = files.cdt;
  }
  if (files.cue !== undefined) {
    const cue = writeCue(disc, { imageFile: relativeTo(files.cue, files.image), cdTextFile: cdt === undefined ? undefined : relativeTo(files.cue, cdt) });
    await writeFile(files.cue, cueBytes(cue));
    written.push(files.cue);
  }
  if (files.toc !== undefined) {
    await writeFile(files.toc, writeToc(disc, { imageFile: relativeTo(files.toc, files.image) }), 'latin1');
    written.push(files.toc);
  }
  return written;
}
