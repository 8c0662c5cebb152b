/**
 * ViewDefinition as a resource type of the server: served at /fhir/ViewDefinition with CRUD,
 * history and search by name, status, url and resource; its structure checked like any resource,
 * and what it means checked on write (a ViewDefinition that cannot run is not stored: 422 naming
 * the place).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { VIEW_DEFINITION_URL } from '../../src/sof/index.js';
import { issueCodes, startTestFlint, type TestFlint } from '../support/test-server.js';

let flint: TestFlint;
before(async () => { flint = await startTestFlint(); });
after(async () => { await flint.stop(); });

const view = (name: string, status = 'active') => ({
  resourceType: 'ViewDefinition', url: `http://example.org/views/${name}`, name, status, resource: 'Patient',
  constant: [{ name: 'use', valueCode: 'official' }],
  select: [
    { column: [{ name: 'id', path: 'getResourceKey()', type: 'id' }] },
    { forEachOrNull: 'name.where(use = %use)', column: [{ name: 'family', path: 'family', description: 'family name', tag: [{ name: 'ansi/type', value: 'VARCHAR' }] }],
      select: [{ repeat: ['extension'], column: [{ name: 'ext', path: 'url' }] }] },
    { unionAll: [{ column: [{ name: 'kind', path: "'a'" }] }, { column: [{ name: 'kind', path: "'b'" }] }] },
  ],
  where: [{ path: 'active.exists()', description: 'only patients that say whether they are active' }],
});

describe('the type', () => {
  it('is in the model with the SQL on FHIR canonical URL, and listed with its operations', async () => {
    assert.equal(flint.ctx.model.getType('ViewDefinition')?.url, VIEW_DEFINITION_URL);
    const statement = (await flint.get('/fhir/metadata')).body;
    const entry = statement.rest[0].resource.find((resource: any) => resource.type === 'ViewDefinition');
    assert.deepEqual(entry.operation.map((operation: any) => operation.name).sort(),
      ['changes', 'create-search-index', 'drop', 'drop-search-index', 'explain', 'materialize', 'refresh', 'run', 'search-indexes', 'validate']);
    assert.deepEqual(entry.searchParam.map((param: any) => param.name).filter((name: string) => !name.startsWith('_')).sort(), ['name', 'resource', 'status', 'url']);
  });
});

describe('interactions', () => {
  it('creates, reads, updates, keeps history and deletes', async () => {
    const created = await flint.post('/fhir/ViewDefinition', view('crud_view'));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const { id } = created.body;
    assert.deepEqual((await flint.get(`/fhir/ViewDefinition/${id}`)).body.select, view('crud_view').select);
    const updated = await flint.put(`/fhir/ViewDefinition/${id}`, { ...view('crud_view', 'retired'), id });
    assert.equal(updated.status, 200);
    const history = await flint.get(`/fhir/ViewDefinition/${id}/_history`);
    assert.deepEqual(history.body.entry.map((entry: any) => entry.resource.status), ['retired', 'active']);
    assert.equal((await flint.delete(`/fhir/ViewDefinition/${id}`)).status, 204);
    assert.equal((await flint.get(`/fhir/ViewDefinition/${id}`)).status, 410);
  });

  it('searches by name, status, url and resource', async () => {
    await flint.post('/fhir/ViewDefinition', view('search_patients', 'active'));
    await flint.post('/fhir/ViewDefinition', view('search_people', 'draft'));
    const observations = { resourceType: 'ViewDefinition', name: 'search_observations', status: 'active', resource: 'Observation', select: [{ column: [{ name: 'id', path: 'id' }] }] };
    assert.equal((await flint.post('/fhir/ViewDefinition', observations)).status, 201);
    const names = async (query: string) => {
      const answer = await flint.get(`/fhir/ViewDefinition?${query}`, { headers: { prefer: 'handling=strict' } });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      return (answer.body.entry ?? []).map((entry: any) => entry.resource.name).sort();
    };
    assert.deepEqual(await names('name=search_pe'), ['search_people']);
    assert.deepEqual(await names('name=SEARCH_P'), ['search_patients', 'search_people']);
    assert.deepEqual(await names('name:exact=search_p'), []);
    assert.deepEqual(await names('name=search&status=active'), ['search_observations', 'search_patients']);
    assert.deepEqual(await names('status=draft'), ['search_people']);
    assert.deepEqual(await names('url=http://example.org/views/search_people'), ['search_people']);
    assert.deepEqual(await names('name=search&resource=Observation'), ['search_observations']);
  });
});

describe('checks on write', () => {
  it('refuses what breaks the structure of the type (400)', async () => {
    const answer = await flint.post('/fhir/ViewDefinition', { ...view('bad_structure'), select: [{ forEach: 1, column: [] }] });
    assert.equal(answer.status, 400);
  });

  it('refuses a ViewDefinition that cannot run (422 naming the place), storing nothing', async () => {
    const before = (await flint.get('/fhir/ViewDefinition?_count=1000')).body.entry?.length ?? 0;
    const bad = view('bad_meaning');
    bad.select[1].column![0].path = 'family.frobnicate()';
    const answer = await flint.post('/fhir/ViewDefinition', bad);
    assert.equal(answer.status, 422);
    assert.deepEqual(issueCodes(answer.body), ['sof.unknown-function']);
    assert.deepEqual(answer.body.issue[0].expression, ['ViewDefinition.select[1].column[0].path']);
    assert.equal((await flint.get('/fhir/ViewDefinition?_count=1000')).body.entry?.length ?? 0, before);
  });

  it('refuses an update that would break a stored ViewDefinition', async () => {
    const { id } = (await flint.post('/fhir/ViewDefinition', view('kept_view'))).body;
    const answer = await flint.put(`/fhir/ViewDefinition/${id}`, { ...view('kept_view'), id, resource: 'Unicorn' });
    assert.equal(answer.status, 422);
    assert.deepEqual(issueCodes(answer.body), ['validation.binding-required', 'sof.unknown-resource']);
    assert.equal((await flint.get(`/fhir/ViewDefinition/${id}`)).body.resource, 'Patient');
  });
});
