/**
 * Each interaction through the HTTP API produces exactly the expected AuditEvent (docs/audit.md):
 * create, read, vread, update, patch, delete, search (the query recorded), history, an operation,
 * each entry of a batch and of a transaction and the Bundle itself; a failed write leaves no
 * success record but a failure; a rolled back transaction leaves none of its writes' records; a
 * request the access guard refuses is recorded with outcome 4; AuditEvents cannot be changed or
 * deleted, not even by the root client.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { issueCodes, startTestFlint, usingPostgresNote, type TestFlint } from '../support/test-server.js';
import { basic, putClient } from '../access/access-helpers.js';
import { entityReferences, eventsAbout, patientOf, queryOf, storedEvents, subtypeOf, type AuditEvent } from './audit-support.js';

let flint: TestFlint;

before(async () => {
  flint = await startTestFlint();
});
after(async () => { await flint.stop(); });

async function events(): Promise<AuditEvent[]> {
  await flint.audit?.flush();
  return storedEvents(flint.db);
}

function only(found: AuditEvent[], what: string): AuditEvent {
  assert.equal(found.length, 1, `exactly one ${what} event, found ${found.length}`);
  return found[0];
}

describe(`audit of each interaction (${usingPostgresNote()})`, () => {
  it('create, read, vread, update, patch, delete: one event each, with the version, action and patient', async () => {
    const created = await flint.post('/fhir/Patient', { resourceType: 'Patient', name: [{ family: 'Audited' }] });
    assert.equal(created.status, 201);
    const id = created.body.id as string;
    const v1 = created.body.meta.versionId as string;
    assert.equal((await flint.get(`/fhir/Patient/${id}`)).status, 200);
    assert.equal((await flint.get(`/fhir/Patient/${id}/_history/${v1}`)).status, 200);
    const updated = await flint.put(`/fhir/Patient/${id}`, { resourceType: 'Patient', id, name: [{ family: 'Audited2' }] });
    const patched = await flint.patch(`/fhir/Patient/${id}`, [{ op: 'replace', path: '/name/0/family', value: 'Audited3' }], { contentType: 'application/json-patch+json' });
    assert.equal(patched.status, 200);
    assert.equal((await flint.delete(`/fhir/Patient/${id}`)).status, 204);
    const all = await events();
    const create = only(eventsAbout(all, 'create', `Patient/${id}`), 'create');
    assert.deepEqual(entityReferences(create), [`Patient/${id}/_history/${v1}`, `Patient/${id}`]);
    assert.equal(create.action, 'C');
    assert.equal(create.outcome, '0');
    assert.deepEqual((create.meta as any).profile, ['https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientCreate']);
    const read = only(eventsAbout(all, 'read', `Patient/${id}`), 'read');
    assert.equal(read.action, 'R');
    assert.equal(patientOf(read), `Patient/${id}`);
    only(eventsAbout(all, 'vread', `Patient/${id}/_history/${v1}`), 'vread');
    const update = only(eventsAbout(all, 'update', `Patient/${id}/_history/${updated.body.meta.versionId}`), 'update');
    assert.equal(update.action, 'U');
    only(eventsAbout(all, 'patch', `Patient/${id}/_history/${patched.body.meta.versionId}`), 'patch');
    const deleted = only(eventsAbout(all, 'delete', `Patient/${id}`), 'delete');
    assert.equal(deleted.action, 'D');
    assert.equal(patientOf(deleted), `Patient/${id}`);
    const agents = create.agent ?? [];
    assert.deepEqual(agents.map((agent) => agent.who?.display), ['Client/root', 'Flint FHIR server']);
    assert.deepEqual(agents[0].who.identifier, { system: 'urn:flint:client', value: 'root' });
    assert.deepEqual(agents.map((agent) => agent.requestor), [true, false]);
  });

  it('an Observation names its patient; a search records its query and the patient it names; history is recorded', async () => {
    const patient = (await flint.post('/fhir/Patient', { resourceType: 'Patient' })).body.id as string;
    const observation = await flint.post('/fhir/Observation', { resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: `Patient/${patient}` } });
    assert.equal(observation.status, 201);
    assert.equal((await flint.get(`/fhir/Observation?subject=Patient/${patient}&_count=5`)).status, 200);
    assert.equal((await flint.get(`/fhir/Observation/${observation.body.id}/_history`)).status, 200);
    const all = await events();
    const create = only(eventsAbout(all, 'create', `Observation/${observation.body.id}`), 'create');
    assert.equal(patientOf(create), `Patient/${patient}`);
    const search = only(all.filter((event) => subtypeOf(event) === 'search-type' && queryOf(event)?.includes(`subject=Patient/${patient}`)), 'search');
    assert.equal(queryOf(search), `Observation?subject=Patient/${patient}&_count=5`);
    assert.equal(search.entity?.find((entity) => entity.role?.code === '24')?.description, `Observation?subject=Patient/${patient}&_count=5`);
    assert.equal(patientOf(search), `Patient/${patient}`);
    assert.match(String((search.meta as any)?.profile?.[0]), /IHE\.BasicAudit\.PatientQuery$/);
    only(eventsAbout(all, 'history-instance', `Observation/${observation.body.id}`), 'history');
    const byPatient = await flint.get(`/fhir/AuditEvent?patient=Patient/${patient}&subtype=create`);
    assert.deepEqual(byPatient.body.entry.map((entry: any) => entry.resource.id).sort(), [...new Set([create.id, ...eventsAbout(all, 'create', `Patient/${patient}`).map((event) => event.id)])].sort(),
      'the log is searched by patient');
  });

  it('a batch: the Bundle and each entry; a transaction: the Bundle and each write', async () => {
    const batch = await flint.post('/fhir', { resourceType: 'Bundle', type: 'batch', entry: [
      { resource: { resourceType: 'Patient', id: 'batch-a' }, request: { method: 'PUT', url: 'Patient/batch-a' } },
      { request: { method: 'GET', url: 'Patient/batch-a' } },
    ] });
    assert.equal(batch.status, 200);
    const transaction = await flint.post('/fhir', { resourceType: 'Bundle', type: 'transaction', entry: [
      { resource: { resourceType: 'Patient', id: 'tx-a' }, request: { method: 'PUT', url: 'Patient/tx-a' } },
      { resource: { resourceType: 'Patient', id: 'tx-b' }, request: { method: 'PUT', url: 'Patient/tx-b' } },
    ] });
    assert.equal(transaction.status, 200);
    const all = await events();
    only(all.filter((event) => subtypeOf(event) === 'batch'), 'batch');
    only(all.filter((event) => subtypeOf(event) === 'transaction'), 'transaction');
    const putA = only(eventsAbout(all, 'update', 'Patient/batch-a'), 'batch PUT');
    assert.equal(putA.action, 'C', 'a PUT that creates is a create');
    only(eventsAbout(all, 'read', 'Patient/batch-a'), 'batch GET');
    only(eventsAbout(all, 'update', 'Patient/tx-a'), 'transaction PUT a');
    only(eventsAbout(all, 'update', 'Patient/tx-b'), 'transaction PUT b');
  });

  it('a failed write leaves no success record, but a failure (outcome 4); a rolled back transaction leaves none of its writes', async () => {
    const failed = await flint.put('/fhir/Patient/fails-1', { resourceType: 'Patient', id: 'fails-1', birthDate: 'not a date' });
    assert.equal(failed.status >= 400, true);
    const rolledBack = await flint.post('/fhir', { resourceType: 'Bundle', type: 'transaction', entry: [
      { resource: { resourceType: 'Patient', id: 'rolled-a' }, request: { method: 'PUT', url: 'Patient/rolled-a' } },
      { resource: { resourceType: 'Patient', id: 'rolled-b', birthDate: 'bad' }, request: { method: 'PUT', url: 'Patient/rolled-b' } },
    ] });
    assert.equal(rolledBack.status >= 400, true);
    assert.equal((await flint.get('/fhir/Patient/rolled-a')).status, 404);
    const all = await events();
    const failure = only(eventsAbout(all, 'update', 'Patient/fails-1'), 'failed update');
    assert.equal(failure.outcome, '4');
    assert.match(String(failure.outcomeDesc), /\S/);
    assert.equal(all.filter((event) => entityReferences(event).some((ref) => ref.startsWith('Patient/rolled-a/_history/'))).length, 0);
    const bundle = only(all.filter((event) => subtypeOf(event) === 'transaction' && event.outcome === '4'), 'failed transaction');
    assert.match(String(bundle.outcomeDesc), /\S/);
  });

  it('an operation is recorded with its name; a refusal by the access guard with outcome 4', async () => {
    assert.equal((await flint.post('/fhir/Patient/$validate', { resourceType: 'Patient' })).status, 200);
    await putClient(flint, 'audit-app', { secret: 'audit-app-secret', scope: ['system/*.rs'] });
    const refused = await flint.get('/fhir/Client', { headers: { authorization: basic('audit-app', 'audit-app-secret') } });
    assert.equal(refused.status, 403);
    const all = await events();
    const operation = only(all.filter((event) => subtypeOf(event) === 'operation' && event.entity?.some((entity) => entity.name === '$validate')), '$validate');
    assert.equal(operation.action, 'E');
    const denial = only(all.filter((event) => subtypeOf(event) === 'search-type' && queryOf(event) === 'Client' && event.outcome === '4'), 'denied search');
    assert.match(String(denial.outcomeDesc), /access\.admin-only/);
    assert.equal(denial.agent?.[0]?.who?.display, 'Client/audit-app');
  });

  it('AuditEvents cannot be updated, patched or deleted, not even by the root client', async () => {
    await flint.get('/fhir/Patient?name=immutable');
    const [event] = await events();
    const id = event.id as string;
    const put = await flint.put(`/fhir/AuditEvent/${id}`, { ...event, outcome: '8' });
    assert.equal(put.status, 405);
    assert.deepEqual(issueCodes(put.body), ['audit.immutable']);
    const removed = await flint.delete(`/fhir/AuditEvent/${id}`);
    assert.equal(removed.status, 405);
    const patched = await flint.patch(`/fhir/AuditEvent/${id}`, [{ op: 'replace', path: '/outcome', value: '8' }], { contentType: 'application/json-patch+json' });
    assert.equal(patched.status, 405);
    const still = (await storedEvents(flint.db)).find((stored) => stored.id === id);
    assert.equal(still?.outcome, event.outcome);
    const searched = await flint.get(`/fhir/AuditEvent?_id=${id}`);
    assert.equal(searched.body.total ?? searched.body.entry?.length, 1, 'searchable at /fhir/AuditEvent');
  });
});
