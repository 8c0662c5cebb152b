/**
 * Conditional writes are unique at every isolation level (http://hl7.org/fhir/R4/http.html#cond-update,
 * #ccreate): concurrent writers with the same criteria queue on them before their transaction
 * begins, so at most one of them creates, whatever x-max-isolation-level says, alone or inside
 * transaction Bundles. Meaningful on the real PostgreSQL; the embedded database runs the requests
 * one after another and must give the same answers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestFlint, usingPostgresNote, type FhirAnswer, type TestFlint } from '../support/test-server.js';

/** 50 conditional PUTs, as the reproduction had; 20 of the other kinds are enough to make duplicates without the queue. */
const WRITERS = 50;
const FEWER = 20;
const LEVELS = ['read-committed', 'repeatable-read', 'serializable'];
let flint: TestFlint;
before(async () => { flint = await startTestFlint({ poolSize: 60 }); });
after(async () => { await flint.stop(); });

const writers = (fn: (i: number) => Promise<FhirAnswer>, count = WRITERS): Promise<FhirAnswer[]> => Promise.all(Array.from({ length: count }, (_, i) => fn(i)));
const statusesOf = (answers: FhirAnswer[]) => answers.map((answer) => answer.status).sort();

async function matching(value: string): Promise<number> {
  return (await flint.get(`/fhir/Patient?identifier=urn:unique|${value}&_summary=count`)).body.total;
}

function patient(value: string, i: number) {
  return { resourceType: 'Patient', identifier: [{ system: 'urn:unique', value }], name: [{ text: `writer ${i}` }] };
}

describe(`conditional writes are unique at every isolation level (${usingPostgresNote()})`, () => {
  for (const level of LEVELS) {
    const headers = { 'x-max-isolation-level': level };

    it(`${WRITERS} parallel conditional PUTs at ${level} create exactly one resource`, async () => {
      const value = `put-${level}`;
      const answers = await writers((i) => flint.put(`/fhir/Patient?identifier=urn:unique|${value}`, patient(value, i), { headers }));
      assert.deepEqual(statusesOf(answers), [...Array(WRITERS - 1).fill(200), 201], answers.map((a) => a.text).join('\n'));
      assert.equal(await matching(value), 1);
    });

    it(`${FEWER} parallel If-None-Exist creates at ${level} create exactly one resource`, async () => {
      const value = `create-${level}`;
      const answers = await writers((i) => flint.post('/fhir/Patient', patient(value, i),
        { headers: { ...headers, 'if-none-exist': `identifier=urn:unique|${value}` } }), FEWER);
      assert.deepEqual(statusesOf(answers), [...Array(FEWER - 1).fill(200), 201], answers.map((a) => a.text).join('\n'));
      assert.equal(await matching(value), 1);
    });

    it(`${FEWER} parallel transaction Bundles with the same conditional create at ${level} create exactly one resource`, async () => {
      const value = `bundle-${level}`;
      const patientUrl = 'urn:uuid:5b8a1f52-0c1e-4a47-9d7e-3f0a6c2b9e11';
      const answers = await writers((i) => flint.post('/fhir', { resourceType: 'Bundle', type: 'transaction', entry: [
        { fullUrl: patientUrl, request: { method: 'POST', url: 'Patient', ifNoneExist: `identifier=urn:unique|${value}` }, resource: patient(value, i) },
        { request: { method: 'POST', url: 'Observation' },
          resource: { resourceType: 'Observation', status: 'final', code: { text: `writer ${i}` }, subject: { reference: patientUrl } } },
      ] }, { headers }), FEWER);
      assert.deepEqual(statusesOf(answers), Array(FEWER).fill(200), answers.map((a) => a.text).join('\n'));
      assert.equal(await matching(value), 1);
      const id = (await flint.get(`/fhir/Patient?identifier=urn:unique|${value}`)).body.entry[0].resource.id;
      assert.equal((await flint.get(`/fhir/Observation?subject=Patient/${id}&_summary=count`)).body.total, FEWER);
    });
  }

  it('If-None-Exist alone and the same If-None-Exist in transaction Bundles create exactly one resource', async () => {
    const value = 'create-mixed';
    const headers = { 'x-max-isolation-level': 'read-committed' };
    const answers = await writers((i) => (i % 2 === 0
      ? flint.post('/fhir/Patient', patient(value, i), { headers: { ...headers, 'if-none-exist': `identifier=urn:unique|${value}` } })
      : flint.post('/fhir', { resourceType: 'Bundle', type: 'transaction', entry: [
        { request: { method: 'POST', url: 'Patient', ifNoneExist: `identifier=urn:unique|${value}` }, resource: patient(value, i) },
      ] }, { headers })), FEWER);
    const created = answers.filter((answer) => answer.status === 201 || answer.body?.entry?.[0]?.response?.status === '201 Created');
    assert.ok(answers.every((answer) => answer.status === 200 || answer.status === 201), answers.map((a) => a.text).join('\n'));
    assert.equal(created.length, 1, answers.map((a) => a.text).join('\n'));
    assert.equal(await matching(value), 1);
  });

  it('a conditional create alone and one in a transaction Bundle queue on the same criteria', async () => {
    const value = 'mixed';
    const answers = await writers((i) => (i % 2 === 0
      ? flint.post('/fhir/Patient', patient(value, i), { headers: { 'x-max-isolation-level': 'read-committed', 'if-none-exist': `identifier=urn:unique|${value}` } })
      : flint.post('/fhir', { resourceType: 'Bundle', type: 'transaction', entry: [
        { request: { method: 'PUT', url: `Patient?identifier=urn:unique|${value}` }, resource: patient(value, i) },
      ] }, { headers: { 'x-max-isolation-level': 'repeatable-read' } })), FEWER);
    assert.ok(answers.every((answer) => answer.status === 200 || answer.status === 201), answers.map((a) => a.text).join('\n'));
    assert.equal(await matching(value), 1);
  });
});
