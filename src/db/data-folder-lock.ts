/**
 * The embedded database's single-writer lock: PGlite is one PostgreSQL backend with no shared
 * memory between processes, so two processes on one data folder would each write over the other's
 * pages and lose acknowledged writes. The first process writes its pid to <data folder>/flint.lock
 * (created exclusively); a second one finds a live holder and refuses to start, naming it. A lock
 * whose process is gone (a crash, a kill -9) is stale and is taken over; so is one naming this very
 * process that this process does not hold (a container restarted with the same pid).
 */
import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const LOCK_FILE = 'flint.lock';

export class DataFolderLockedError extends Error {
  constructor(readonly folder: string, readonly holderPid: number) {
    super(`the data folder ${folder} is in use by another Flint process (pid ${holderPid}, lock file ${join(folder, LOCK_FILE)}); ` +
      'stop that process, or give this one another folder (FLINT_DATA_DIR) or a PostgreSQL (DATABASE_URL)');
    this.name = 'DataFolderLockedError';
  }
}

export interface DataFolderLock {
  readonly path: string;
  release(): void;
}

/** The lock files this process holds. */
const held = new Set<string>();

/** Is the holder with this pid running (EPERM: it runs, as another user)? */
function isRunning(pid: number, path: string): boolean {
  if (pid === process.pid) return held.has(path);
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid in a lock file; undefined when the file is gone; NaN when it is unreadable (half written). */
function holderOf(path: string): number | undefined {
  try {
    return Number.parseInt(readFileSync(path, 'utf8'), 10);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Links a complete file into place, so that no reader ever sees a half-written lock. */
function tryCreate(path: string): boolean {
  const draft = `${path}.${process.pid}.new`;
  writeFileSync(draft, `${process.pid}\n`);
  try {
    linkSync(draft, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(draft);
  }
}

/**
 * Moves a stale lock aside. The rename is atomic, so of several processes taking over the same
 * stale lock one wins; a loser that moved a fresh lock instead (the winner's) puts it back.
 */
function removeStale(path: string, stalePid: number): void {
  const aside = `${path}.${process.pid}.stale`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = holderOf(aside);
  if (moved !== stalePid && moved !== undefined && !Number.isNaN(moved) && isRunning(moved, path)) {
    try {
      linkSync(aside, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(aside);
    }
    throw new DataFolderLockedError(dirname(path), moved);
  }
  unlinkSync(aside);
}

/** Takes the lock of a data folder (creating the folder), or throws DataFolderLockedError. */
export function lockDataFolder(folder: string): DataFolderLock {
  mkdirSync(folder, { recursive: true });
  const path = join(folder, LOCK_FILE);
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(path)) {
      held.add(path);
      return { path, release: () => releaseLock(path) };
    }
    const holder = holderOf(path);
    if (holder === undefined) continue;
    if (!Number.isNaN(holder) && isRunning(holder, path)) throw new DataFolderLockedError(folder, holder);
    removeStale(path, holder);
  }
  throw new Error(`cannot take the lock ${path}: it keeps changing hands`);
}

/** Removes the lock file if it is still this process's. */
function releaseLock(path: string): void {
  if (!held.delete(path)) return;
  if (holderOf(path) === process.pid) unlinkSync(path);
}
