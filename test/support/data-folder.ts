/**
 * Fresh folders for tests: an empty one (a server process's FLINT_DATA_DIR, bundle files), or a copy
 * of a prepared embedded data folder. They are made under the run's scratch folder
 * (FLINT_TEST_SCRATCH, which scripts/run-tests.mjs puts in memory when /dev/shm exists and removes
 * after the run), or under the system's temporary folder when a file runs on its own.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface DataFolder {
  path: string;
  /** Removes the folder and everything in it. */
  remove(): Promise<void>;
}

function scratchRoot(): string {
  const root = process.env.FLINT_TEST_SCRATCH ?? tmpdir();
  mkdirSync(root, { recursive: true });
  return root;
}

/** A new folder named `flint-<purpose>-...`: empty, or a copy of the folder `copyOf`. */
export function freshDataFolder(purpose: string, copyOf?: string): DataFolder {
  const path = mkdtempSync(join(scratchRoot(), `flint-${purpose}-`));
  if (copyOf) cpSync(copyOf, path, { recursive: true });
  return { path, remove: async () => rmSync(path, { recursive: true, force: true }) };
}

/** Runs `use` with a fresh empty folder and removes the folder afterwards, whatever happened. */
export async function withDataFolder<T>(purpose: string, use: (path: string) => Promise<T>): Promise<T> {
  const folder = freshDataFolder(purpose);
  try {
    return await use(folder.path);
  } finally {
    await folder.remove();
  }
}
