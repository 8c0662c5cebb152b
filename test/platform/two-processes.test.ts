/**
 * Two server processes on one PostgreSQL database, both with auto-mount off: a storage and an API
 * created through one process serve the type on the other within a second, a change of the storage
 * (history off) reaches it as fast, and deleting the API unmounts the type there. Needs the real
 * PostgreSQL; the embedded database belongs to one process.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fetchAsRoot, startServerProcess, type ServerProcess } from '../support/server-process.js';
import { startTestFlint, type TestFlint } from '../support/test-server.js';
import { apiParams, createApi, createStorage, parameters, PATIENT, storageParams, string } from './platform-helpers.js';

const onPostgres = Boolean(process.env.DATABASE_URL);
let flint: TestFlint;
let other: ServerProcess;

before(async () => {
  if (!onPostgres) return;
  flint = await startTestFlint({ enableApiAutoMount: false });
  other = await startServerProcess({ DATABASE_URL: flint.testDb.url as string, FLINT_ENABLE_API_AUTO_MOUNT: 'false' });
});
after(async () => {
  if (!onPostgres) return;
  await other.stop();
  await flint.stop();
});

/** Polls until the probe holds; fails when it does not within ms. */
async function within(ms: number, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await probe()) return;
    if (Date.now() > deadline) assert.fail(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const fetchOther = (path: string, init?: RequestInit) => fetchAsRoot(`${other.baseUrl}/fhir/${path}`, init);

describe('storages and APIs across processes', { skip: onPostgres ? false : 'needs the real PostgreSQL (DATABASE_URL)' }, () => {
  let storageId: string;
  let apiId: string;
  let patientId: string;

  it('a type with a new API is served by the other process within a second', async () => {
    assert.equal((await fetchOther('Patient')).status, 404);
    storageId = await createStorage(flint, storageParams({ sd: PATIENT, table: 'shared_patients', history: true, historyTable: 'shared_patients_history' }));
    apiId = await createApi(flint, apiParams({ type: 'Patient', storageId }));
    await within(1000, async () => (await fetchOther('Patient?_count=1')).status === 200);
    const created = await fetchOther('Patient', {
      method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify({ resourceType: 'Patient', active: true }),
    });
    assert.equal(created.status, 201);
    patientId = ((await created.json()) as { id: string }).id;
    assert.equal((await flint.get(`/fhir/Patient/${patientId}`)).status, 200);
  });

  it('a storage change reaches the other process within a second', async () => {
    assert.equal((await fetchOther(`Patient/${patientId}/_history`)).status, 200);
    const answer = await flint.post('/fhir/$configure-storage', parameters(storageParams({ sd: PATIENT, table: 'shared_patients', id: storageId })));
    assert.equal(answer.status, 200);
    await within(1000, async () => (await fetchOther(`Patient/${patientId}/_history`)).status === 422);
    const statement = await (await fetchOther('metadata')).json() as any;
    const patient = statement.rest[0].resource.find((resource: any) => resource.type === 'Patient');
    assert.equal(patient.readHistory, false);
  });

  it('an API deleted through the other process unmounts the type here within a second', async () => {
    const deleted = await fetchOther('$delete-api', {
      method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify(parameters([string('apiId', apiId)])),
    });
    assert.equal(deleted.status, 200);
    await within(1000, async () => (await flint.get(`/fhir/Patient/${patientId}`)).status === 404);
    assert.equal((await fetchOther(`Patient/${patientId}`)).status, 404);
  });
});
