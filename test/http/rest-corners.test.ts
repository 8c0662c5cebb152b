/**
 * Corners of the REST API (http://hl7.org/fhir/R4/http.html, RFC 9110 where the spec is silent):
 * If-None-Match on writes, Allow on every 405, the ETag of the CapabilityStatement, PATCH in
 * history.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { issueCodes, startTestFlint, usingPostgresNote, type TestFlint } from '../support/test-server.js';

let flint: TestFlint;
before(async () => { flint = await startTestFlint(); });
after(async () => { await flint.stop(); });

const patient = (id: string, extra: object = {}) => ({ resourceType: 'Patient', id, ...extra });

describe(`If-None-Match on writes (${usingPostgresNote()})`, () => {
  it('PUT with If-None-Match: * creates a new id and refuses an existing one with 412, changing nothing', async () => {
    const created = await flint.put('/fhir/Patient/inm-1', patient('inm-1', { active: true }), { headers: { 'if-none-match': '*' } });
    assert.equal(created.status, 201);
    const again = await flint.put('/fhir/Patient/inm-1', patient('inm-1', { active: false }), { headers: { 'if-none-match': '*' } });
    assert.equal(again.status, 412);
    assert.deepEqual(issueCodes(again.body), ['rest.if-none-match-exists']);
    const current = (await flint.get('/fhir/Patient/inm-1')).body;
    assert.equal(current.active, true);
    assert.equal(current.meta.versionId, created.body.meta.versionId);
    assert.equal((await flint.get('/fhir/Patient/inm-1/_history')).body.total, 1);
  });

  it('refuses If-None-Match naming the current version, accepts another version', async () => {
    const v1 = (await flint.put('/fhir/Patient/inm-2', patient('inm-2'))).body;
    const same = await flint.put('/fhir/Patient/inm-2', patient('inm-2', { active: true }), { headers: { 'if-none-match': `W/"${v1.meta.versionId}"` } });
    assert.equal(same.status, 412);
    const other = await flint.put('/fhir/Patient/inm-2', patient('inm-2', { active: true }), { headers: { 'if-none-match': 'W/"0"' } });
    assert.equal(other.status, 200);
  });

  it('applies to a PUT entry of a transaction (request.ifNoneMatch), failing the whole Bundle', async () => {
    await flint.put('/fhir/Patient/inm-3', patient('inm-3'));
    const bundle = {
      resourceType: 'Bundle', type: 'transaction', entry: [
        { resource: { resourceType: 'Patient', active: true }, request: { method: 'POST', url: 'Patient' } },
        { resource: patient('inm-3', { active: true }), request: { method: 'PUT', url: 'Patient/inm-3', ifNoneMatch: '*' } },
      ],
    };
    const answer = await flint.post('/fhir', bundle);
    assert.equal(answer.status, 412);
    assert.equal((await flint.get('/fhir/Patient/inm-3')).body.active, undefined);
  });
});

describe('405 Method Not Allowed carries Allow', () => {
  const cases: [method: string, url: string, allow: string][] = [
    ['PUT', '/fhir/metadata', 'GET, HEAD'],
    ['DELETE', '/fhir', 'GET, HEAD, POST'],
    ['PATCH', '/fhir/_history', 'GET, HEAD'],
    ['DELETE', '/fhir/_search', 'GET, HEAD, POST'],
    ['PUT', '/fhir/Patient/_search', 'GET, HEAD, POST'],
    ['POST', '/fhir/Patient/_history', 'GET, HEAD'],
    ['POST', '/fhir/Patient/p1', 'GET, HEAD, PUT, PATCH, DELETE'],
    ['DELETE', '/fhir/Patient/p1/_history', 'GET, HEAD'],
    ['PUT', '/fhir/Patient/p1/_history/1', 'GET, HEAD'],
    ['POST', '/fhir/Patient/p1/Observation', 'GET, HEAD'],
    ['GET', '/fhir/$create-storage', 'POST'],
    ['PUT', '/fhir/$create-storage', 'POST'],
  ];
  for (const [method, url, allow] of cases) {
    it(`${method} ${url} -> 405, Allow: ${allow}`, async () => {
      const answer = await flint.request(method, url, method === 'GET' || method === 'DELETE' ? undefined : { resourceType: 'Patient' });
      assert.equal(answer.status, 405, answer.text);
      assert.equal(answer.headers.allow, allow);
    });
  }

  it('a write of a FlintStorage record outside its operations is 405 with Allow: GET, HEAD', async () => {
    const answer = await flint.post('/fhir/FlintStorage', {
      resourceType: 'FlintStorage', structureDefinition: 'http://hl7.org/fhir/StructureDefinition/Observation', storageType: 'default', tableName: 'sneaky',
    });
    assert.equal(answer.status, 405, answer.text);
    assert.equal(answer.headers.allow, 'GET, HEAD');
  });
});

describe('ETag of the CapabilityStatement', () => {
  it('GET /fhir/metadata carries a stable weak ETag and answers 304 to If-None-Match', async () => {
    const first = await flint.get('/fhir/metadata');
    assert.equal(first.status, 200);
    assert.match(first.headers.etag ?? '', /^W\/"[^"]+"$/);
    const second = await flint.get('/fhir/metadata');
    assert.equal(second.headers.etag, first.headers.etag);
    const revalidated = await flint.get('/fhir/metadata', { headers: { 'if-none-match': first.headers.etag as string } });
    assert.equal(revalidated.status, 304);
    assert.equal(revalidated.headers.etag, first.headers.etag);
    const stale = await flint.get('/fhir/metadata', { headers: { 'if-none-match': 'W/"other"' } });
    assert.equal(stale.status, 200);
  });
});

describe(`history of a PATCH (${usingPostgresNote()})`, () => {
  it('says PATCH in request.method, in the instance, type and system history', async () => {
    const created = (await flint.post('/fhir/Basic', { resourceType: 'Basic', code: { text: 'patched' } })).body;
    const patched = await flint.patch(`/fhir/Basic/${created.id}`, [{ op: 'add', path: '/subject', value: { display: 'x' } }],
      { contentType: 'application/json-patch+json' });
    assert.equal(patched.status, 200);
    await flint.put(`/fhir/Basic/${created.id}`, { ...patched.body, meta: undefined });
    const history = (await flint.get(`/fhir/Basic/${created.id}/_history`)).body;
    assert.deepEqual(history.entry.map((entry: any) => entry.request.method), ['PUT', 'PATCH', 'POST']);
    assert.equal(history.entry[1].request.url, `Basic/${created.id}`);
    assert.equal(history.entry[1].response.status, '200');
    assert.equal(history.entry[1].resource.subject.display, 'x');
    const typeHistory = (await flint.get('/fhir/Basic/_history')).body;
    assert.ok(typeHistory.entry.some((entry: any) => entry.request.method === 'PATCH' && entry.resource.id === created.id));
    assert.equal((await flint.get(`/fhir/Basic/${created.id}`)).body.subject.display, 'x');
  });
});
