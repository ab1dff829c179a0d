// Output folders written atomically: everything goes into a temporary folder beside the target, which
// is renamed into place only when complete (DESIGN.md, "Habits"). Used by the fileset writer and extract.
import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { DdpkitError } from './errors.js';

/** Refuses an existing target unless `force`; `shownAs` is the path as the user gave it. */
export async function refuseExisting(target: string, shownAs: string, force: boolean | undefined): Promise<void> {
  const exists = await stat(target).then(
    () => true,
    () => false,
  );
  if (exists && force !== true) throw new DdpkitError('io', `${shownAs} already exists; use --force to replace it`);
}

/**
 * Runs `fill` on a fresh temporary folder beside `target`, then puts it in place of `target` (an old one
 * is moved aside first and removed only afterwards). Whatever happens, no temporary folder is left.
 */
export async function writeFolderAtomically<T>(target: string, shownAs: string, fill: (temp: string) => Promise<T>, signal?: AbortSignal): Promise<T> {
  const parent = path.dirname(target);
  await mkdir(parent, { recursive: true }).catch(() => undefined);
  const temp = await mkdtemp(path.join(parent, `.${path.basename(target)}.partial-`)).catch((e: unknown) => {
    throw new DdpkitError('io', `cannot create a folder beside ${shownAs}: ${(e as Error).message}`);
  });
  try {
    const result = await fill(temp);
    if (signal?.aborted) throw new DdpkitError('interrupted', 'interrupted');
    await replaceFolder(temp, target);
    return result;
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

async function replaceFolder(temp: string, target: string): Promise<void> {
  try {
    await rename(temp, target);
    return;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOTDIR' && code !== 'EISDIR') throw e;
  }
  const old = `${temp}.old`;
  await rename(target, old);
  try {
    await rename(temp, target);
  } catch (e) {
    await rename(old, target);
    throw e;
  }
  await rm(old, { recursive: true, force: true });
}
