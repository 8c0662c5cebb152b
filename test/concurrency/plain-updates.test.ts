/**
 * Concurrent writes of one resource without If-Match (http://hl7.org/fhir/R4/http.html#update):
 * writers queue on the row (or, for an id that does not exist yet, on its type and id) instead of
 * aborting, so every one of them succeeds and every one leaves a version in the history. The
 * embedded database runs the requests one after another and must give the same answers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestFlint, usingPostgresNote, type TestFlint } from '../support/test-server.js';

const WRITERS = 16;
let flint: TestFlint;
before(async () => { flint = await startTestFlint({ poolSize: 40 }); });
after(async () => { await flint.stop(); });

const writers = <T>(fn: (i: number) => Promise<T>): Promise<T[]> => Promise.all(Array.from({ length: WRITERS }, (_, i) => fn(i)));

async function historyTotal(url: string): Promise<number> {
  return (await flint.get(`${url}/_history?_count=100`)).body.total;
}

describe(`concurrent plain writes of one resource (${usingPostgresNote()})`, () => {
  it(`${WRITERS} parallel PUTs of an existing resource all answer 200`, async () => {
    const created = (await flint.post('/fhir/Patient', { resourceType: 'Patient', active: true })).body;
    const answers = await writers((i) => flint.put(`/fhir/Patient/${created.id}`,
      { resourceType: 'Patient', id: created.id, name: [{ text: `writer ${i}` }] }));
    assert.deepEqual(answers.map((answer) => answer.status), Array(WRITERS).fill(200), answers.map((a) => a.text).join('\n'));
    assert.equal(new Set(answers.map((answer) => answer.body.meta.versionId)).size, WRITERS);
    assert.equal(await historyTotal(`/fhir/Patient/${created.id}`), WRITERS + 1);
  });

  it(`${WRITERS} parallel PUTs of a new id: one creates, the others update`, async () => {
    const id = `new-${Date.now().toString(36)}`;
    const answers = await writers((i) => flint.put(`/fhir/Patient/${id}`, { resourceType: 'Patient', id, name: [{ text: `writer ${i}` }] }));
    const statuses = answers.map((answer) => answer.status).sort();
    assert.deepEqual(statuses, [...Array(WRITERS - 1).fill(200), 201], answers.map((a) => a.text).join('\n'));
    assert.equal(await historyTotal(`/fhir/Patient/${id}`), WRITERS);
  });

  it(`${WRITERS} parallel JSON Patches all apply`, async () => {
    const start = { system: 'urn:writer', value: 'start' };
    const created = (await flint.post('/fhir/Patient', { resourceType: 'Patient', identifier: [start] })).body;
    const answers = await writers((i) => flint.patch(`/fhir/Patient/${created.id}`,
      [{ op: 'add', path: '/identifier/-', value: { system: 'urn:writer', value: String(i) } }],
      { contentType: 'application/json-patch+json' }));
    assert.deepEqual(answers.map((answer) => answer.status), Array(WRITERS).fill(200), answers.map((a) => a.text).join('\n'));
    const patient = (await flint.get(`/fhir/Patient/${created.id}`)).body;
    assert.equal(patient.identifier.length, WRITERS + 1);
    assert.equal(await historyTotal(`/fhir/Patient/${created.id}`), WRITERS + 1);
  });

  it(`${WRITERS} parallel conditional updates of one match all answer 200`, async () => {
    const identifier = { system: 'urn:cond', value: `c-${Date.now().toString(36)}` };
    const created = (await flint.post('/fhir/Patient', { resourceType: 'Patient', identifier: [identifier] })).body;
    const answers = await writers((i) => flint.put(`/fhir/Patient?identifier=${identifier.system}|${identifier.value}`,
      { resourceType: 'Patient', identifier: [identifier], name: [{ text: `writer ${i}` }] }));
    assert.deepEqual(answers.map((answer) => answer.status), Array(WRITERS).fill(200), answers.map((a) => a.text).join('\n'));
    assert.equal(await historyTotal(`/fhir/Patient/${created.id}`), WRITERS + 1);
  });

  it(`${WRITERS} parallel conditional updates without a match create exactly one resource`, async () => {
    const identifier = { system: 'urn:cond', value: `n-${Date.now().toString(36)}` };
    const answers = await writers((i) => flint.put(`/fhir/Patient?identifier=${identifier.system}|${identifier.value}`,
      { resourceType: 'Patient', identifier: [identifier], name: [{ text: `writer ${i}` }] }));
    assert.deepEqual(answers.map((answer) => answer.status).sort(), [...Array(WRITERS - 1).fill(200), 201], answers.map((a) => a.text).join('\n'));
    assert.equal(new Set(answers.map((answer) => answer.body.id)).size, 1);
    assert.equal(await historyTotal(`/fhir/Patient/${answers[0].body.id}`), WRITERS);
  });
});
