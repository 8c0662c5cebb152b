/**
 * read and vread answer the JSON text PostgreSQL builds (storage/resource-text.ts): resourceType,
 * id and meta first, meta with the stored members plus versionId and lastUpdated, the same resource
 * a parsed answer would give, and the same headers; _pretty, 304, batch entries and the native API
 * still work on it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestFlint, type TestFlint } from '../support/test-server.js';

let flint: TestFlint;
before(async () => { flint = await startTestFlint(); });
after(async () => { await flint.stop(); });

const INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('reads from the database JSON text', () => {
  it('starts with resourceType, id and meta, and holds what was written', async () => {
    const written = { resourceType: 'Patient', id: 'text-1', meta: { tag: [{ system: 'urn:t', code: 'x' }] }, name: [{ family: 'Ünïcode "quoted" \\ 😀' }], active: true };
    const put = await flint.put('/fhir/Patient/text-1', written);
    assert.equal(put.status, 201, put.text);
    const read = await flint.get('/fhir/Patient/text-1');
    assert.equal(read.status, 200);
    assert.ok(read.text.startsWith('{"resourceType": "Patient", "id": "text-1", "meta": {'), read.text);
    assert.deepEqual(read.body, put.body);
    assert.deepEqual(read.body.meta, { tag: written.meta.tag, versionId: put.body.meta.versionId, lastUpdated: put.body.meta.lastUpdated });
    assert.match(read.body.meta.lastUpdated, INSTANT);
    assert.equal(read.headers.etag, `W/"${put.body.meta.versionId}"`);
    assert.equal(read.headers['last-modified'], new Date(put.body.meta.lastUpdated).toUTCString());
    assert.match(read.headers['content-type'] ?? '', /^application\/fhir\+json/);
  });

  it('a resource with nothing but its type and id', async () => {
    await flint.put('/fhir/Patient/text-empty', { resourceType: 'Patient', id: 'text-empty' });
    const read = await flint.get('/fhir/Patient/text-empty');
    assert.deepEqual(Object.keys(read.body), ['resourceType', 'id', 'meta']);
    assert.deepEqual(Object.keys(read.body.meta).sort(), ['lastUpdated', 'versionId']);
  });

  it('vread of an older version, and _pretty', async () => {
    const first = await flint.put('/fhir/Patient/text-2', { resourceType: 'Patient', id: 'text-2', gender: 'male' });
    await flint.put('/fhir/Patient/text-2', { resourceType: 'Patient', id: 'text-2', gender: 'female' });
    const old = await flint.get(`/fhir/Patient/text-2/_history/${first.body.meta.versionId}`);
    assert.equal(old.status, 200);
    assert.equal(old.body.gender, 'male');
    assert.deepEqual(old.body.meta, first.body.meta);
    const pretty = await flint.get('/fhir/Patient/text-2?_pretty=true');
    assert.ok(pretty.text.startsWith('{\n  "resourceType": "Patient",\n  "id": "text-2",\n  "meta": {'), pretty.text);
    assert.equal(pretty.body.gender, 'female');
  });

  it('304 for a current If-None-Match, 410 for a deleted resource', async () => {
    const put = await flint.put('/fhir/Patient/text-3', { resourceType: 'Patient', id: 'text-3' });
    const notModified = await flint.get('/fhir/Patient/text-3', { headers: { 'if-none-match': `W/"${put.body.meta.versionId}"` } });
    assert.equal(notModified.status, 304);
    assert.equal(notModified.text, '');
    await flint.delete('/fhir/Patient/text-3');
    assert.equal((await flint.get('/fhir/Patient/text-3')).status, 410);
  });

  it('batch GET entries and the native API get the resource', async () => {
    const put = await flint.put('/fhir/Patient/text-4', { resourceType: 'Patient', id: 'text-4', birthDate: '2000-01-01' });
    const batch = await flint.post('/fhir', { resourceType: 'Bundle', type: 'batch', entry: [{ request: { method: 'GET', url: 'Patient/text-4' } }] });
    assert.equal(batch.status, 200);
    assert.deepEqual(batch.body.entry[0].resource, put.body);
    assert.equal(batch.body.entry[0].response.lastModified, put.body.meta.lastUpdated);
    const native = await flint.get('/Patient/text-4');
    assert.equal(native.status, 200);
    assert.equal(native.body.birthDate, '2000-01-01');
    assert.equal(native.body.meta.versionId, put.body.meta.versionId);
  });
});
