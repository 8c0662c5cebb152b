/**
 * $create-storage, $configure-storage, $list-storage and $delete-storage as the seed describes them:
 * Parameters in and out, tables created or reused, deletes that keep the data, idempotent set-up
 * with a client-given storageId, and invalid input rejected with a 422 that names the parameter and
 * leaves nothing behind (no table, no record, nothing in the registry). Auto-mount is off here, so
 * every table a test sees was made by a storage.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { raw, sql } from '../../src/sql/index.js';
import { issueCodes, startTestFlint, type TestFlint } from '../support/test-server.js';
import {
  apiParams, boolean, canonical, createApi, createStorage, OBSERVATION, parameters, PATIENT, rowCount, storageParams, string, tableExists, valueOf,
  type Param,
} from './platform-helpers.js';

let flint: TestFlint;
before(async () => { flint = await startTestFlint({ enableApiAutoMount: false }); });
after(async () => { await flint.stop(); });

const listStorages = async () => (await flint.post('/fhir/$list-storage', parameters())).body.entry.map((entry: any) => entry.resource);

describe('$create-storage', () => {
  it('creates the storage and its table and echoes it with a generated storageId (the seed example)', async () => {
    const input = [
      { name: 'structureDefinition', valueCanonical: 'http://hl7.org/fhir/StructureDefinition/Observation|4.0.1' },
      { name: 'storageType', valueString: 'default' },
      { name: 'tableName', valueString: 'observation_main' },
      { name: 'history', valueBoolean: false },
    ];
    const answer = await flint.post('/fhir/$create-storage', { resourceType: 'Parameters', parameter: input });
    assert.equal(answer.status, 201);
    assert.equal(answer.body.resourceType, 'Parameters');
    const storageId = valueOf(answer.body, 'storageId') as string;
    assert.match(storageId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.deepEqual(answer.body.parameter, [...input, { name: 'storageId', valueString: storageId }]);
    assert.equal(await tableExists(flint, 'observation_main'), true);
    assert.equal(await tableExists(flint, 'observation_main_history'), false);
    assert.deepEqual((await listStorages()).find((item: any) => valueOf(item, 'storageId') === storageId), answer.body);
  });

  it('creates the history table when history is true', async () => {
    const answer = await flint.post('/fhir/$create-storage', parameters(storageParams({ table: 'obs_kept', history: true, historyTable: 'obs_kept_versions' })));
    assert.equal(answer.status, 201);
    assert.equal(valueOf(answer.body, 'historyTableName'), 'obs_kept_versions');
    assert.equal(await tableExists(flint, 'obs_kept'), true);
    assert.equal(await tableExists(flint, 'obs_kept_versions'), true);
  });

  it('defaults history to false', async () => {
    const answer = await flint.post('/fhir/$create-storage', parameters(storageParams({ table: 'obs_no_history_flag' })));
    assert.equal(answer.status, 201);
    assert.equal(valueOf(answer.body, 'history'), false);
    assert.equal(valueOf(answer.body, 'historyTableName'), undefined);
  });

  it('is idempotent with a client-given storageId and ifNoneExist=true', async () => {
    const first = await flint.post('/fhir/$create-storage', parameters(storageParams({ table: 'obs_setup', id: 'obs-setup', ifNoneExist: true })));
    assert.equal(first.status, 201);
    assert.equal(valueOf(first.body, 'storageId'), 'obs-setup');
    const again = await flint.post('/fhir/$create-storage', parameters(storageParams({ table: 'obs_setup_other', id: 'obs-setup', ifNoneExist: true })));
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, first.body);
    assert.equal(await tableExists(flint, 'obs_setup_other'), false);
    const taken = await flint.post('/fhir/$create-storage', parameters(storageParams({ table: 'obs_setup', id: 'obs-setup' })));
    assert.equal(taken.status, 409);
    assert.deepEqual(issueCodes(taken.body), ['platform.storage-exists']);
  });

  it('reuses a table that exists with its data, and re-attaches a table after its storage was deleted', async () => {
    const first = await createStorage(flint, storageParams({ table: 'obs_reused' }));
    const api = await createApi(flint, apiParams({ type: 'Observation', storageId: first }));
    const created = (await flint.post('/fhir/Observation', { resourceType: 'Observation', status: 'final', code: { text: 'kept' } })).body;
    assert.equal((await flint.post('/fhir/$delete-api', parameters([string('apiId', api)]))).status, 200);
    assert.equal((await flint.post('/fhir/$delete-storage', parameters([string('storageId', first)]))).status, 200);
    assert.equal(await rowCount(flint, 'obs_reused'), 1);
    const second = await createStorage(flint, storageParams({ table: 'obs_reused' }));
    const reattached = await createApi(flint, apiParams({ type: 'Observation', storageId: second }));
    const read = await flint.get(`/fhir/Observation/${created.id}`);
    assert.equal(read.status, 200);
    assert.equal(read.body.code.text, 'kept');
    await flint.post('/fhir/$delete-api', parameters([string('apiId', reattached)]));
  });
});

describe('$create-storage with invalid input', () => {
  const sixtyFourBytes = 'я'.repeat(32);
  const cases: [string, Param[], number, string, string][] = [
    ['no structureDefinition', storageParams({ table: 'bad_1' }).filter((p) => p.name !== 'structureDefinition'), 422, 'platform.missing-parameter', 'structureDefinition'],
    ['no storageType', storageParams({ table: 'bad_2' }).filter((p) => p.name !== 'storageType'), 422, 'platform.missing-parameter', 'storageType'],
    ['no tableName', storageParams({ table: 'bad_3' }).filter((p) => p.name !== 'tableName'), 422, 'platform.missing-parameter', 'tableName'],
    ['another storage type', [canonical('structureDefinition', OBSERVATION), string('storageType', 'partitioned'), string('tableName', 'bad_4')], 422, 'platform.unsupported-storage-type', 'storageType'],
    ['an unknown canonical', storageParams({ sd: 'http://example.org/fhir/StructureDefinition/Nothing', table: 'bad_5' }), 422, 'platform.unknown-canonical', 'structureDefinition'],
    ['a version the server does not have', storageParams({ sd: 'http://hl7.org/fhir/StructureDefinition/Observation|3.0.2', table: 'bad_6' }), 422, 'platform.unknown-canonical', 'structureDefinition'],
    ['a data type', storageParams({ sd: 'http://hl7.org/fhir/StructureDefinition/HumanName', table: 'bad_7' }), 422, 'platform.not-a-resource-type', 'structureDefinition'],
    ['a profile', storageParams({ sd: 'http://hl7.org/fhir/StructureDefinition/vitalsigns', table: 'bad_8' }), 422, 'platform.not-a-resource-type', 'structureDefinition'],
    ['an abstract type', storageParams({ sd: 'http://hl7.org/fhir/StructureDefinition/DomainResource', table: 'bad_9' }), 422, 'platform.not-a-resource-type', 'structureDefinition'],
    ['a system type', storageParams({ sd: 'http://hl7.org/fhir/StructureDefinition/SearchParameter|4.0.1', table: 'bad_10' }), 422, 'platform.system-type', 'structureDefinition'],
    ['the storage type itself', storageParams({ sd: 'urn:flint:StructureDefinition:FlintStorage', table: 'bad_11' }), 422, 'platform.system-type', 'structureDefinition'],
    ['a table name with a space', storageParams({ table: 'bad table' }), 422, 'platform.invalid-table-name', 'tableName'],
    ['a table name with a dash', storageParams({ table: 'bad-table' }), 422, 'platform.invalid-table-name', 'tableName'],
    ['a table name with capitals', storageParams({ table: 'BadTable' }), 422, 'platform.invalid-table-name', 'tableName'],
    ['a table name starting with a digit', storageParams({ table: '1bad' }), 422, 'platform.invalid-table-name', 'tableName'],
    ['a table name with a quote', storageParams({ table: 'bad"; drop table patient; --' }), 422, 'platform.invalid-table-name', 'tableName'],
    ['a table name of 64 bytes', storageParams({ table: 'b'.repeat(64) }), 422, 'platform.invalid-table-name', 'tableName'],
    ['a table name of 32 letters but 64 bytes', storageParams({ table: sixtyFourBytes }), 422, 'platform.invalid-table-name', 'tableName'],
    ['a table name PostgreSQL reserves', storageParams({ table: 'pg_bad' }), 422, 'platform.invalid-table-name', 'tableName'],
    ['history without a history table', storageParams({ table: 'bad_12', history: true }), 422, 'platform.history-table-name-required', 'historyTableName'],
    ['a history table without history', storageParams({ table: 'bad_13', history: false, historyTable: 'bad_13_history' }), 422, 'platform.history-table-name-not-allowed', 'historyTableName'],
    ['a history table without the history flag', storageParams({ table: 'bad_14', historyTable: 'bad_14_history' }), 422, 'platform.history-table-name-not-allowed', 'historyTableName'],
    ['the same table twice', storageParams({ table: 'bad_15', history: true, historyTable: 'bad_15' }), 422, 'platform.same-table', 'historyTableName'],
    ['an invalid history table name', storageParams({ table: 'bad_16', history: true, historyTable: 'bad 16' }), 422, 'platform.invalid-table-name', 'historyTableName'],
    ["another type's default table", storageParams({ table: 'patient' }), 422, 'platform.table-in-use', 'tableName'],
    ["its own type's default history table as main table", storageParams({ table: 'observation_history' }), 422, 'platform.table-in-use', 'tableName'],
    ["its own type's default main table as history table", storageParams({ table: 'bad_17', history: true, historyTable: 'observation' }), 422, 'platform.table-in-use', 'historyTableName'],
    ['a sequence', storageParams({ table: 'transaction_id_seq' }), 422, 'platform.table-layout', 'tableName'],
    ['a database type', storageParams({ table: 'resource_status' }), 422, 'platform.table-layout', 'tableName'],
    ['a canonical as a string', [string('structureDefinition', OBSERVATION), string('storageType', 'default'), string('tableName', 'bad_18')], 422, 'platform.invalid-parameter', 'structureDefinition'],
    ['history as a string', [...storageParams({ table: 'bad_19' }), string('history', 'true')], 422, 'platform.invalid-parameter', 'history'],
    ['an empty table name', storageParams({ table: '' }), 422, 'platform.invalid-parameter', 'tableName'],
    ['an unknown parameter', [...storageParams({ table: 'bad_20' }), string('colour', 'red')], 422, 'platform.unknown-parameter', 'colour'],
    ['a repeated parameter', [...storageParams({ table: 'bad_21' }), string('tableName', 'bad_22')], 422, 'platform.duplicate-parameter', 'tableName'],
    ['ifNoneExist without a storageId', [...storageParams({ table: 'bad_23' }), boolean('ifNoneExist', true)], 422, 'platform.missing-parameter', 'storageId'],
    ['a storageId that is not an id', storageParams({ table: 'bad_24', id: 'not an id' }), 422, 'platform.invalid-parameter', 'storageId'],
  ];

  for (const [title, params, status, code, expression] of cases) {
    it(`rejects ${title} and creates nothing`, async () => {
      const before = (await listStorages()).length;
      const registered = flint.platform.registry.allStorages().length;
      const answer = await flint.post('/fhir/$create-storage', parameters(params));
      assert.equal(answer.status, status, answer.text);
      assert.equal(answer.body.resourceType, 'OperationOutcome');
      assert.deepEqual(issueCodes(answer.body), [code]);
      assert.deepEqual(answer.body.issue[0].expression, [expression]);
      assert.equal((await listStorages()).length, before);
      assert.equal(flint.platform.registry.allStorages().length, registered);
      const table = params.find((p) => p.name === 'tableName')?.valueString;
      const historyTable = params.find((p) => p.name === 'historyTableName')?.valueString;
      for (const name of [table, historyTable]) {
        if (name && /^bad_\d+(_history)?$/.test(name)) assert.equal(await tableExists(flint, name), false, name);
      }
    });
  }

  it('rejects a body that is not a Parameters resource', async () => {
    const answer = await flint.post('/fhir/$create-storage', { resourceType: 'Patient' });
    assert.equal(answer.status, 400);
    assert.deepEqual(issueCodes(answer.body), ['platform.not-parameters']);
  });

  it('rejects a table that holds resources of another type', async () => {
    const people = await createStorage(flint, storageParams({ sd: PATIENT, table: 'people' }));
    const api = await createApi(flint, apiParams({ type: 'Patient', storageId: people }));
    assert.equal((await flint.post('/fhir/Patient', { resourceType: 'Patient' })).status, 201);
    await flint.post('/fhir/$delete-api', parameters([string('apiId', api)]));
    await flint.post('/fhir/$delete-storage', parameters([string('storageId', people)]));
    const answer = await flint.post('/fhir/$create-storage', parameters(storageParams({ table: 'people' })));
    assert.equal(answer.status, 422);
    assert.deepEqual(issueCodes(answer.body), ['platform.table-in-use']);
  });

  it("rejects a table another type's storage names, and a table in another role", async () => {
    await createStorage(flint, storageParams({ sd: PATIENT, table: 'people_empty' }));
    const otherType = await flint.post('/fhir/$create-storage', parameters(storageParams({ table: 'people_empty' })));
    assert.equal(otherType.status, 422);
    assert.deepEqual(issueCodes(otherType.body), ['platform.table-in-use']);
    await createStorage(flint, storageParams({ table: 'obs_roles', history: true, historyTable: 'obs_roles_history' }));
    const otherRole = await flint.post('/fhir/$create-storage', parameters(storageParams({ table: 'obs_roles_history' })));
    assert.equal(otherRole.status, 422);
    assert.deepEqual(issueCodes(otherRole.body), ['platform.table-in-use']);
  });

  it('rejects a table without the storage layout', async () => {
    await flint.db.query(raw('CREATE TABLE plain_table (x integer)'));
    const answer = await flint.post('/fhir/$create-storage', parameters(storageParams({ table: 'plain_table' })));
    assert.equal(answer.status, 422);
    assert.deepEqual(issueCodes(answer.body), ['platform.table-layout']);
  });
});

describe('$configure-storage', () => {
  it('updates a storage: history on creates the history table', async () => {
    const storageId = await createStorage(flint, storageParams({ table: 'obs_configured' }));
    const input = storageParams({ table: 'obs_configured', history: true, historyTable: 'obs_configured_history', id: storageId });
    const answer = await flint.post('/fhir/$configure-storage', parameters(input));
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.parameter, input);
    assert.equal(await tableExists(flint, 'obs_configured_history'), true);
    const listed = (await listStorages()).find((item: any) => valueOf(item, 'storageId') === storageId);
    assert.equal(valueOf(listed, 'history'), true);
    assert.equal(flint.platform.registry.storage(storageId)?.historyTableName, 'obs_configured_history');
  });

  it('answers 404 for an unknown storageId and needs the full definition', async () => {
    const unknown = await flint.post('/fhir/$configure-storage', parameters(storageParams({ table: 'obs_x', id: 'no-such-storage' })));
    assert.equal(unknown.status, 404);
    assert.deepEqual(issueCodes(unknown.body), ['platform.storage-not-found']);
    const storageId = await createStorage(flint, storageParams({ table: 'obs_partial' }));
    const partial = await flint.post('/fhir/$configure-storage', parameters([string('storageId', storageId), boolean('history', true)]));
    assert.equal(partial.status, 422);
    assert.deepEqual(issueCodes(partial.body), ['platform.missing-parameter']);
    const noId = await flint.post('/fhir/$configure-storage', parameters(storageParams({ table: 'obs_partial' })));
    assert.equal(noId.status, 422);
    assert.deepEqual(noId.body.issue[0].expression, ['storageId']);
  });

  it('keeps the storage as it was when the change is invalid', async () => {
    const storageId = await createStorage(flint, storageParams({ table: 'obs_stable' }));
    const answer = await flint.post('/fhir/$configure-storage', parameters(storageParams({ table: 'obs_stable', history: true, historyTable: 'Bad Name', id: storageId })));
    assert.equal(answer.status, 422);
    const listed = (await listStorages()).find((item: any) => valueOf(item, 'storageId') === storageId);
    assert.equal(valueOf(listed, 'history'), false);
    assert.equal(flint.platform.registry.storage(storageId)?.history, false);
  });

  it('cannot change the type of a storage an API serves', async () => {
    const storageId = await createStorage(flint, storageParams({ table: 'obs_typed' }));
    await createApi(flint, apiParams({ type: 'Observation', storageId, id: 'obs-typed-api' }));
    const answer = await flint.post('/fhir/$configure-storage', parameters(storageParams({ sd: PATIENT, table: 'patients_typed', id: storageId })));
    assert.equal(answer.status, 422);
    assert.deepEqual(issueCodes(answer.body), ['platform.type-mismatch']);
    assert.equal(await tableExists(flint, 'patients_typed'), false);
    await flint.post('/fhir/$delete-api', parameters([string('apiId', 'obs-typed-api')]));
  });
});

describe('$list-storage', () => {
  it('returns every storage as a collection Bundle of Parameters, by POST or GET', async () => {
    const posted = await flint.post('/fhir/$list-storage', parameters());
    assert.equal(posted.status, 200);
    assert.equal(posted.body.resourceType, 'Bundle');
    assert.equal(posted.body.type, 'collection');
    assert.ok(posted.body.entry.length >= 3);
    for (const entry of posted.body.entry) {
      assert.equal(entry.resource.resourceType, 'Parameters');
      assert.deepEqual(entry.resource.parameter.slice(0, 3).map((p: any) => p.name), ['structureDefinition', 'storageType', 'tableName']);
    }
    const ids = posted.body.entry.map((entry: any) => valueOf(entry.resource, 'storageId')).sort();
    assert.deepEqual(flint.platform.registry.allStorages().map((storage) => storage.storageId).sort(), ids);
    assert.deepEqual((await flint.get('/fhir/$list-storage')).body, posted.body);
    const withParameter = await flint.post('/fhir/$list-storage', parameters([string('tableName', 'x')]));
    assert.equal(withParameter.status, 422);
  });
});

describe('$delete-storage', () => {
  it('removes the record and keeps the table and its data', async () => {
    const storageId = await createStorage(flint, storageParams({ table: 'obs_deleted', history: true, historyTable: 'obs_deleted_history' }));
    await flint.db.query(sql`INSERT INTO obs_deleted (id, txid, resource_type, status, resource)
      VALUES ('kept-1', nextval('transaction_id_seq'), 'Observation', 'created', '{"status":"final"}')`);
    const answer = await flint.post('/fhir/$delete-storage', parameters([string('storageId', storageId)]));
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { resourceType: 'Parameters', parameter: [{ name: 'status', valueString: 'success' }] });
    assert.equal((await listStorages()).some((item: any) => valueOf(item, 'storageId') === storageId), false);
    assert.equal(flint.platform.registry.storage(storageId), undefined);
    assert.equal(await rowCount(flint, 'obs_deleted'), 1);
    assert.equal(await tableExists(flint, 'obs_deleted_history'), true);
  });

  it('answers 404 for an unknown storage and 409 for a storage an API uses', async () => {
    const unknown = await flint.post('/fhir/$delete-storage', parameters([string('storageId', 'no-such-storage')]));
    assert.equal(unknown.status, 404);
    assert.deepEqual(issueCodes(unknown.body), ['platform.storage-not-found']);
    const storageId = await createStorage(flint, storageParams({ sd: PATIENT, table: 'patients_used' }));
    const apiId = await createApi(flint, apiParams({ type: 'Patient', storageId }));
    const used = await flint.post('/fhir/$delete-storage', parameters([string('storageId', storageId)]));
    assert.equal(used.status, 409);
    assert.deepEqual(issueCodes(used.body), ['platform.storage-in-use']);
    assert.ok(flint.platform.registry.storage(storageId));
    await flint.post('/fhir/$delete-api', parameters([string('apiId', apiId)]));
    assert.equal((await flint.post('/fhir/$delete-storage', parameters([string('storageId', storageId)]))).status, 200);
  });
});

describe('FlintStorage resources', () => {
  it('can be read, searched and their history read, but only the operations change them', async () => {
    const storageId = await createStorage(flint, storageParams({ table: 'obs_as_resource' }));
    const read = await flint.get(`/fhir/FlintStorage/${storageId}`);
    assert.equal(read.status, 200);
    assert.equal(read.body.tableName, 'obs_as_resource');
    assert.equal(read.body.structureDefinition, OBSERVATION);
    assert.equal((await flint.get(`/fhir/FlintStorage?_id=${storageId}`)).body.total, 1);
    await flint.post('/fhir/$configure-storage', parameters(storageParams({ table: 'obs_as_resource', history: true, historyTable: 'obs_as_resource_h', id: storageId })));
    assert.equal((await flint.get(`/fhir/FlintStorage/${storageId}/_history`)).body.total, 2);
    const writes = [
      await flint.put(`/fhir/FlintStorage/${storageId}`, { ...read.body, tableName: 'elsewhere' }),
      await flint.post('/fhir/FlintStorage', { resourceType: 'FlintStorage', structureDefinition: OBSERVATION, storageType: 'default', tableName: 'sneaky' }),
      await flint.delete(`/fhir/FlintStorage/${storageId}`),
      await flint.post('/fhir', { resourceType: 'Bundle', type: 'transaction', entry: [{ request: { method: 'DELETE', url: `FlintStorage/${storageId}` } }] }),
    ];
    for (const answer of writes) {
      assert.equal(answer.status, 405);
      assert.deepEqual(issueCodes(answer.body), ['platform.use-operation']);
    }
    assert.equal(await tableExists(flint, 'sneaky'), false);
    assert.equal((await flint.get(`/fhir/FlintStorage/${storageId}`)).body.tableName, 'obs_as_resource');
  });
});
