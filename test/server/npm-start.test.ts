/**
 * `npm start` as a user runs it: the compiled server starts (built first when src/ changed), and
 * SIGTERM sent to npm stops the server itself, gracefully (it closes the database and gives back the
 * data folder's lock), although npm's shell does not pass the signal on.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LOCK_FILE } from '../../src/db/index.js';
import { freshDataFolder } from '../support/data-folder.js';
import { startServerProcess } from '../support/server-process.js';

async function isServing(baseUrl: string): Promise<boolean> {
  return fetch(`${baseUrl}/health`).then((response) => response.ok, () => false);
}

/** Polls until the server has stopped and released the folder; false when it is still there after a minute. */
async function stopsServing(baseUrl: string, dataDir: string): Promise<boolean> {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (!(await isServing(baseUrl)) && !existsSync(join(dataDir, LOCK_FILE))) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

describe('npm start', () => {
  it('serves, and stops the server when npm gets SIGTERM', async () => {
    const data = freshDataFolder('npm-start');
    const dataDir = data.path;
    try {
      const server = await startServerProcess({ DATABASE_URL: '', FLINT_DATA_DIR: dataDir }, { command: 'npm-start', startTimeoutMs: 300_000 });
      assert.equal(existsSync(join(dataDir, LOCK_FILE)), true);
      await server.stop();
      assert.equal(await stopsServing(server.baseUrl, dataDir), true);
    } finally {
      await data.remove();
    }
  });
});
