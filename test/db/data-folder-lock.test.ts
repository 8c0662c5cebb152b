/**
 * The embedded database's single-writer lock file: taken by the first opener, refused to a second
 * while the holder runs (naming its pid), taken over when the holder is gone, removed on release.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DataFolderLockedError, LOCK_FILE, lockDataFolder, PgliteDatabase } from '../../src/db/index.js';

const folders: string[] = [];
after(() => { for (const folder of folders) rmSync(folder, { recursive: true, force: true }); });

function freshFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'flint-lock-'));
  folders.push(folder);
  return folder;
}

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('data folder lock', () => {
  it('writes the holder pid, refuses a second holder by name, and is removed on release', () => {
    const folder = join(freshFolder(), 'data');
    const lock = lockDataFolder(folder);
    assert.equal(readFileSync(join(folder, LOCK_FILE), 'utf8').trim(), String(process.pid));
    assert.throws(() => lockDataFolder(folder), (error: unknown) =>
      error instanceof DataFolderLockedError && error.holderPid === process.pid && error.message.includes(`pid ${process.pid}`));
    lock.release();
    assert.equal(existsSync(join(folder, LOCK_FILE)), false);
    lockDataFolder(folder).release();
  });

  it('refuses while another running process holds the lock', () => {
    const folder = freshFolder();
    writeFileSync(join(folder, LOCK_FILE), `${process.ppid}\n`);
    assert.throws(() => lockDataFolder(folder), (error: unknown) => error instanceof DataFolderLockedError && error.holderPid === process.ppid);
    assert.equal(readFileSync(join(folder, LOCK_FILE), 'utf8').trim(), String(process.ppid));
  });

  it('takes over a stale lock: a dead pid, an unreadable file, or this pid not held by this process', () => {
    for (const content of [`${deadPid()}\n`, '', `${process.pid}\n`]) {
      const folder = freshFolder();
      writeFileSync(join(folder, LOCK_FILE), content);
      const lock = lockDataFolder(folder);
      assert.equal(readFileSync(join(folder, LOCK_FILE), 'utf8').trim(), String(process.pid));
      assert.deepEqual(readdirSync(folder), [LOCK_FILE]);
      lock.release();
    }
  });

  it('is taken by the embedded database on a folder and given back when it closes', async () => {
    const folder = freshFolder();
    const db = await PgliteDatabase.open({ dataDir: folder });
    try {
      assert.equal(readFileSync(join(folder, LOCK_FILE), 'utf8').trim(), String(process.pid));
      await assert.rejects(PgliteDatabase.open({ dataDir: folder }), DataFolderLockedError);
    } finally {
      await db.close();
    }
    assert.equal(existsSync(join(folder, LOCK_FILE)), false);
  });
});
