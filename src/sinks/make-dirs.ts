/**
 * `mkdir -p` with a bounded number of system calls.
 *
 * Node's `mkdir(…, { recursive: true })` retries forever on a file system that answers ENOENT for a folder whose
 * parent exists (`/proc/x/y`: /proc refuses new entries with ENOENT), spinning at 100 % CPU. Here each missing folder
 * is created once, from the deepest existing one down, and any refusal is reported with the folder that failed.
 */
import { mkdirSync, statSync, type Stats } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { OvsimError } from '../errors.js';

/** Creates `dir` and its missing parents. @throws OvsimError IO naming the folder that could not be made */
export async function makeDirs(dir: string): Promise<void> {
  const missing: string[] = [];
  // Bounded: one step up per path component.
  for (let d = resolve(dir); ; d = dirname(d)) {
    const found = await stat(d).then(
      (s) => s,
      (e: unknown) => e as NodeJS.ErrnoException,
    );
    if (isStats(found)) {
      if (!found.isDirectory()) throw notAFolder(dir, d);
      break;
    }
    if (found.code !== 'ENOENT' || dirname(d) === d) throw cannotCreate(dir, d, found);
    missing.push(d);
  }
  for (const d of missing.reverse()) {
    await mkdir(d).catch(async (e: unknown) => {
      if (await isFolder(d)) return; // made meanwhile by someone else
      throw cannotCreate(dir, d, e);
    });
  }
}

/** `makeDirs`, synchronously. */
export function makeDirsSync(dir: string): void {
  const missing: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    let found: Stats | NodeJS.ErrnoException;
    try {
      found = statSync(d);
    } catch (e) {
      found = e as NodeJS.ErrnoException;
    }
    if (isStats(found)) {
      if (!found.isDirectory()) throw notAFolder(dir, d);
      break;
    }
    if (found.code !== 'ENOENT' || dirname(d) === d) throw cannotCreate(dir, d, found);
    missing.push(d);
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (e) {
      if (!isFolderSync(d)) throw cannotCreate(dir, d, e);
    }
  }
}

/** `no space left on device (ENOSPC)` from `ENOSPC: no space left on device, write`: the path is named already. */
export function describeFsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException | undefined;
  const message = err instanceof Error ? err.message : String(e);
  const reason = /^[A-Z]+: ([^,]+)/.exec(message)?.[1] ?? message;
  return err?.code !== undefined && !reason.includes(err.code) ? `${reason} (${err.code})` : reason;
}

function isStats(v: unknown): v is Stats {
  return typeof (v as Stats).isDirectory === 'function';
}

async function isFolder(d: string): Promise<boolean> {
  return stat(d).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

function isFolderSync(d: string): boolean {
  try {
    return statSync(d).isDirectory();
  } catch {
    return false;
  }
}

function cannotCreate(dir: string, failed: string, e: unknown): OvsimError {
  const which = resolve(dir) === failed ? '' : ` (at ${failed})`;
  return new OvsimError('IO', `cannot create directory ${dir}${which}: ${describeFsError(e)}`, { cause: e });
}

function notAFolder(dir: string, at: string): OvsimError {
  return new OvsimError('IO', `cannot create directory ${dir}: ${at} is not a directory`);
}
