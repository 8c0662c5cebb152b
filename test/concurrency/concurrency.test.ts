/**
 * Concurrency on one database (meaningful on the real PostgreSQL, where requests truly run in
 * parallel; the embedded database runs them one after another and must give the same answers):
 * If-Match lets exactly one of many updates win, conditional creates never duplicate, and
 * parallel transactions on the same resources lose no write.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestFlint, usingPostgresNote, type TestFlint } from '../support/test-server.js';

let flint: TestFlint;
before(async () => { flint = await startTestFlint({ poolSize: 60 }); });
after(async () => { await flint.stop(); });

describe(`concurrency (${usingPostgresNote()})`, () => {
  it('50 parallel updates with the same If-Match: exactly one succeeds, the rest get 412', async () => {
    const created = (await flint.post('/fhir/Patient', { resourceType: 'Patient', active: true })).body;
    const ifMatch = `W/"${created.meta.versionId}"`;
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => flint.put(`/fhir/Patient/${created.id}`,
      { resourceType: 'Patient', id: created.id, name: [{ text: `writer ${i}` }] }, { headers: { 'if-match': ifMatch } })));
    const statuses = answers.map((answer) => answer.status);
    assert.equal(statuses.filter((status) => status === 200).length, 1);
    assert.equal(statuses.filter((status) => status === 412).length, 49);
    const history = (await flint.get(`/fhir/Patient/${created.id}/_history`)).body;
    assert.equal(history.total, 2);
  });

  it('50 parallel conditional creates with the same identifier leave exactly one resource', async () => {
    const body = { resourceType: 'Patient', identifier: [{ system: 'urn:race', value: 'same-1' }] };
    const answers = await Promise.all(Array.from({ length: 50 }, () => flint.post('/fhir/Patient', body,
      { headers: { 'if-none-exist': 'identifier=urn:race|same-1' } })));
    const statuses = answers.map((answer) => answer.status).sort();
    assert.equal(statuses.filter((status) => status === 201).length, 1);
    assert.equal(statuses.filter((status) => status === 200).length, 49);
    const ids = new Set(answers.map((answer) => answer.body.id));
    assert.equal(ids.size, 1);
    const found = (await flint.get('/fhir/Patient?identifier=urn:race|same-1')).body;
    assert.equal(found.total, 1);
  });

  it('20 parallel transactions touching the same resources lose no write', async () => {
    const shared = (await flint.post('/fhir/Patient', { resourceType: 'Patient', active: true })).body;
    const writer = async (i: number) => {
      const bundle = {
        resourceType: 'Bundle', type: 'transaction', entry: [
          { request: { method: 'PATCH', url: `Patient/${shared.id}` }, resource: { resourceType: 'Binary', contentType: 'application/json-patch+json',
            data: Buffer.from(JSON.stringify([{ op: 'add', path: '/identifier/-', value: { system: 'urn:writer', value: String(i) } }])).toString('base64') } },
          { request: { method: 'POST', url: 'Observation' }, resource: { resourceType: 'Observation', status: 'final', code: { text: `writer ${i}` }, subject: { reference: `Patient/${shared.id}` } } },
        ],
      };
      for (let attempt = 0; attempt < 50; attempt++) {
        const answer = await flint.post('/fhir', bundle);
        if (answer.status === 200) return answer;
        assert.equal(answer.status, 409, `unexpected status ${answer.status}: ${answer.text}`);
      }
      throw new Error(`writer ${i} never committed`);
    };
    await flint.put(`/fhir/Patient/${shared.id}`, { resourceType: 'Patient', id: shared.id, identifier: [{ system: 'urn:writer', value: 'start' }] });
    await Promise.all(Array.from({ length: 20 }, (_, i) => writer(i)));
    const patient = (await flint.get(`/fhir/Patient/${shared.id}`)).body;
    const values = patient.identifier.map((identifier: { value: string }) => identifier.value).sort();
    assert.deepEqual(values, ['start', ...Array.from({ length: 20 }, (_, i) => String(i))].sort());
    const history = (await flint.get(`/fhir/Patient/${shared.id}/_history?_count=100`)).body;
    assert.equal(history.total, 22);
  });
});
