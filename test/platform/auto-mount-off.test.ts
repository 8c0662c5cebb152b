/**
 * FLINT_ENABLE_API_AUTO_MOUNT=false: only the system types are served (the FHIR definition types,
 * FlintStorage, FlintApi and the identity types) until an API is created; /fhir/metadata lists exactly what is served;
 * an unmounted type is a 404 with an OperationOutcome; a new StructureDefinition is not served
 * until an API opts it in.
 */
import { addSubscriptionTypes, SUBSCRIPTION_SYSTEM_TYPES } from '../../src/subscriptions/index.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACCESS_SYSTEM_TYPES, addAccessTypes } from '../../src/access/index.js';
import { createSystemSchema } from '../../src/db/index.js';
import { METADATA_TYPES } from '../../src/metadata/index.js';
import { loadCoreModel } from '../../src/model/index.js';
import { Platform } from '../../src/platform/index.js';
import { sql } from '../../src/sql/index.js';
import { openTestDatabase } from '../support/test-database.js';
import { issueCodes, startTestFlint, type TestFlint } from '../support/test-server.js';
import { widgetDefinition } from '../support/custom-types.js';
import { apiParams, createApi, createStorage, parameters, PATIENT, storageParams, string, tableExists } from './platform-helpers.js';

let flint: TestFlint;
before(async () => { flint = await startTestFlint({ enableApiAutoMount: false }); });
after(async () => { await flint.stop(); });

const SERVER_TYPES = [...ACCESS_SYSTEM_TYPES, ...SUBSCRIPTION_SYSTEM_TYPES];
const SYSTEM_TYPES = [...METADATA_TYPES, 'FlintApi', 'FlintStorage', ...SERVER_TYPES].sort();
const servedTypes = async () => (await flint.get('/fhir/metadata')).body.rest[0].resource.map((resource: any) => resource.type).sort();

describe('with auto-mount off', () => {
  it('serves only the system types', async () => {
    assert.deepEqual(await servedTypes(), SYSTEM_TYPES);
    assert.deepEqual(flint.ctx.storages.allStorages().map((storage) => storage.table).sort(), SYSTEM_TYPES.map((type) => type.toLowerCase()).sort());
    assert.equal(await tableExists(flint, 'structuredefinition'), true);
    assert.equal(await tableExists(flint, 'flintstorage_history'), true);
    assert.equal((await flint.get('/fhir/SearchParameter?_count=1')).status, 200);
  });

  it('makes only the tables of the system types in an empty database', async () => {
    const testDb = await openTestDatabase({ empty: true });
    const { db } = testDb;
    try {
      await createSystemSchema(db);
      const model = await loadCoreModel();
      addAccessTypes(model);
      addSubscriptionTypes(model);
      const platform = new Platform({ db, model, autoMount: false, systemTypes: SERVER_TYPES });
      await platform.provision();
      // The system schema's own tables (flint_credential, flint_signing_key, ...) hold no resources.
      const { rows } = await db.query<{ relname: string }>(sql`
        SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind = 'r' AND left(relname, 6) <> 'flint_' ORDER BY relname`);
      const expected = SYSTEM_TYPES.flatMap((type) => [type.toLowerCase(), `${type.toLowerCase()}_history`]).sort();
      assert.deepEqual(rows.map((row) => row.relname), expected);
    } finally {
      await testDb.close();
    }
  });

  it('answers 404 with an OperationOutcome for a type without an API', async () => {
    for (const answer of [await flint.get('/fhir/Patient'), await flint.post('/fhir/Patient', { resourceType: 'Patient' }), await flint.get('/fhir/Patient/1/_history')]) {
      assert.equal(answer.status, 404);
      assert.equal(answer.body.resourceType, 'OperationOutcome');
      assert.deepEqual(issueCodes(answer.body), ['rest.unknown-type']);
    }
  });

  it('serves a type once it has a storage and an API, and lists it with its interactions', async () => {
    const storageId = await createStorage(flint, storageParams({ sd: PATIENT, table: 'patient', history: true, historyTable: 'patient_history' }));
    const apiId = await createApi(flint, apiParams({ type: 'Patient', storageId }));
    assert.deepEqual(await servedTypes(), [...SYSTEM_TYPES, 'Patient'].sort());
    const patient = (await flint.get('/fhir/metadata')).body.rest[0].resource.find((resource: any) => resource.type === 'Patient');
    assert.deepEqual(patient.interaction.map((i: any) => i.code).sort(),
      ['create', 'delete', 'history-instance', 'history-type', 'patch', 'read', 'search-type', 'update', 'vread']);
    const created = await flint.post('/fhir/Patient', { resourceType: 'Patient', active: true });
    assert.equal(created.status, 201);
    assert.equal((await flint.get(`/fhir/Patient/${created.body.id}/_history`)).body.total, 1);
    await flint.post('/fhir/$delete-api', parameters([string('apiId', apiId)]));
    assert.equal((await flint.get(`/fhir/Patient/${created.body.id}`)).status, 404);
    assert.deepEqual(await servedTypes(), SYSTEM_TYPES);
  });

  it('keeps a new StructureDefinition unserved and without tables until an API opts it in', async () => {
    const definition = (await flint.post('/fhir/StructureDefinition', widgetDefinition('Doohickey'))).body;
    assert.ok(flint.ctx.model.isResourceType('Doohickey'));
    assert.equal((await flint.post('/fhir/Doohickey', { resourceType: 'Doohickey', name: 'd' })).status, 404);
    assert.equal(await tableExists(flint, 'doohickey'), false);
    const storageId = await createStorage(flint, storageParams({ sd: definition.url, table: 'doohickeys' }));
    await createApi(flint, apiParams({ type: 'Doohickey', storageId }));
    assert.equal((await flint.post('/fhir/Doohickey', { resourceType: 'Doohickey', name: 'd' })).status, 201);
    assert.equal(await tableExists(flint, 'doohickey'), false);
    assert.ok((await servedTypes()).includes('Doohickey'));
  });

  it('does not let an API take over a system type', async () => {
    const answer = await flint.post('/fhir/$create-api', parameters(apiParams({ type: 'SearchParameter', storageId: 'anything' })));
    assert.equal(answer.status, 422);
    assert.deepEqual(issueCodes(answer.body), ['platform.system-type']);
  });
});
