/**
 * $create-api, $configure-api, $list-api and $delete-api with auto-mount on, starting with the
 * seed's example: turning history off for Observation by pointing its API at a storage on its own
 * table. One API per resource type; an API overrides the auto-mounted storage until it is deleted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { raw } from '../../src/sql/index.js';
import { issueCodes, startTestFlint, type TestFlint } from '../support/test-server.js';
import {
  apiParams, createApi, createStorage, parameters, PATIENT, rowCount, storageParams, string, valueOf, type Param,
} from './platform-helpers.js';

let flint: TestFlint;
before(async () => { flint = await startTestFlint(); });
after(async () => { await flint.stop(); });

const observation = { resourceType: 'Observation', status: 'final', code: { text: 'weight' } };
const listApis = async () => (await flint.post('/fhir/$list-api', parameters())).body.entry.map((entry: any) => entry.resource);

describe('disabling history for a resource type (the seed example)', () => {
  let storageId: string;
  let apiId: string;
  let id: string;

  it('creates a storage on the existing table with history off, and an API for it', async () => {
    id = (await flint.post('/fhir/Observation', observation)).body.id;
    await flint.put(`/fhir/Observation/${id}`, { ...observation, id, valueString: 'v2' });
    assert.equal(await rowCount(flint, 'observation_history'), 1);
    const storage = await flint.post('/fhir/$create-storage', {
      resourceType: 'Parameters',
      parameter: [
        { name: 'structureDefinition', valueCanonical: 'http://hl7.org/fhir/StructureDefinition/Observation|4.0.1' },
        { name: 'storageType', valueString: 'default' },
        { name: 'tableName', valueString: 'observation' },
        { name: 'history', valueBoolean: false },
      ],
    });
    assert.equal(storage.status, 201);
    storageId = valueOf(storage.body, 'storageId') as string;
    const api = await flint.post('/fhir/$create-api', {
      resourceType: 'Parameters',
      parameter: [
        { name: 'resourceType', valueString: 'Observation' },
        { name: 'storageId', valueString: storageId },
        { name: 'apiTemplate', valueString: 'pre-2604' },
      ],
    });
    assert.equal(api.status, 201);
    apiId = valueOf(api.body, 'apiId') as string;
    assert.deepEqual(api.body, {
      resourceType: 'Parameters',
      parameter: [
        { name: 'apiId', valueString: apiId },
        { name: 'apiTemplate', valueString: 'pre-2604' },
        { name: 'resourceType', valueString: 'Observation' },
        { name: 'storageId', valueString: storageId },
      ],
    });
  });

  it('keeps reads, creates, updates and searches working on the same data, without history rows', async () => {
    assert.equal((await flint.get(`/fhir/Observation/${id}`)).body.valueString, 'v2');
    const updated = await flint.put(`/fhir/Observation/${id}`, { ...observation, id, valueString: 'v3' });
    assert.equal(updated.status, 200);
    const created = await flint.post('/fhir/Observation', observation);
    assert.equal(created.status, 201);
    await flint.put(`/fhir/Observation/${created.body.id}`, { ...observation, id: created.body.id, valueString: 'changed' });
    assert.equal(await rowCount(flint, 'observation_history'), 1);
    const search = await flint.get(`/fhir/Observation?_id=${id},${created.body.id}`);
    assert.equal(search.body.total, 2);
  });

  it('answers instance and type _history with the seed OperationOutcome', async () => {
    const expected = {
      resourceType: 'OperationOutcome',
      id: 'not-supported',
      issue: [{ severity: 'fatal', code: 'not-supported', diagnostics: 'History is disabled for resource type Observation' }],
    };
    for (const url of [`/fhir/Observation/${id}/_history`, '/fhir/Observation/_history']) {
      const answer = await flint.get(url);
      assert.equal(answer.status, 422);
      assert.deepEqual(answer.body, expected);
    }
    assert.equal((await flint.get('/fhir/_history?_count=1')).status, 200);
  });

  it('lists the type in /fhir/metadata without the history interactions', async () => {
    const statement = (await flint.get('/fhir/metadata')).body;
    const entry = statement.rest[0].resource.find((resource: any) => resource.type === 'Observation');
    assert.deepEqual(entry.interaction.map((i: any) => i.code).sort(), ['create', 'delete', 'patch', 'read', 'search-type', 'update', 'vread']);
    assert.equal(entry.readHistory, false);
    const patient = statement.rest[0].resource.find((resource: any) => resource.type === 'Patient');
    assert.ok(patient.interaction.some((i: any) => i.code === 'history-instance'));
  });

  it('brings history back when the storage is configured with history', async () => {
    const input = storageParams({ table: 'observation', history: true, historyTable: 'observation_history', id: storageId });
    assert.equal((await flint.post('/fhir/$configure-storage', parameters(input))).status, 200);
    await flint.put(`/fhir/Observation/${id}`, { ...observation, id, valueString: 'v4' });
    const history = await flint.get(`/fhir/Observation/${id}/_history`);
    assert.equal(history.status, 200);
    // v2 was replaced while history was off, so it was not kept; the first version was.
    assert.deepEqual(history.body.entry.map((entry: any) => entry.resource.valueString), ['v4', 'v3', undefined]);
  });

  it('reverts to the auto-mounted storage when the API and storage are deleted', async () => {
    const noHistory = storageParams({ table: 'observation', history: false, id: storageId });
    assert.equal((await flint.post('/fhir/$configure-storage', parameters(noHistory))).status, 200);
    assert.equal((await flint.get(`/fhir/Observation/${id}/_history`)).status, 422);
    assert.equal((await flint.post('/fhir/$delete-api', parameters([string('apiId', apiId)]))).status, 200);
    assert.equal((await flint.post('/fhir/$delete-storage', parameters([string('storageId', storageId)]))).status, 200);
    const history = await flint.get(`/fhir/Observation/${id}/_history`);
    assert.equal(history.status, 200);
    assert.equal(flint.ctx.storages.storageFor('Observation')?.historyTable, 'observation_history');
  });
});

describe('$create-api', () => {
  it('allows one active API per resource type, and is idempotent with a client-given apiId', async () => {
    const storageId = await createStorage(flint, storageParams({ sd: PATIENT, table: 'patient_api' }));
    const first = await flint.post('/fhir/$create-api', parameters(apiParams({ type: 'Patient', storageId, id: 'patient-api', ifNoneExist: true })));
    assert.equal(first.status, 201);
    assert.equal(valueOf(first.body, 'apiId'), 'patient-api');
    const again = await flint.post('/fhir/$create-api', parameters(apiParams({ type: 'Patient', storageId, id: 'patient-api', ifNoneExist: true })));
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, first.body);
    const sameId = await flint.post('/fhir/$create-api', parameters(apiParams({ type: 'Patient', storageId, id: 'patient-api' })));
    assert.equal(sameId.status, 409);
    assert.deepEqual(issueCodes(sameId.body), ['platform.api-exists']);
    const second = await flint.post('/fhir/$create-api', parameters(apiParams({ type: 'Patient', storageId })));
    assert.equal(second.status, 409);
    assert.deepEqual(issueCodes(second.body), ['platform.api-exists']);
    assert.deepEqual(second.body.issue[0].expression, ['resourceType']);
    assert.equal((await listApis()).filter((api: any) => valueOf(api, 'resourceType') === 'Patient').length, 1);
    const created = await flint.post('/fhir/Patient', { resourceType: 'Patient', active: true });
    assert.equal(await rowCount(flint, 'patient_api'), 1);
    assert.equal((await flint.get(`/fhir/Patient/${created.body.id}`)).status, 200);
    await flint.post('/fhir/$delete-api', parameters([string('apiId', 'patient-api')]));
    assert.equal((await flint.get(`/fhir/Patient/${created.body.id}`)).status, 404);
  });

  it('gives one of two concurrent APIs for a type a 201 and the other a 409', async () => {
    const storageId = await createStorage(flint, storageParams({ table: 'obs_race' }));
    const answers = await Promise.all([1, 2].map(() => flint.post('/fhir/$create-api', parameters(apiParams({ type: 'Observation', storageId })))));
    assert.deepEqual(answers.map((answer) => answer.status).sort(), [201, 409]);
    const loser = answers.find((answer) => answer.status === 409);
    assert.deepEqual(issueCodes(loser?.body), ['platform.api-exists']);
    const winner = valueOf(answers.find((answer) => answer.status === 201)?.body, 'apiId') as string;
    assert.deepEqual((await listApis()).filter((api: any) => valueOf(api, 'resourceType') === 'Observation').map((api: any) => valueOf(api, 'apiId')), [winner]);
    await flint.post('/fhir/$delete-api', parameters([string('apiId', winner)]));
  });

  describe('with invalid input', () => {
    let storageId: string;
    before(async () => { storageId = await createStorage(flint, storageParams({ table: 'obs_for_bad_apis' })); });
    const cases: [string, (storageId: string) => Param[], number, string, string][] = [
      ['another template', (s) => apiParams({ type: 'Observation', storageId: s, template: 'post-2604' }), 422, 'platform.unsupported-api-template', 'apiTemplate'],
      ['an unknown storage', () => apiParams({ type: 'Observation', storageId: 'no-such-storage' }), 422, 'platform.unknown-storage', 'storageId'],
      ['a storage of another type', (s) => apiParams({ type: 'Patient', storageId: s }), 422, 'platform.type-mismatch', 'resourceType'],
      ['an unknown type', (s) => apiParams({ type: 'Unicorn', storageId: s }), 422, 'platform.unknown-resource-type', 'resourceType'],
      ['a data type', (s) => apiParams({ type: 'HumanName', storageId: s }), 422, 'platform.unknown-resource-type', 'resourceType'],
      ['a system type', (s) => apiParams({ type: 'StructureDefinition', storageId: s }), 422, 'platform.system-type', 'resourceType'],
      ['no resourceType', (s) => apiParams({ type: 'Observation', storageId: s }).filter((p) => p.name !== 'resourceType'), 422, 'platform.missing-parameter', 'resourceType'],
      ['no storageId', (s) => apiParams({ type: 'Observation', storageId: s }).filter((p) => p.name !== 'storageId'), 422, 'platform.missing-parameter', 'storageId'],
      ['no apiTemplate', (s) => apiParams({ type: 'Observation', storageId: s }).filter((p) => p.name !== 'apiTemplate'), 422, 'platform.missing-parameter', 'apiTemplate'],
      ['an unknown parameter', (s) => [...apiParams({ type: 'Observation', storageId: s }), string('tableName', 'x')], 422, 'platform.unknown-parameter', 'tableName'],
      ['ifNoneExist without an apiId', (s) => [...apiParams({ type: 'Observation', storageId: s }), { name: 'ifNoneExist', valueBoolean: true }], 422, 'platform.missing-parameter', 'apiId'],
    ];
    for (const [title, params, status, code, expression] of cases) {
      it(`rejects ${title} and creates no API`, async () => {
        const before = (await listApis()).length;
        const answer = await flint.post('/fhir/$create-api', parameters(params(storageId)));
        assert.equal(answer.status, status, answer.text);
        assert.deepEqual(issueCodes(answer.body), [code]);
        assert.deepEqual(answer.body.issue[0].expression, [expression]);
        assert.equal((await listApis()).length, before);
        assert.equal(flint.platform.registry.allApis().length, before);
        assert.equal(flint.ctx.storages.storageFor('Observation')?.table, 'observation');
      });
    }
  });
});

describe('$configure-api', () => {
  it('points a resource type at another storage', async () => {
    const first = await createStorage(flint, storageParams({ table: 'obs_first' }));
    const second = await createStorage(flint, storageParams({ table: 'obs_second', history: true, historyTable: 'obs_second_history' }));
    const apiId = await createApi(flint, apiParams({ type: 'Observation', storageId: first }));
    await flint.post('/fhir/Observation', observation);
    const input = [string('apiId', apiId), string('resourceType', 'Observation'), string('apiTemplate', 'pre-2604'), string('storageId', second)];
    const answer = await flint.post('/fhir/$configure-api', parameters(input));
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.parameter, [input[0], input[2], input[1], input[3]]);
    await flint.post('/fhir/Observation', observation);
    assert.equal(await rowCount(flint, 'obs_first'), 1);
    assert.equal(await rowCount(flint, 'obs_second'), 1);
    assert.equal(flint.ctx.storages.storageFor('Observation')?.historyTable, 'obs_second_history');
    await flint.post('/fhir/$delete-api', parameters([string('apiId', apiId)]));
  });

  it('answers 404 for an unknown API and 409 when the type has another API', async () => {
    const obsStorage = await createStorage(flint, storageParams({ table: 'obs_conf' }));
    const unknown = await flint.post('/fhir/$configure-api', parameters([...apiParams({ type: 'Observation', storageId: obsStorage }), string('apiId', 'no-such-api')]));
    assert.equal(unknown.status, 404);
    assert.deepEqual(issueCodes(unknown.body), ['platform.api-not-found']);
    const patients = await createStorage(flint, storageParams({ sd: PATIENT, table: 'patient_conf' }));
    const patientApi = await createApi(flint, apiParams({ type: 'Patient', storageId: patients }));
    const obsApi = await createApi(flint, apiParams({ type: 'Observation', storageId: obsStorage }));
    const clash = await flint.post('/fhir/$configure-api', parameters([...apiParams({ type: 'Patient', storageId: patients }), string('apiId', obsApi)]));
    assert.equal(clash.status, 409);
    assert.deepEqual(issueCodes(clash.body), ['platform.api-exists']);
    assert.equal(flint.ctx.storages.storageFor('Observation')?.table, 'obs_conf');
    for (const apiId of [patientApi, obsApi]) await flint.post('/fhir/$delete-api', parameters([string('apiId', apiId)]));
  });
});

describe('$list-api and $delete-api', () => {
  it('list every API as a collection Bundle of Parameters, and delete one', async () => {
    const storageId = await createStorage(flint, storageParams({ table: 'obs_listed' }));
    const apiId = await createApi(flint, apiParams({ type: 'Observation', storageId }));
    const list = await flint.post('/fhir/$list-api', parameters());
    assert.equal(list.status, 200);
    assert.equal(list.body.type, 'collection');
    const listed = list.body.entry.map((entry: any) => entry.resource).find((item: any) => valueOf(item, 'apiId') === apiId);
    assert.deepEqual(listed.parameter.map((p: any) => p.name), ['apiId', 'apiTemplate', 'resourceType', 'storageId']);
    assert.equal(valueOf(listed, 'storageId'), storageId);
    const deleted = await flint.post('/fhir/$delete-api', parameters([string('apiId', apiId)]));
    assert.deepEqual(deleted.body, { resourceType: 'Parameters', parameter: [{ name: 'status', valueString: 'success' }] });
    assert.equal((await listApis()).some((item: any) => valueOf(item, 'apiId') === apiId), false);
    assert.equal(flint.ctx.storages.storageFor('Observation')?.table, 'observation');
    const again = await flint.post('/fhir/$delete-api', parameters([string('apiId', apiId)]));
    assert.equal(again.status, 404);
    assert.deepEqual(issueCodes(again.body), ['platform.api-not-found']);
  });

  it('keep FlintApi resources readable but not writable outside the operations', async () => {
    const storageId = await createStorage(flint, storageParams({ table: 'obs_guarded' }));
    const apiId = await createApi(flint, apiParams({ type: 'Observation', storageId }));
    const read = await flint.get(`/fhir/FlintApi/${apiId}`);
    assert.equal(read.status, 200);
    assert.deepEqual([read.body.type, read.body.storage.reference, read.body.apiTemplate], ['Observation', `FlintStorage/${storageId}`, 'pre-2604']);
    const write = await flint.put(`/fhir/FlintApi/${apiId}`, { ...read.body, type: 'Patient' });
    assert.equal(write.status, 405);
    assert.deepEqual(issueCodes(write.body), ['platform.use-operation']);
    await flint.post('/fhir/$delete-api', parameters([string('apiId', apiId)]));
  });
});

describe('falling back to the auto-mounted storage', () => {
  it('makes the default tables when they are missing', async () => {
    const storageId = await createStorage(flint, storageParams({ sd: 'http://hl7.org/fhir/StructureDefinition/Basic|4.0.1', table: 'basic_elsewhere' }));
    const apiId = await createApi(flint, apiParams({ type: 'Basic', storageId }));
    await flint.db.query(raw('DROP TABLE basic, basic_history'));
    assert.equal((await flint.post('/fhir/$delete-api', parameters([string('apiId', apiId)]))).status, 200);
    const created = await flint.post('/fhir/Basic', { resourceType: 'Basic', code: { text: 'x' } });
    assert.equal(created.status, 201);
    assert.equal(await rowCount(flint, 'basic'), 1);
  });
});
