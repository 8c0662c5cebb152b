/**
 * Crash safety: a server process killed with SIGKILL while transaction Bundles are being written
 * loses none that it acknowledged and leaves none half-written. Each Bundle creates Patients and
 * Observations (linked by urn:uuid) sharing one marker identifier; after the kills, a fresh process
 * counts every marker's resources: all of them or none, and all of them for every 200. Real
 * processes, on the embedded data folder or on a fresh database of the real PostgreSQL.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { freshDataFolder } from '../support/data-folder.js';
import { fetchAsRoot, startServerProcess, type ServerProcess } from '../support/server-process.js';
import { openTestDatabase, usingPostgres } from '../support/test-database.js';

const MARKER_SYSTEM = 'urn:flint-test:crash-marker';
const PAIRS_PER_BUNDLE = 8;
const WRITERS = 4;
/** More kills for a longer run: FLINT_CRASH_KILLS=20 npm test -- test/server/crash-safety. */
const KILLS = Number(process.env.FLINT_CRASH_KILLS ?? 2);

interface Sent {
  marker: string;
  acknowledged: boolean;
}

function bundle(marker: string): unknown {
  const identifier = [{ system: MARKER_SYSTEM, value: marker }];
  const entry = [];
  for (let index = 0; index < PAIRS_PER_BUNDLE; index++) {
    const patientUrl = `urn:uuid:${marker}-${index}`;
    entry.push({ fullUrl: patientUrl, resource: { resourceType: 'Patient', identifier, name: [{ family: `Crash${index}` }] }, request: { method: 'POST', url: 'Patient' } });
    entry.push({
      resource: { resourceType: 'Observation', identifier, status: 'final', code: { text: 'crash' }, subject: { reference: patientUrl }, valueInteger: index },
      request: { method: 'POST', url: 'Observation' },
    });
  }
  return { resourceType: 'Bundle', type: 'transaction', entry };
}

/** Posts Bundles one after another until the server stops answering; records each one sent. */
async function writeUntilKilled(baseUrl: string, writer: string, sent: Sent[]): Promise<void> {
  for (let seq = 0; ; seq++) {
    const record: Sent = { marker: `${writer}-${seq}`, acknowledged: false };
    sent.push(record);
    try {
      const response = await fetchAsRoot(`${baseUrl}/fhir`, {
        method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify(bundle(record.marker)),
      });
      await response.arrayBuffer();
      assert.equal(response.status, 200, `a transaction Bundle answered ${response.status}`);
      record.acknowledged = true;
    } catch (error) {
      if (error instanceof assert.AssertionError) throw error;
      return; // the process is gone
    }
  }
}

/** Runs the writers, and kills the process once at least `atLeast` Bundles were acknowledged. */
async function killDuringWrites(server: ServerProcess, round: number, sent: Sent[], atLeast: number): Promise<void> {
  const writers = Array.from({ length: WRITERS }, (_, index) => writeUntilKilled(server.baseUrl, `r${round}w${index}`, sent));
  while (sent.filter((record) => record.acknowledged).length < atLeast) await new Promise((resolve) => setTimeout(resolve, 20));
  process.kill(server.pid, 'SIGKILL');
  await server.stop();
  await Promise.all(writers);
}

async function countMarked(baseUrl: string, type: string, marker: string): Promise<number> {
  const response = await fetchAsRoot(`${baseUrl}/fhir/${type}?identifier=${encodeURIComponent(`${MARKER_SYSTEM}|${marker}`)}&_summary=count`);
  assert.equal(response.status, 200);
  return ((await response.json()) as { total: number }).total;
}

describe('crash safety', () => {
  it('a SIGKILL during transaction Bundles keeps every acknowledged one and no partial one', async (t) => {
    const data = freshDataFolder('crash');
    const testDb = usingPostgres() ? await openTestDatabase() : undefined;
    const env: Record<string, string> = testDb ? { DATABASE_URL: testDb.url as string } : { DATABASE_URL: '', FLINT_DATA_DIR: data.path };
    const sent: Sent[] = [];
    try {
      for (let round = 0; round < KILLS; round++) {
        const server = await startServerProcess(env);
        await killDuringWrites(server, round, sent, sent.filter((record) => record.acknowledged).length + 3 + round * 2);
      }
      const server = await startServerProcess(env);
      try {
        let complete = 0;
        for (const record of sent) {
          const patients = await countMarked(server.baseUrl, 'Patient', record.marker);
          const observations = await countMarked(server.baseUrl, 'Observation', record.marker);
          assert.equal(patients, observations, `Bundle ${record.marker} left ${patients} Patients and ${observations} Observations`);
          assert.ok(patients === 0 || patients === PAIRS_PER_BUNDLE, `Bundle ${record.marker} is half-written: ${patients} of ${PAIRS_PER_BUNDLE}`);
          if (record.acknowledged) assert.equal(patients, PAIRS_PER_BUNDLE, `acknowledged Bundle ${record.marker} was lost`);
          if (patients > 0) complete++;
        }
        const acknowledged = sent.filter((record) => record.acknowledged).length;
        assert.ok(complete >= acknowledged);
        t.diagnostic(`${KILLS} kills: ${sent.length} Bundles sent, ${acknowledged} acknowledged, ${complete} complete, none partial`);
      } finally {
        await server.stop();
      }
    } finally {
      await data.remove();
      await testDb?.close();
    }
  });
});

