/**
 * No write without its audit record, even across a crash: a server process writes N Patients
 * (each acknowledged with 201), is killed with SIGKILL right after the last answer, and a fresh
 * process finds the AuditEvent of every one of them, since each was committed in its write's
 * transaction. A read's event, queued, is written when the server stops on SIGTERM. Real
 * processes, on the embedded data folder or on a fresh real PostgreSQL database.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { freshDataFolder } from '../support/data-folder.js';
import { fetchAsRoot, startServerProcess } from '../support/server-process.js';
import { openTestDatabase, usingPostgres } from '../support/test-database.js';

const WRITES = 20;

async function createPatients(baseUrl: string): Promise<string[]> {
  const written: string[] = [];
  for (let index = 0; index < WRITES; index++) {
    const response = await fetchAsRoot(`${baseUrl}/fhir/Patient`, {
      method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify({ resourceType: 'Patient', name: [{ family: `Crash${index}` }] }),
    });
    assert.equal(response.status, 201);
    const body = await response.json() as { id: string; meta: { versionId: string } };
    written.push(`Patient/${body.id}/_history/${body.meta.versionId}`);
  }
  return written;
}

async function audited(baseUrl: string, version: string, subtype = 'create'): Promise<number> {
  const response = await fetchAsRoot(`${baseUrl}/fhir/AuditEvent?entity=${encodeURIComponent(version)}&subtype=${subtype}&_summary=count`);
  assert.equal(response.status, 200);
  return ((await response.json()) as { total: number }).total;
}

describe('audit records survive a crash', () => {
  it(`a SIGKILL right after ${WRITES} writes loses none of their AuditEvents`, async () => {
    const data = freshDataFolder('audit-crash');
    const testDb = usingPostgres() ? await openTestDatabase() : undefined;
    const env: Record<string, string> = testDb ? { DATABASE_URL: testDb.url as string } : { DATABASE_URL: '', FLINT_DATA_DIR: data.path };
    try {
      const server = await startServerProcess(env);
      const written = await createPatients(server.baseUrl);
      process.kill(server.pid, 'SIGKILL');
      await server.stop();
      // Queued events wait for the shutdown here: the timer would write them ten minutes later.
      const fresh = await startServerProcess({ ...env, FLINT_AUDIT_FLUSH_MS: '600000' });
      let exited: number | null = null;
      try {
        for (const version of written) assert.equal(await audited(fresh.baseUrl, version), 1, `the create of ${version} has its AuditEvent`);
        assert.equal((await fetchAsRoot(`${fresh.baseUrl}/fhir/${written[0].split('/_history/')[0]}`)).status, 200);
      } finally {
        exited = await fresh.stop();
      }
      assert.equal(exited, 0);
      const third = await startServerProcess(env);
      try {
        assert.equal(await audited(third.baseUrl, written[0], 'read'), 1, 'the queued read was written at shutdown');
      } finally {
        await third.stop();
      }
    } finally {
      await data.remove();
      await testDb?.close();
    }
  });
});
