/**
 * The basic interactions over HTTP (http://hl7.org/fhir/R4/http.html): create, read, vread,
 * update, update-as-create, delete, with their status codes and headers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { issueCodes, startTestFlint, type TestFlint } from '../support/test-server.js';

let flint: TestFlint;
before(async () => { flint = await startTestFlint(); });
after(async () => { await flint.stop(); });

const patient = { resourceType: 'Patient', name: [{ family: 'Chalmers', given: ['Peter'] }], gender: 'male', birthDate: '1974-12-25' };

describe('create', () => {
  it('assigns an id and answers 201 with Location, ETag, Last-Modified and the resource', async () => {
    const created = await flint.post('/fhir/Patient', patient);
    assert.equal(created.status, 201);
    const { id, meta } = created.body;
    assert.match(id, /^[0-9a-f-]{36}$/);
    assert.match(meta.versionId, /^\d+$/);
    assert.match(meta.lastUpdated, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    assert.equal(created.headers.location, `http://flint.test/fhir/Patient/${id}/_history/${meta.versionId}`);
    assert.equal(created.headers.etag, `W/"${meta.versionId}"`);
    assert.equal(created.headers['last-modified'], new Date(meta.lastUpdated).toUTCString());
    assert.deepEqual(created.body.name, patient.name);
    assert.match(created.headers['content-type'] ?? '', /^application\/fhir\+json/);
  });

  it('ignores an id in the body', async () => {
    const created = await flint.post('/fhir/Patient', { ...patient, id: 'client-chosen' });
    assert.equal(created.status, 201);
    assert.notEqual(created.body.id, 'client-chosen');
  });

  it('keeps meta.profile and meta.tag but replaces versionId and lastUpdated', async () => {
    const created = await flint.post('/fhir/Patient', {
      ...patient, meta: { versionId: '999', lastUpdated: '2000-01-01T00:00:00Z', tag: [{ system: 'urn:t', code: 'x' }] },
    });
    assert.deepEqual(created.body.meta.tag, [{ system: 'urn:t', code: 'x' }]);
    assert.notEqual(created.body.meta.versionId, '999');
    assert.notEqual(created.body.meta.lastUpdated, '2000-01-01T00:00:00Z');
  });

  it('rejects a body of another type than the URL (400)', async () => {
    const answer = await flint.post('/fhir/Patient', { resourceType: 'Observation', status: 'final', code: { text: 'x' } });
    assert.equal(answer.status, 400);
    assert.deepEqual(issueCodes(answer.body), ['rest.type-mismatch']);
  });

  it('answers 404 for an unknown type', async () => {
    const answer = await flint.post('/fhir/Unicorn', { resourceType: 'Unicorn' });
    assert.equal(answer.status, 404);
    assert.equal(answer.body.resourceType, 'OperationOutcome');
  });
});

describe('read and vread', () => {
  it('reads the current version with its headers', async () => {
    const created = (await flint.post('/fhir/Patient', patient)).body;
    const read = await flint.get(`/fhir/Patient/${created.id}`);
    assert.equal(read.status, 200);
    assert.deepEqual(read.body, created);
    assert.equal(read.headers.etag, `W/"${created.meta.versionId}"`);
  });

  it('answers 404 for an unknown id and for an unknown version', async () => {
    assert.equal((await flint.get('/fhir/Patient/does-not-exist')).status, 404);
    const created = (await flint.post('/fhir/Patient', patient)).body;
    const missing = await flint.get(`/fhir/Patient/${created.id}/_history/1`);
    assert.equal(missing.status, 404);
    assert.deepEqual(issueCodes(missing.body), ['rest.version-not-found']);
    assert.equal((await flint.get(`/fhir/Patient/${created.id}/_history/abc`)).status, 404);
  });

  it('reads every version with vread', async () => {
    const v1 = (await flint.post('/fhir/Patient', patient)).body;
    const v2 = (await flint.put(`/fhir/Patient/${v1.id}`, { ...patient, id: v1.id, gender: 'female' })).body;
    assert.equal((await flint.get(`/fhir/Patient/${v1.id}/_history/${v1.meta.versionId}`)).body.gender, 'male');
    assert.equal((await flint.get(`/fhir/Patient/${v1.id}/_history/${v2.meta.versionId}`)).body.gender, 'female');
  });

  it('answers 304 to If-None-Match with the current ETag and to If-Modified-Since after the change', async () => {
    const created = (await flint.post('/fhir/Patient', patient)).body;
    const etag = `W/"${created.meta.versionId}"`;
    assert.equal((await flint.get(`/fhir/Patient/${created.id}`, { headers: { 'if-none-match': etag } })).status, 304);
    assert.equal((await flint.get(`/fhir/Patient/${created.id}`, { headers: { 'if-none-match': 'W/"1"' } })).status, 200);
    const later = new Date(Date.parse(created.meta.lastUpdated) + 5000).toUTCString();
    const earlier = new Date(Date.parse(created.meta.lastUpdated) - 5000).toUTCString();
    assert.equal((await flint.get(`/fhir/Patient/${created.id}`, { headers: { 'if-modified-since': later } })).status, 304);
    assert.equal((await flint.get(`/fhir/Patient/${created.id}`, { headers: { 'if-modified-since': earlier } })).status, 200);
  });
});

describe('update', () => {
  it('writes a new version (200) and keeps the old one readable', async () => {
    const v1 = (await flint.post('/fhir/Patient', patient)).body;
    const updated = await flint.put(`/fhir/Patient/${v1.id}`, { ...patient, id: v1.id, active: true });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.active, true);
    assert.ok(BigInt(updated.body.meta.versionId) > BigInt(v1.meta.versionId));
    assert.equal(updated.headers.etag, `W/"${updated.body.meta.versionId}"`);
  });

  it('creates with the client id when absent (201)', async () => {
    const answer = await flint.put('/fhir/Patient/client-id-1', { ...patient, id: 'client-id-1' });
    assert.equal(answer.status, 201);
    assert.equal(answer.body.id, 'client-id-1');
    assert.equal((await flint.get('/fhir/Patient/client-id-1')).status, 200);
  });

  it('requires the body id to equal the URL id (400)', async () => {
    const missing = await flint.put('/fhir/Patient/abc', patient);
    assert.equal(missing.status, 400);
    assert.deepEqual(issueCodes(missing.body), ['rest.missing-id']);
    const other = await flint.put('/fhir/Patient/abc', { ...patient, id: 'xyz' });
    assert.equal(other.status, 400);
    assert.deepEqual(issueCodes(other.body), ['rest.id-mismatch']);
  });

  it('rejects an id that is not a FHIR id (400)', async () => {
    const answer = await flint.put('/fhir/Patient/bad_id!', { ...patient, id: 'bad_id!' });
    assert.equal(answer.status, 400);
  });

  it('honours If-Match: 412 on another version, 200 on the current one', async () => {
    const v1 = (await flint.post('/fhir/Patient', patient)).body;
    const stale = await flint.put(`/fhir/Patient/${v1.id}`, { ...patient, id: v1.id }, { headers: { 'if-match': 'W/"1"' } });
    assert.equal(stale.status, 412);
    assert.deepEqual(issueCodes(stale.body), ['rest.version-conflict']);
    const fresh = await flint.put(`/fhir/Patient/${v1.id}`, { ...patient, id: v1.id }, { headers: { 'if-match': `W/"${v1.meta.versionId}"` } });
    assert.equal(fresh.status, 200);
  });
});

describe('delete', () => {
  it('answers 204, then reads give 410 Gone and the old version stays readable', async () => {
    const created = (await flint.post('/fhir/Patient', patient)).body;
    const deleted = await flint.delete(`/fhir/Patient/${created.id}`);
    assert.equal(deleted.status, 204);
    const gone = await flint.get(`/fhir/Patient/${created.id}`);
    assert.equal(gone.status, 410);
    assert.deepEqual(issueCodes(gone.body), ['rest.deleted']);
    assert.equal((await flint.get(`/fhir/Patient/${created.id}/_history/${created.meta.versionId}`)).status, 200);
    const markerVersion = gone.headers.etag?.replace(/^W\/"(.*)"$/, '$1');
    assert.equal((await flint.get(`/fhir/Patient/${created.id}/_history/${markerVersion}`)).status, 410);
  });

  it('succeeds for an id that never existed', async () => {
    assert.equal((await flint.delete('/fhir/Patient/never-there')).status, 204);
  });

  it('lets a deleted id be created again', async () => {
    const created = await flint.put('/fhir/Patient/again-1', { ...patient, id: 'again-1' });
    assert.equal(created.status, 201);
    await flint.delete('/fhir/Patient/again-1');
    const recreated = await flint.put('/fhir/Patient/again-1', { ...patient, id: 'again-1' });
    assert.equal(recreated.status, 201);
    assert.equal((await flint.get('/fhir/Patient/again-1')).status, 200);
  });
});

describe('Prefer return', () => {
  it('returns nothing for minimal, an OperationOutcome when asked, the resource by default', async () => {
    const minimal = await flint.post('/fhir/Patient', patient, { headers: { prefer: 'return=minimal' } });
    assert.equal(minimal.status, 201);
    assert.equal(minimal.text, '');
    assert.ok(minimal.headers.location);
    const outcome = await flint.post('/fhir/Patient', patient, { headers: { prefer: 'return=OperationOutcome' } });
    assert.equal(outcome.body.resourceType, 'OperationOutcome');
    const representation = await flint.post('/fhir/Patient', patient, { headers: { prefer: 'return=representation' } });
    assert.equal(representation.body.resourceType, 'Patient');
  });
});
