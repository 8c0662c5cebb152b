/**
 * Transaction Bundles that change one shared resource queue on it before they begin, and a
 * transaction that conflicted retries in the retry queue, so concurrent Bundles all commit instead
 * of running out of retries (409 db.retries-exhausted). Meaningful on the real PostgreSQL; the
 * embedded database runs them one after another and must give the same answers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestFlint, usingPostgresNote, type TestFlint } from '../support/test-server.js';

const WRITERS = 20;
let flint: TestFlint;
before(async () => { flint = await startTestFlint({ poolSize: 60 }); });
after(async () => { await flint.stop(); });

const jsonPatch = (operations: unknown[]) => ({ resourceType: 'Binary', contentType: 'application/json-patch+json',
  data: Buffer.from(JSON.stringify(operations)).toString('base64') });

function observation(text: string, subject: string, id?: string) {
  return { resourceType: 'Observation', ...(id ? { id } : {}), status: 'final', code: { text }, subject: { reference: subject } };
}

describe(`concurrent transaction Bundles on one shared resource (${usingPostgresNote()})`, () => {
  it(`${WRITERS} Bundles patching one resource and writing their own all commit`, async () => {
    const shared = (await flint.post('/fhir/Patient', { resourceType: 'Patient', identifier: [{ system: 'urn:writer', value: 'start' }] })).body;
    const subject = `Patient/${shared.id}`;
    const answers = await Promise.all(Array.from({ length: WRITERS }, (_, i) => flint.post('/fhir', { resourceType: 'Bundle', type: 'transaction', entry: [
      { request: { method: 'PATCH', url: subject }, resource: jsonPatch([{ op: 'add', path: '/identifier/-', value: { system: 'urn:writer', value: String(i) } }]) },
      { request: { method: 'POST', url: 'Observation' }, resource: observation(`new ${i}`, subject) },
      { request: { method: 'PUT', url: `Observation/shared-${i}` }, resource: observation(`put ${i}`, subject, `shared-${i}`) },
    ] })));
    assert.deepEqual(answers.map((answer) => answer.status), Array(WRITERS).fill(200), answers.map((a) => a.text).join('\n'));
    const patient = (await flint.get(`/fhir/${subject}`)).body;
    assert.equal(patient.identifier.length, WRITERS + 1);
    assert.equal((await flint.get(`/fhir/Observation?subject=${subject}&_summary=count`)).body.total, 2 * WRITERS);
  });

  it(`${WRITERS} Bundles that only refer to one resource all commit`, async () => {
    const shared = (await flint.post('/fhir/Patient', { resourceType: 'Patient', active: true })).body;
    const subject = `Patient/${shared.id}`;
    const answers = await Promise.all(Array.from({ length: WRITERS }, (_, i) => flint.post('/fhir', { resourceType: 'Bundle', type: 'transaction', entry: [
      { request: { method: 'POST', url: 'Observation' }, resource: observation(`ref ${i}`, subject) },
      { request: { method: 'PUT', url: `Observation/ref-${i}` }, resource: observation(`ref put ${i}`, subject, `ref-${i}`) },
    ] })));
    assert.deepEqual(answers.map((answer) => answer.status), Array(WRITERS).fill(200), answers.map((a) => a.text).join('\n'));
    assert.equal((await flint.get(`/fhir/Observation?subject=${subject}&_summary=count`)).body.total, 2 * WRITERS);
  });
});
