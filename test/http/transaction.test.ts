/**
 * transaction and batch Bundles (http://hl7.org/fhir/R4/http.html#transaction): reference
 * resolution, processing order, conditional entries, all-or-nothing, per-entry batch outcomes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from '../../src/sql/index.js';
import { issueCodes, startTestFlint, type TestFlint } from '../support/test-server.js';

let flint: TestFlint;
before(async () => { flint = await startTestFlint(); });
after(async () => { await flint.stop(); });

const transaction = (entry: object[]) => ({ resourceType: 'Bundle', type: 'transaction', entry });
const batch = (entry: object[]) => ({ resourceType: 'Bundle', type: 'batch', entry });

async function count(table: 'patient' | 'observation'): Promise<number> {
  const query = table === 'patient' ? sql`SELECT count(*) AS n FROM patient` : sql`SELECT count(*) AS n FROM observation`;
  return Number((await flint.db.query<{ n: string }>(query)).rows[0].n);
}

describe('transaction', () => {
  it('resolves urn:uuid references everywhere, forward ones included', async () => {
    const answer = await flint.post('/fhir', transaction([
      {
        fullUrl: 'urn:uuid:obs-1',
        request: { method: 'POST', url: 'Observation' },
        resource: {
          resourceType: 'Observation', status: 'final', code: { text: 'x' },
          subject: { reference: 'urn:uuid:pat-1' },
          extension: [
            { url: 'http://example.org/ext', valueReference: { reference: 'urn:uuid:pat-1' } },
            { url: 'http://example.org/provenance', valueReference: { reference: '#p' } },
          ],
          contained: [{ resourceType: 'Provenance', id: 'p', recorded: '2024-01-01T00:00:00Z', agent: [{ who: { reference: 'urn:uuid:pat-1' } }], target: [{ reference: 'urn:uuid:obs-1' }] }],
          text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml"><a href="urn:uuid:pat-1">patient</a></div>' },
        },
      },
      { fullUrl: 'urn:uuid:pat-1', request: { method: 'POST', url: 'Patient' }, resource: { resourceType: 'Patient', active: true } },
    ]));
    assert.equal(answer.status, 200);
    assert.equal(answer.body.type, 'transaction-response');
    const [obsEntry, patEntry] = answer.body.entry;
    assert.equal(obsEntry.response.status, '201 Created');
    assert.match(obsEntry.response.location, /Observation\/[^/]+\/_history\/\d+$/);
    assert.match(obsEntry.response.etag, /^W\/"\d+"$/);
    const patientRef = `Patient/${patEntry.resource.id}`;
    const observation = (await flint.get(`/fhir/Observation/${obsEntry.resource.id}`)).body;
    assert.equal(observation.subject.reference, patientRef);
    assert.equal(observation.extension[0].valueReference.reference, patientRef);
    assert.equal(observation.contained[0].agent[0].who.reference, patientRef);
    assert.equal(observation.contained[0].target[0].reference, `Observation/${obsEntry.resource.id}`);
    assert.ok(observation.text.div.includes(`href="${patientRef}"`));
  });

  it('processes DELETE, POST, PUT, GET in that order', async () => {
    const existing = (await flint.post('/fhir/Patient', { resourceType: 'Patient', active: true })).body;
    const answer = await flint.post('/fhir', transaction([
      { request: { method: 'GET', url: 'Patient/tx-order-1' } },
      { request: { method: 'PUT', url: 'Patient/tx-order-1' }, resource: { resourceType: 'Patient', id: 'tx-order-1', active: false } },
      { request: { method: 'DELETE', url: `Patient/${existing.id}` } },
    ]));
    assert.equal(answer.status, 200);
    assert.equal(answer.body.entry[0].response.status, '200 OK');
    assert.equal(answer.body.entry[0].resource.active, false);
    assert.equal(answer.body.entry[1].response.status, '201 Created');
    assert.match(answer.body.entry[2].response.status, /^204/);
    assert.equal((await flint.get(`/fhir/Patient/${existing.id}`)).status, 410);
  });

  it('honours ifNoneExist and resolves conditional references', async () => {
    const existing = (await flint.post('/fhir/Patient', { resourceType: 'Patient', identifier: [{ system: 'urn:x', value: 'tx-1' }] })).body;
    const answer = await flint.post('/fhir', transaction([
      { fullUrl: 'urn:uuid:p', request: { method: 'POST', url: 'Patient', ifNoneExist: 'identifier=urn:x|tx-1' }, resource: { resourceType: 'Patient' } },
      { request: { method: 'POST', url: 'Observation' }, resource: { resourceType: 'Observation', status: 'final', code: { text: 'a' }, subject: { reference: 'urn:uuid:p' } } },
      { request: { method: 'POST', url: 'Observation' }, resource: { resourceType: 'Observation', status: 'final', code: { text: 'b' }, subject: { reference: 'Patient?identifier=urn:x|tx-1' } } },
    ]));
    assert.equal(answer.status, 200);
    assert.equal(answer.body.entry[0].response.status, '200 OK');
    assert.equal(answer.body.entry[0].resource.id, existing.id);
    for (const index of [1, 2]) {
      const observation = (await flint.get(`/fhir/Observation/${answer.body.entry[index].resource.id}`)).body;
      assert.equal(observation.subject.reference, `Patient/${existing.id}`);
    }
  });

  it('fails whole when one entry fails, naming the entry', async () => {
    const patientsBefore = await count('patient');
    const answer = await flint.post('/fhir', transaction([
      { request: { method: 'POST', url: 'Patient' }, resource: { resourceType: 'Patient', active: true } },
      { request: { method: 'PUT', url: 'Patient/tx-fail-1' }, resource: { resourceType: 'Patient', id: 'tx-fail-1' } },
      { request: { method: 'PUT', url: 'Patient/tx-fail-2' }, resource: { resourceType: 'Patient', id: 'other' } },
    ]));
    assert.equal(answer.status, 400);
    assert.deepEqual(issueCodes(answer.body), ['rest.id-mismatch']);
    assert.ok(answer.body.issue[0].expression[0].startsWith('Bundle.entry[2]'));
    assert.equal(await count('patient'), patientsBefore);
    assert.equal((await flint.get('/fhir/Patient/tx-fail-1')).status, 404);
  });

  it('rolls back when a conditional reference matches nothing (412)', async () => {
    const observationsBefore = await count('observation');
    const answer = await flint.post('/fhir', transaction([
      { request: { method: 'POST', url: 'Observation' }, resource: { resourceType: 'Observation', status: 'final', code: { text: 'a' } } },
      { request: { method: 'POST', url: 'Observation' }, resource: { resourceType: 'Observation', status: 'final', code: { text: 'b' }, subject: { reference: 'Patient?identifier=urn:x|nobody' } } },
    ]));
    assert.equal(answer.status, 412);
    assert.equal(await count('observation'), observationsBefore);
  });

  it('rejects a reference to a urn:uuid no entry has, and a repeated fullUrl', async () => {
    const unresolved = await flint.post('/fhir', transaction([
      { request: { method: 'POST', url: 'Observation' }, resource: { resourceType: 'Observation', status: 'final', code: { text: 'a' }, subject: { reference: 'urn:uuid:missing' } } },
    ]));
    assert.equal(unresolved.status, 400);
    const repeated = await flint.post('/fhir', transaction([
      { fullUrl: 'urn:uuid:a', request: { method: 'POST', url: 'Patient' }, resource: { resourceType: 'Patient' } },
      { fullUrl: 'urn:uuid:a', request: { method: 'POST', url: 'Patient' }, resource: { resourceType: 'Patient' } },
    ]));
    assert.equal(repeated.status, 400);
  });

  it('applies a JSON Patch carried in a Binary', async () => {
    const created = (await flint.post('/fhir/Patient', { resourceType: 'Patient', active: false })).body;
    const patch = Buffer.from(JSON.stringify([{ op: 'replace', path: '/active', value: true }])).toString('base64');
    const answer = await flint.post('/fhir', transaction([
      { request: { method: 'PATCH', url: `Patient/${created.id}` }, resource: { resourceType: 'Binary', contentType: 'application/json-patch+json', data: patch } },
    ]));
    assert.equal(answer.status, 200);
    assert.equal((await flint.get(`/fhir/Patient/${created.id}`)).body.active, true);
  });

  it('takes x-max-isolation-level and rejects an unknown level', async () => {
    const bundle = transaction([{ request: { method: 'POST', url: 'Patient' }, resource: { resourceType: 'Patient' } }]);
    assert.equal((await flint.post('/fhir', bundle, { headers: { 'x-max-isolation-level': 'read-committed' } })).status, 200);
    assert.equal((await flint.post('/fhir', bundle, { headers: { 'x-max-isolation-level': 'chaos' } })).status, 400);
  });
});

describe('batch', () => {
  it('runs entries independently, each with its own outcome', async () => {
    const answer = await flint.post('/fhir', batch([
      { request: { method: 'POST', url: 'Patient' }, resource: { resourceType: 'Patient', active: true } },
      { request: { method: 'GET', url: 'Patient/batch-missing' } },
      { request: { method: 'PUT', url: 'Patient/batch-1' }, resource: { resourceType: 'Patient', id: 'batch-1' } },
      { request: { method: 'POST', url: 'Patient' }, resource: { resourceType: 'Observation' } },
    ]));
    assert.equal(answer.status, 200);
    assert.equal(answer.body.type, 'batch-response');
    const statuses = answer.body.entry.map((entry: any) => entry.response.status.slice(0, 3));
    assert.deepEqual(statuses, ['201', '404', '201', '400']);
    assert.equal(answer.body.entry[1].response.outcome.resourceType, 'OperationOutcome');
    assert.equal((await flint.get('/fhir/Patient/batch-1')).status, 200);
  });

  it('rejects a Bundle that is neither batch nor transaction', async () => {
    assert.equal((await flint.post('/fhir', { resourceType: 'Bundle', type: 'collection' })).status, 400);
    assert.equal((await flint.post('/fhir', { resourceType: 'Patient' })).status, 400);
  });
});
