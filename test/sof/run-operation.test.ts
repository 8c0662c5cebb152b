/**
 * $run over HTTP (https://sql-on-fhir.org/ig/OperationDefinition-ViewDefinitionRun.html): a stored
 * or inline view, over stored resources (SQL) or given ones (in memory), as json, ndjson or csv,
 * narrowed by patient, group, _since and _limit; errors before any output; large outputs streamed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from '../../src/sql/index.js';
import { issueCodes, startTestFlint, type TestFlint } from '../support/test-server.js';

let flint: TestFlint;
const ids: Record<string, string> = {};

const observationView = {
  resourceType: 'ViewDefinition', name: 'observations', status: 'active', resource: 'Observation',
  select: [{ column: [
    { name: 'id', path: 'getResourceKey()' },
    { name: 'patient', path: 'subject.getReferenceKey(Patient)' },
    { name: 'code', path: 'code.coding.first().code' },
    { name: 'value', path: 'value.ofType(Quantity).value' },
  ] }],
};

const observation = (patient: string, code: string, value: number) => ({
  resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://loinc.org', code }] },
  subject: { reference: `Patient/${patient}` }, valueQuantity: { value, unit: 'mmHg' },
});

const parameters = (...parameter: unknown[]) => ({ resourceType: 'Parameters', parameter });

before(async () => {
  flint = await startTestFlint();
  for (const name of ['ann', 'bob']) ids[name] = (await flint.post('/fhir/Patient', { resourceType: 'Patient', name: [{ family: name }] })).body.id;
  await flint.post('/fhir/Observation', observation(ids.ann, '8480-6', 120));
  await flint.post('/fhir/Observation', observation(ids.ann, '8462-4', 80));
  await flint.post('/fhir/Observation', observation(ids.bob, '8480-6', 135.5));
  ids.view = (await flint.post('/fhir/ViewDefinition', observationView)).body.id;
  ids.group = (await flint.post('/fhir/Group', { resourceType: 'Group', type: 'person', actual: true, member: [{ entity: { reference: `Patient/${ids.bob}` } }] })).body.id;
});
after(async () => { await flint.stop(); });

const rowsOf = (body: any[]) => body.map((row) => `${row.patient === ids.ann ? 'ann' : 'bob'}:${row.code}:${row.value}`).sort();

describe('the view', () => {
  it('runs a stored view by instance (POST and GET)', async () => {
    const posted = await flint.post(`/fhir/ViewDefinition/${ids.view}/$run`, parameters());
    assert.equal(posted.status, 200);
    assert.match(posted.headers['content-type'] ?? '', /^application\/json/);
    assert.deepEqual(rowsOf(posted.body), ['ann:8462-4:80', 'ann:8480-6:120', 'bob:8480-6:135.5']);
    assert.deepEqual(Object.keys(posted.body[0]), ['id', 'patient', 'code', 'value']);
    const got = await flint.get(`/fhir/ViewDefinition/${ids.view}/$run`);
    assert.deepEqual(rowsOf(got.body), rowsOf(posted.body));
  });

  it('runs a stored view by viewReference and an inline one by viewResource', async () => {
    const byReference = await flint.post('/fhir/ViewDefinition/$run', parameters({ name: 'viewReference', valueReference: { reference: `ViewDefinition/${ids.view}` } }));
    assert.equal(byReference.body.length, 3);
    const inline = await flint.post('/fhir/ViewDefinition/$run', parameters({ name: 'viewResource', resource: { ...observationView, where: [{ path: 'value.ofType(Quantity).value > 100' }] } }));
    assert.deepEqual(rowsOf(inline.body), ['ann:8480-6:120', 'bob:8480-6:135.5']);
  });

  it('needs exactly one view', async () => {
    const none = await flint.post('/fhir/ViewDefinition/$run', parameters());
    assert.equal(none.status, 400);
    assert.deepEqual(issueCodes(none.body), ['sof.invalid-parameter']);
    const unknown = await flint.post('/fhir/ViewDefinition/nope/$run', parameters());
    assert.equal(unknown.status, 404);
    assert.deepEqual(issueCodes(unknown.body), ['sof.unknown-view']);
  });

  it('answers 422 naming the place of a view that cannot run', async () => {
    const bad = { ...observationView, select: [{ column: [{ name: 'x', path: 'value.ofType(Quantity).valu' }] }] };
    const answer = await flint.post('/fhir/ViewDefinition/$run', parameters({ name: 'viewResource', resource: bad }));
    assert.equal(answer.status, 422);
    assert.deepEqual(issueCodes(answer.body), ['sof.unknown-element']);
    assert.deepEqual(answer.body.issue[0].expression, ['ViewDefinition.select[0].column[0].path']);
  });
});

describe('formats', () => {
  it('answers ndjson: one object per line', async () => {
    const answer = await flint.get(`/fhir/ViewDefinition/${ids.view}/$run?_format=ndjson`);
    assert.match(answer.headers['content-type'] ?? '', /^application\/x-ndjson/);
    const lines = answer.text.trimEnd().split('\n').map((line) => JSON.parse(line));
    assert.deepEqual(rowsOf(lines), ['ann:8462-4:80', 'ann:8480-6:120', 'bob:8480-6:135.5']);
  });

  it('answers csv with a header, or without one (header=false)', async () => {
    const answer = await flint.post(`/fhir/ViewDefinition/${ids.view}/$run`, parameters({ name: '_format', valueCode: 'csv' }));
    assert.match(answer.headers['content-type'] ?? '', /^text\/csv/);
    const lines = answer.text.trimEnd().split('\r\n');
    assert.equal(lines[0], 'id,patient,code,value');
    assert.equal(lines.length, 4);
    assert.ok(lines.some((line) => line.endsWith(`,${ids.bob},8480-6,135.5`)));
    const bare = await flint.get(`/fhir/ViewDefinition/${ids.view}/$run?_format=csv&header=false`);
    assert.equal(bare.text.trimEnd().split('\r\n').length, 3);
  });

  it('quotes csv fields that need it and writes collections as JSON', async () => {
    const view = { resourceType: 'ViewDefinition', status: 'active', resource: 'Patient', select: [{ column: [{ name: 'family', path: 'name.family', collection: true }, { name: 'note', path: "'a, \"b\"'" }] }] };
    const answer = await flint.post('/fhir/ViewDefinition/$run?_format=csv', parameters({ name: 'viewResource', resource: view },
      { name: 'resource', resource: { resourceType: 'Patient', name: [{ family: 'x' }, { family: 'y' }] } }));
    assert.equal(answer.text, 'family,note\r\n"[""x"",""y""]","a, ""b"""\r\n');
  });

  it('refuses an unknown format', async () => {
    const answer = await flint.get(`/fhir/ViewDefinition/${ids.view}/$run?_format=parquet`);
    assert.equal(answer.status, 400);
    assert.deepEqual(issueCodes(answer.body), ['sof.invalid-parameter']);
  });
});

describe('narrowing', () => {
  it('keeps the patient\'s compartment (patient) and the group\'s members (group)', async () => {
    const ann = await flint.post(`/fhir/ViewDefinition/${ids.view}/$run`, parameters({ name: 'patient', valueReference: { reference: `Patient/${ids.ann}` } }));
    assert.deepEqual(rowsOf(ann.body), ['ann:8462-4:80', 'ann:8480-6:120']);
    const group = await flint.get(`/fhir/ViewDefinition/${ids.view}/$run?group=Group/${ids.group}`);
    assert.deepEqual(rowsOf(group.body), ['bob:8480-6:135.5']);
    const unknownGroup = await flint.get(`/fhir/ViewDefinition/${ids.view}/$run?group=nope`);
    assert.equal(unknownGroup.status, 404);
  });

  it('keeps a patient view to the patient itself', async () => {
    const view = { resourceType: 'ViewDefinition', status: 'active', resource: 'Patient', select: [{ column: [{ name: 'family', path: 'name.family.first()' }] }] };
    const answer = await flint.post('/fhir/ViewDefinition/$run', parameters({ name: 'viewResource', resource: view }, { name: 'patient', valueReference: { reference: `Patient/${ids.bob}` } }));
    assert.deepEqual(answer.body, [{ family: 'bob' }]);
  });

  it('keeps resources changed since _since', async () => {
    const future = await flint.get(`/fhir/ViewDefinition/${ids.view}/$run?_since=2999-01-01T00:00:00Z`);
    assert.deepEqual(future.body, []);
    const past = await flint.get(`/fhir/ViewDefinition/${ids.view}/$run?_since=2000-01-01T00:00:00Z`);
    assert.equal(past.body.length, 3);
    const malformed = await flint.get(`/fhir/ViewDefinition/${ids.view}/$run?_since=yesterday`);
    assert.equal(malformed.status, 400);
  });

  it('stops at _limit rows', async () => {
    const answer = await flint.post(`/fhir/ViewDefinition/${ids.view}/$run`, parameters({ name: '_limit', valueInteger: 2 }));
    assert.equal(answer.body.length, 2);
  });
});

describe('given resources (in memory)', () => {
  const view = {
    resourceType: 'ViewDefinition', status: 'active', resource: 'Observation',
    select: [{ column: [{ name: 'patient', path: 'subject.getReferenceKey(Patient)' }, { name: 'low', path: 'value.ofType(Quantity).value.lowBoundary()' }] }],
  };

  it('runs the view on the resource parameters only, with decimals as written', async () => {
    const body = `{"resourceType":"Parameters","parameter":[{"name":"viewResource","resource":${JSON.stringify(view)}},
      {"name":"resource","resource":{"resourceType":"Observation","status":"final","code":{"text":"x"},"subject":{"reference":"Patient/p1"},"valueQuantity":{"value":1.0}}},
      {"name":"resource","resource":{"resourceType":"Patient","id":"p1"}},
      {"name":"patient","valueReference":{"reference":"Patient/p1"}}]}`;
    const answer = await flint.post('/fhir/ViewDefinition/$run', undefined, { raw: body, contentType: 'application/fhir+json' });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, [{ patient: 'p1', low: 0.95 }]);
  });

  it('answers 422 when a column meets several values, in memory as in SQL', async () => {
    const several = { ...view, select: [{ column: [{ name: 'code', path: 'code.coding.code' }] }] };
    const two = { resourceType: 'Observation', status: 'final', code: { coding: [{ code: 'a' }, { code: 'b' }] } };
    const memory = await flint.post('/fhir/ViewDefinition/$run', parameters({ name: 'viewResource', resource: several }, { name: 'resource', resource: two }));
    assert.equal(memory.status, 422);
    assert.deepEqual(issueCodes(memory.body), ['sof.multiple-values']);
    await flint.post('/fhir/Observation', two);
    const stored = await flint.post('/fhir/ViewDefinition/$run', parameters({ name: 'viewResource', resource: several }));
    assert.equal(stored.status, 422);
    assert.deepEqual(issueCodes(stored.body), ['sof.multiple-values']);
  });
});

describe('stored data of another shape than the model', () => {
  it('answers 422 sof.evaluation, not a server error', async () => {
    const view = { resourceType: 'ViewDefinition', status: 'active', resource: 'Encounter', select: [{ forEach: 'participant', column: [{ name: 'p', path: 'individual.getReferenceKey()' }] }] };
    await flint.db.query(sql`INSERT INTO encounter (id, txid, ts, cts, resource_type, status, resource)
      VALUES ('bent', nextval('transaction_id_seq'), now(), now(), 'Encounter', 'created', '{"status":"finished","participant":{"individual":{"reference":"Practitioner/1"}}}'::jsonb)`);
    const answer = await flint.post('/fhir/ViewDefinition/$run', parameters({ name: 'viewResource', resource: view }));
    assert.equal(answer.status, 422);
    assert.deepEqual(issueCodes(answer.body), ['sof.evaluation']);
  });
});

describe('large outputs', () => {
  it('streams every row of a view over thousands of resources', async () => {
    const entries = Array.from({ length: 2500 }, (_, i) => ({ resource: observation(ids.bob, `c${i}`, i), request: { method: 'POST', url: 'Observation' } }));
    const bundle = await flint.post('/fhir', { resourceType: 'Bundle', type: 'transaction', entry: entries });
    assert.equal(bundle.status, 200);
    const answer = await flint.get(`/fhir/ViewDefinition/${ids.view}/$run?_format=ndjson&patient=${ids.bob}`);
    const lines = answer.text.trimEnd().split('\n');
    assert.ok(lines.length >= 2501);
    assert.equal(new Set(lines.map((line) => JSON.parse(line).id)).size, lines.length);
  });
});

describe('in a batch', () => {
  it('answers $run as a Binary holding the output', async () => {
    const answer = await flint.post('/fhir', { resourceType: 'Bundle', type: 'batch', entry: [{ request: { method: 'GET', url: `ViewDefinition/${ids.view}/$run?_format=csv&_limit=1` } }] });
    const entry = answer.body.entry[0];
    assert.equal(entry.response.status, '200 OK');
    assert.equal(entry.resource.resourceType, 'Binary');
    assert.equal(entry.resource.contentType, 'text/csv');
    assert.equal(Buffer.from(entry.resource.data, 'base64').toString().split('\r\n')[0], 'id,patient,code,value');
  });
});
