/**
 * Never two writers on one embedded data folder: a second server process on the folder of a running
 * one refuses to start and names the holder's pid; once the holder is gone (killed, its lock left
 * behind), the next process takes the folder over. Real processes, always on the embedded database.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LOCK_FILE } from '../../src/db/index.js';
import { freshDataFolder } from '../support/data-folder.js';
import { fetchAsRoot, spawnServerProcess, startServerProcess, type SpawnedServer } from '../support/server-process.js';

/** The exit code, or 'running' when the process has not exited after a minute (then it is stopped). */
async function exitCode(server: SpawnedServer): Promise<number | null | 'running'> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<'running'>((resolve) => { timer = setTimeout(() => resolve('running'), 60_000); });
  const code = await Promise.race([server.exited(), limit]);
  clearTimeout(timer);
  if (code === 'running') server.child.kill('SIGKILL');
  return code;
}

describe('one writer per embedded data folder', () => {
  it('refuses a second process, names the holder, and takes over a stale lock', async () => {
    const data = freshDataFolder('single-writer');
    const dataDir = data.path;
    const env = { DATABASE_URL: '', FLINT_DATA_DIR: dataDir };
    try {
      const first = await startServerProcess(env);
      const created = await fetchAsRoot(`${first.baseUrl}/fhir/Patient`, {
        method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify({ resourceType: 'Patient', active: true }),
      });
      assert.equal(created.status, 201);
      const { id } = await created.json() as { id: string };

      const second = await spawnServerProcess(env, { captureStderr: true });
      const code = await exitCode(second);
      assert.ok(code !== 'running' && code !== 0, `the second process must refuse to start, not ${code}`);
      assert.match(second.stderr(), new RegExp(`in use by another Flint process \\(pid ${first.pid}\\b`));
      assert.equal((await fetchAsRoot(`${first.baseUrl}/fhir/Patient/${id}`)).status, 200);

      process.kill(first.pid, 'SIGKILL');
      await first.stop();
      assert.equal(readFileSync(join(dataDir, LOCK_FILE), 'utf8').trim(), String(first.pid));

      const third = await startServerProcess(env);
      assert.equal((await fetchAsRoot(`${third.baseUrl}/fhir/Patient/${id}`)).status, 200);
      assert.equal(await third.stop(), 0);
      assert.equal(existsSync(join(dataDir, LOCK_FILE)), false);
    } finally {
      await data.remove();
    }
  });
});
