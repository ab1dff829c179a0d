// Manifest → Disc in one call: load, check, lay out. What `validate` runs and `build` starts from.
import { encodeCdText, hasCdText } from './cdtext/encode.js';
import { DdpkitError, type Problem } from './errors.js';
import type { Disc } from './disc/model.js';
import { layOut } from './disc/layout.js';
import type { Album } from './manifest/album.js';
import { loadManifest, sortByPosition } from './manifest/load.js';

/** A planned disc: the Album and Disc when valid, and every problem (errors and warnings). */
export interface DiscPlan {
  album?: Album | undefined;
  disc?: Disc | undefined;
  problems: Problem[];
}

/** Loads a manifest and lays out its disc; never throws for bad input. */
export async function planDisc(manifestPath: string): Promise<DiscPlan> {
  const loaded = await loadManifest(manifestPath);
  if (!loaded.album) return { problems: loaded.problems };
  const layout = layOut(loaded.album);
  const problems = [...loaded.problems, ...layout.problems];
  // CD-Text that does not fit in 256 packs is found here, so validate reports it before a build.
  if (layout.disc?.cdText && hasCdText(layout.disc.cdText)) {
    try {
      encodeCdText(layout.disc.cdText);
    } catch (e) {
      if (!(e instanceof DdpkitError)) throw e;
      problems.push({ severity: 'error', code: 'cdtext', message: e.message, file: loaded.album.file });
    }
  }
  sortByPosition(problems);
  return { album: loaded.album, disc: hasErrors(problems) ? undefined : layout.disc, problems };
}

/** True when any problem is an error (warnings alone do not stop a build). */
export function hasErrors(problems: Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}
