/**
 * Conditional create, update, patch and delete (http://hl7.org/fhir/R4/http.html#ccreate,
 * #cond-update, #cdelete, #patch).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { issueCodes, startTestFlint, type TestFlint } from '../support/test-server.js';

let flint: TestFlint;
before(async () => { flint = await startTestFlint(); });
after(async () => { await flint.stop(); });

const withIdentifier = (value: string, extra: object = {}) => ({
  resourceType: 'Patient', identifier: [{ system: 'urn:mrn', value }], ...extra,
});

describe('conditional create (If-None-Exist)', () => {
  it('creates when nothing matches, returns the match (200) when one does', async () => {
    const headers = { 'if-none-exist': 'identifier=urn:mrn|c-1' };
    const first = await flint.post('/fhir/Patient', withIdentifier('c-1'), { headers });
    assert.equal(first.status, 201);
    const second = await flint.post('/fhir/Patient', withIdentifier('c-1', { active: true }), { headers });
    assert.equal(second.status, 200);
    assert.equal(second.body.id, first.body.id);
    assert.equal(second.body.active, undefined);
  });

  it('answers 412 when several match', async () => {
    await flint.post('/fhir/Patient', withIdentifier('c-2'));
    await flint.post('/fhir/Patient', withIdentifier('c-2'));
    const answer = await flint.post('/fhir/Patient', withIdentifier('c-2'), { headers: { 'if-none-exist': 'identifier=urn:mrn|c-2' } });
    assert.equal(answer.status, 412);
  });

  it('rejects unknown parameters in the criteria (400)', async () => {
    const answer = await flint.post('/fhir/Patient', withIdentifier('c-3'), { headers: { 'if-none-exist': 'nonsense=1' } });
    assert.equal(answer.status, 400);
  });
});

describe('conditional update', () => {
  it('creates on no match, updates the one match, 412 on several', async () => {
    const created = await flint.put('/fhir/Patient?identifier=urn:mrn|u-1', withIdentifier('u-1'));
    assert.equal(created.status, 201);
    const updated = await flint.put('/fhir/Patient?identifier=urn:mrn|u-1', withIdentifier('u-1', { active: true }));
    assert.equal(updated.status, 200);
    assert.equal(updated.body.id, created.body.id);
    assert.equal(updated.body.active, true);
    await flint.post('/fhir/Patient', withIdentifier('u-1'));
    assert.equal((await flint.put('/fhir/Patient?identifier=urn:mrn|u-1', withIdentifier('u-1'))).status, 412);
  });

  it('rejects a body id that differs from the match', async () => {
    const created = (await flint.post('/fhir/Patient', withIdentifier('u-2'))).body;
    const answer = await flint.put('/fhir/Patient?identifier=urn:mrn|u-2', { ...withIdentifier('u-2'), id: 'other' });
    assert.equal(answer.status, 400);
    assert.equal((await flint.get(`/fhir/Patient/${created.id}`)).body.meta.versionId, created.meta.versionId);
  });
});

describe('conditional patch', () => {
  it('patches the one match, 404 on none, 412 on several', async () => {
    const created = (await flint.post('/fhir/Patient', withIdentifier('p-1'))).body;
    const ops = [{ op: 'add', path: '/active', value: true }];
    const options = { contentType: 'application/json-patch+json' };
    const patched = await flint.patch('/fhir/Patient?identifier=urn:mrn|p-1', ops, options);
    assert.equal(patched.status, 200);
    assert.equal(patched.body.id, created.id);
    assert.equal(patched.body.active, true);
    assert.equal((await flint.patch('/fhir/Patient?identifier=urn:mrn|nobody', ops, options)).status, 404);
    await flint.post('/fhir/Patient', withIdentifier('p-1'));
    assert.equal((await flint.patch('/fhir/Patient?identifier=urn:mrn|p-1', ops, options)).status, 412);
  });
});

describe('conditional delete', () => {
  it('deletes the one match; several only with _multiple=true', async () => {
    const one = (await flint.post('/fhir/Patient', withIdentifier('d-1'))).body;
    assert.equal((await flint.delete('/fhir/Patient?identifier=urn:mrn|d-1')).status, 204);
    assert.equal((await flint.get(`/fhir/Patient/${one.id}`)).status, 410);
    const a = (await flint.post('/fhir/Patient', withIdentifier('d-2'))).body;
    const b = (await flint.post('/fhir/Patient', withIdentifier('d-2'))).body;
    const refused = await flint.delete('/fhir/Patient?identifier=urn:mrn|d-2');
    assert.equal(refused.status, 412);
    assert.deepEqual(issueCodes(refused.body), ['rest.multiple-matches']);
    assert.equal((await flint.get(`/fhir/Patient/${a.id}`)).status, 200);
    assert.equal((await flint.delete('/fhir/Patient?identifier=urn:mrn|d-2&_multiple=true')).status, 204);
    assert.equal((await flint.get(`/fhir/Patient/${a.id}`)).status, 410);
    assert.equal((await flint.get(`/fhir/Patient/${b.id}`)).status, 410);
  });

  it('succeeds when nothing matches', async () => {
    assert.equal((await flint.delete('/fhir/Patient?identifier=urn:mrn|nobody')).status, 204);
  });
});
