/**
 * Graceful shutdown: closing the server lets requests in flight finish, and their answers end their
 * connections; a server process stops on SIGTERM with exit code 0.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { freshDataFolder } from '../support/data-folder.js';
import { startServerProcess } from '../support/server-process.js';
import { openTestDatabase } from '../support/test-database.js';
import { ROOT_BASIC, startTestFlint } from '../support/test-server.js';

describe('graceful shutdown', () => {
  it('finishes a request in flight before closing', async () => {
    const flint = await startTestFlint({ baseUrl: undefined });
    let release: () => void = () => undefined;
    const started = new Promise<void>((resolve) => {
      flint.ctx.operations.register({
        name: 'slow', levels: ['system'], affectsState: false,
        handler: async () => {
          resolve();
          await new Promise<void>((done) => { release = done; });
          return { status: 200, headers: {}, body: { resourceType: 'Parameters' } };
        },
      });
    });
    await flint.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = flint.app.server.address() as AddressInfo;
    const inFlight = fetch(`http://127.0.0.1:${port}/fhir/$slow`, { headers: { authorization: ROOT_BASIC } });
    await started;
    const closing = flint.app.close();
    setTimeout(() => release(), 200);
    const response = await inFlight;
    assert.equal(response.status, 200);
    // The answer ends its connection, so a kept-alive socket does not hold the close open.
    assert.equal(response.headers.get('connection'), 'close');
    assert.equal((await response.json() as { resourceType: string }).resourceType, 'Parameters');
    await closing;
    await assert.rejects(fetch(`http://127.0.0.1:${port}/health`));
    await flint.stop();
  });

  it('stops a server process on SIGTERM with exit code 0', async () => {
    const data = freshDataFolder('shutdown');
    const testDb = process.env.DATABASE_URL ? await openTestDatabase() : undefined;
    try {
      const env: Record<string, string> = testDb?.url ? { DATABASE_URL: testDb.url } : { DATABASE_URL: '', FLINT_DATA_DIR: data.path };
      const server = await startServerProcess(env);
      assert.equal((await fetch(`${server.baseUrl}/health`)).status, 200);
      assert.equal(await server.stop(), 0);
    } finally {
      await testDb?.close();
      await data.remove();
    }
  });
});
