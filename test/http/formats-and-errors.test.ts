/**
 * Content negotiation and bad input over HTTP: _format, _pretty, Accept, 415, 413, malformed
 * JSON, bad paths and methods, and that bad input changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { raw } from '../../src/sql/index.js';
import { issueCodes, startTestFlint, type TestFlint } from '../support/test-server.js';

let flint: TestFlint;
before(async () => { flint = await startTestFlint({ bodyLimit: 4096 }); });
after(async () => { await flint.stop(); });

const patient = { resourceType: 'Patient', active: true };

async function patientCount(): Promise<number> {
  const { rows } = await flint.db.query<{ n: string }>(raw('SELECT count(*) AS n FROM patient'));
  return Number(rows[0].n);
}

describe('media types', () => {
  it('answers application/fhir+json by default and application/json when asked', async () => {
    const created = (await flint.post('/fhir/Patient', patient)).body;
    assert.match((await flint.get(`/fhir/Patient/${created.id}`)).headers['content-type'] ?? '', /^application\/fhir\+json/);
    const json = await flint.get(`/fhir/Patient/${created.id}`, { headers: { accept: 'application/json' } });
    assert.match(json.headers['content-type'] ?? '', /^application\/json/);
    const format = await flint.get(`/fhir/Patient/${created.id}?_format=json`);
    assert.match(format.headers['content-type'] ?? '', /^application\/fhir\+json/);
  });

  it('accepts application/json request bodies', async () => {
    assert.equal((await flint.post('/fhir/Patient', patient, { contentType: 'application/json' })).status, 201);
  });

  it('indents with _pretty=true', async () => {
    const created = (await flint.post('/fhir/Patient', patient)).body;
    const pretty = await flint.get(`/fhir/Patient/${created.id}?_pretty=true`);
    assert.ok(pretty.text.includes('\n  "resourceType"'));
    assert.ok(!(await flint.get(`/fhir/Patient/${created.id}`)).text.includes('\n'));
  });

  it('answers 406 when only XML is acceptable, and picks JSON from a mixed Accept', async () => {
    const created = (await flint.post('/fhir/Patient', patient)).body;
    assert.equal((await flint.get(`/fhir/Patient/${created.id}`, { headers: { accept: 'application/fhir+xml' } })).status, 406);
    assert.equal((await flint.get(`/fhir/Patient/${created.id}?_format=xml`)).status, 406);
    const mixed = await flint.get(`/fhir/Patient/${created.id}`, { headers: { accept: 'application/fhir+xml;q=0.9, application/fhir+json' } });
    assert.equal(mixed.status, 200);
  });
});

describe('bad input changes nothing', () => {
  it('malformed JSON is 400', async () => {
    const before = await patientCount();
    const answer = await flint.post('/fhir/Patient', undefined, { raw: '{"resourceType": "Patient",' });
    assert.equal(answer.status, 400);
    assert.deepEqual(issueCodes(answer.body), ['http.malformed-json']);
    assert.equal(await patientCount(), before);
  });

  it('an unsupported media type is 415', async () => {
    const answer = await flint.post('/fhir/Patient', undefined, { raw: '<Patient/>', contentType: 'application/fhir+xml' });
    assert.equal(answer.status, 415);
    assert.equal(answer.body.resourceType, 'OperationOutcome');
  });

  it('a body over the limit is 413', async () => {
    const big = { resourceType: 'Patient', name: [{ text: 'x'.repeat(8000) }] };
    const answer = await flint.post('/fhir/Patient', big);
    assert.equal(answer.status, 413);
    assert.deepEqual(issueCodes(answer.body), ['http.body-too-large']);
  });

  it('a missing body, an array or a body without resourceType is 400', async () => {
    const before = await patientCount();
    assert.equal((await flint.post('/fhir/Patient', undefined, { raw: '', contentType: 'application/fhir+json' })).status, 400);
    assert.equal((await flint.post('/fhir/Patient', [1, 2])).status, 400);
    assert.equal((await flint.post('/fhir/Patient', { active: true })).status, 400);
    assert.equal(await patientCount(), before);
  });

  it('unknown paths are 404 and wrong methods 405, as OperationOutcomes', async () => {
    const unknown = await flint.get('/fhir/Patient/1/2/3/4/5');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.resourceType, 'OperationOutcome');
    const wrong = await flint.post('/fhir/Patient/123', patient);
    assert.equal(wrong.status, 405);
    assert.equal((await flint.get('/nothing-here')).status, 404);
  });

  it('an unknown operation is 404', async () => {
    assert.deepEqual(issueCodes((await flint.post('/fhir/Patient/$nope', {})).body), ['rest.unknown-operation']);
  });
});

describe('health', () => {
  it('reports the process and the database', async () => {
    const health = await flint.get('/health');
    assert.equal(health.status, 200);
    assert.equal(health.body.status, 'pass');
    assert.equal(health.body.checks.database.status, 'pass');
  });
});

describe('request ids', () => {
  it('returns x-request-id, echoing the client one', async () => {
    const answer = await flint.get('/health', { headers: { 'x-request-id': 'abc-123' } });
    assert.equal(answer.headers['x-request-id'], 'abc-123');
    assert.ok((await flint.get('/health')).headers['x-request-id']);
  });
});
