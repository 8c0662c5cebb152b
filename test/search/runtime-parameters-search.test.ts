/**
 * SearchParameters created at run time (http://hl7.org/fhir/R4/searchparameter.html) take effect
 * at commit with no reindex step: on a custom resource type, on an extension, and when their
 * expression changes or they are deleted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { widgetDefinition } from '../support/custom-types.js';
import { issueCodes, startTestFlint, type TestFlint } from '../support/test-server.js';
import { searchIds } from './search-cases.js';

let flint: TestFlint;
const STRICT = { headers: { prefer: 'handling=strict' } };

const parameter = (code: string, base: string, type: string, expression: string) => ({
  resourceType: 'SearchParameter', url: `http://example.org/fhir/SearchParameter/${base}-${code}`, name: code, status: 'active',
  description: code, code, base: [base], type, expression,
});

before(async () => {
  flint = await startTestFlint();
  assert.equal((await flint.post('/fhir/StructureDefinition', widgetDefinition('Gadget'))).status, 201);
  for (const [id, name, size] of [['g1', 'Sprocket', 3], ['g2', 'Spring', 12], ['g3', 'Cog', 7]] as const) {
    assert.equal((await flint.put(`/fhir/Gadget/${id}`, { resourceType: 'Gadget', id, name, size })).status, 201);
  }
  for (const [id, shift] of [['n1', 'night'], ['n2', 'day']] as const) {
    await flint.put(`/fhir/Practitioner/${id}`, {
      resourceType: 'Practitioner', id, extension: [{ url: 'http://example.org/shift', valueCoding: { system: 'http://example.org/shifts', code: shift } }],
    });
  }
});
after(async () => { await flint.stop(); });

describe('run-time search parameters', () => {
  it('search a custom resource type as soon as they are created', async () => {
    assert.equal((await flint.get('/fhir/Gadget?name=spr', STRICT)).status, 400);
    assert.equal((await flint.post('/fhir/SearchParameter', parameter('name', 'Gadget', 'string', 'Gadget.name'))).status, 201);
    assert.equal((await flint.post('/fhir/SearchParameter', parameter('size', 'Gadget', 'number', 'Gadget.size'))).status, 201);
    assert.deepEqual(await searchIds(flint, '/fhir/Gadget', 'name=spr', STRICT), ['g1', 'g2']);
    assert.deepEqual(await searchIds(flint, '/fhir/Gadget', 'size=gt5', STRICT), ['g2', 'g3']);
    assert.deepEqual(await searchIds(flint, '/fhir/Gadget', 'name=s&size=lt10', STRICT), ['g1']);
    const sorted = await flint.get('/fhir/Gadget?_sort=-size', STRICT);
    assert.deepEqual(sorted.body.entry.map((entry: any) => entry.resource.id), ['g2', 'g3', 'g1']);
  });

  it('search an extension, and follow a change of expression and a delete', async () => {
    const created = await flint.post('/fhir/SearchParameter', parameter('shift', 'Practitioner', 'token', "Practitioner.extension('http://example.org/shift').value"));
    assert.equal(created.status, 201);
    assert.deepEqual(await searchIds(flint, '/fhir/Practitioner', 'shift=http://example.org/shifts|night', STRICT), ['n1']);
    const changed = { ...parameter('shift', 'Practitioner', 'token', "Practitioner.extension.where(url = 'http://example.org/other').value"), id: created.body.id };
    assert.equal((await flint.put(`/fhir/SearchParameter/${created.body.id}`, changed)).status, 200);
    assert.deepEqual(await searchIds(flint, '/fhir/Practitioner', 'shift=night', STRICT), []);
    assert.equal((await flint.delete(`/fhir/SearchParameter/${created.body.id}`)).status, 204);
    const gone = await flint.get('/fhir/Practitioner?shift=night', STRICT);
    assert.equal(gone.status, 400);
    assert.deepEqual(issueCodes(gone.body), ['search.unknown-parameter']);
  });

  it('can get an index of their own', async () => {
    const answer = await flint.post('/fhir/Gadget/$create-search-index', { resourceType: 'Parameters', parameter: [{ name: 'code', valueCode: 'name' }] });
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(await searchIds(flint, '/fhir/Gadget', 'name=cog', STRICT), ['g3']);
  });
});
