/**
 * The event builders, without I/O: for each interaction (a request, its route, its answer or
 * error) the AuditEvent's type, subtype, action, outcome, entities, patient entity and BALP
 * profile; the write events of a plan's changes; the events of sign-in, token and revocation; the
 * Bundle that forwards a batch.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  forwardBundle, interactionFacts, restEvent, revocationEvent, signInEvent, tokenIssuedEvent, writeFacts,
} from '../../src/audit/index.js';
import { FhirError, type Caller, type Resource } from '../../src/core/index.js';
import { parseRoute, type FhirRequest, type FhirResponse, type HttpMethod, type WritePlan } from '../../src/engine/index.js';
import { loadCoreModel, type FhirModel } from '../../src/model/index.js';
import type { ResourceChange } from '../../src/storage/index.js';
import { patientOf, queryOf, type AuditEvent } from './audit-support.js';

let model: FhirModel;
before(async () => { model = await loadCoreModel(); });

const BASE = 'http://flint.test/fhir';
const BALP = 'https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.';
const CLINICIAN: Caller = { kind: 'user', via: 'bearer', clientId: 'ehr', userId: 'u7', fhirUser: 'Practitioner/7', scopes: [], admin: false };

function request(method: HttpMethod, url: string, body?: unknown): FhirRequest {
  const [path, search = ''] = url.split('?');
  const query = [...new URLSearchParams(search)] as [string, string][];
  return { method, path, query, headers: {}, baseUrl: BASE, caller: CLINICIAN, body };
}

interface Case {
  name: string;
  method: HttpMethod;
  url: string;
  body?: unknown;
  response?: FhirResponse;
  error?: unknown;
  subtype: string;
  action: string;
  outcome?: string;
  /** Entity references (what.reference) in order, the patient's included. */
  entities: string[];
  query?: string;
  patient?: string;
  profile?: string;
}

const observation = { resourceType: 'Observation', id: 'o1', status: 'final', code: {}, subject: { reference: 'Patient/p1' }, performer: [{ reference: 'Practitioner/7' }] };
const ok = (body?: Resource, etag?: string): FhirResponse => ({ status: 200, headers: etag ? { etag } : {}, body });

const CASES: Case[] = [
  { name: 'read of a Patient', method: 'GET', url: 'Patient/p1', response: ok(undefined, 'W/"3"'), subtype: 'read', action: 'R', entities: ['Patient/p1/_history/3', 'Patient/p1'], patient: 'Patient/p1', profile: 'PatientRead' },
  { name: 'read of an Observation: its subject', method: 'GET', url: 'Observation/o1', response: ok(observation, 'W/"4"'), subtype: 'read', action: 'R', entities: ['Observation/o1/_history/4', 'Patient/p1'], patient: 'Patient/p1', profile: 'PatientRead' },
  { name: 'read outside the Patient compartment', method: 'GET', url: 'Organization/org1', response: ok({ resourceType: 'Organization' }, 'W/"5"'), subtype: 'read', action: 'R', entities: ['Organization/org1/_history/5'], profile: 'Read' },
  { name: 'vread', method: 'GET', url: 'Organization/org1/_history/2', response: ok(), subtype: 'vread', action: 'R', entities: ['Organization/org1/_history/2'], profile: 'Read' },
  { name: 'search naming a patient', method: 'GET', url: 'Observation?subject=Patient/p1&code=x', response: ok(), subtype: 'search-type', action: 'R', entities: ['Patient/p1'], query: 'Observation?subject=Patient/p1&code=x', patient: 'Patient/p1', profile: 'PatientQuery' },
  { name: 'search by patient id', method: 'GET', url: 'Condition?patient=p2', response: ok(), subtype: 'search-type', action: 'R', entities: ['Patient/p2'], patient: 'Patient/p2', profile: 'PatientQuery' },
  { name: 'compartment search', method: 'GET', url: 'Patient/p3/Observation', response: ok(), subtype: 'search-type', action: 'R', entities: ['Patient/p3'], patient: 'Patient/p3', profile: 'PatientQuery' },
  { name: 'search without a patient', method: 'GET', url: 'Organization?name=x', response: ok(), subtype: 'search-type', action: 'R', entities: [], query: 'Organization?name=x', profile: 'Query' },
  { name: 'system search', method: 'GET', url: '?_type=Patient', response: ok(), subtype: 'search-system', action: 'R', entities: [], profile: 'Query' },
  { name: 'history of a type', method: 'GET', url: 'Patient/_history', response: ok(), subtype: 'history-type', action: 'R', entities: [], query: 'Patient/_history', profile: 'Query' },
  { name: 'history of a Patient', method: 'GET', url: 'Patient/p1/_history', response: ok(), subtype: 'history-instance', action: 'R', entities: ['Patient/p1', 'Patient/p1'], patient: 'Patient/p1', profile: 'PatientQuery' },
  { name: 'an instance operation', method: 'GET', url: 'Patient/p1/$everything', response: ok(), subtype: 'operation', action: 'E', entities: ['Patient/p1', 'Patient/p1'], patient: 'Patient/p1' },
  { name: 'a type operation', method: 'POST', url: 'Patient/$validate', response: ok(), subtype: 'operation', action: 'E', entities: [] },
  { name: 'a batch', method: 'POST', url: '', body: { resourceType: 'Bundle', type: 'batch' }, response: ok(), subtype: 'batch', action: 'E', entities: [] },
  { name: 'a transaction', method: 'POST', url: '', body: { resourceType: 'Bundle', type: 'transaction' }, response: ok(), subtype: 'transaction', action: 'E', entities: [] },
  { name: 'a refusal', method: 'GET', url: 'Observation/o2', error: new FhirError('forbidden', 'access.denied', 'No policy allows the request'), subtype: 'read', action: 'R', outcome: '4', entities: ['Observation/o2'] },
  { name: 'a row not seen (404)', method: 'GET', url: 'Patient/p9', error: new FhirError('not-found', 'rest.not-found', 'Patient/p9 is not known'), subtype: 'read', action: 'R', outcome: '4', entities: ['Patient/p9', 'Patient/p9'], patient: 'Patient/p9' },
  { name: 'a failed write', method: 'PUT', url: 'Patient/p1', error: new FhirError('unprocessable', 'validation.x', 'bad'), subtype: 'update', action: 'U', outcome: '4', entities: ['Patient/p1'] },
  { name: 'a server failure', method: 'DELETE', url: 'Patient?name=x', error: new Error('connection lost: secret detail'), subtype: 'delete', action: 'D', outcome: '8', entities: [], query: 'Patient?name=x' },
];

function references(event: AuditEvent): string[] {
  return (event.entity ?? []).map((entity) => entity.what?.reference).filter((reference) => reference !== undefined);
}

describe('the AuditEvent of each interaction', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const req = request(c.method, c.url, c.body);
      const outcome = c.error !== undefined ? { error: c.error } : { response: c.response as FhirResponse };
      const event = restEvent(interactionFacts(model, req, parseRoute(req.method, req.path), outcome)) as AuditEvent;
      assert.equal((event as any).type.code, 'rest');
      assert.equal(event.subtype?.[0]?.code, c.subtype);
      assert.equal(event.action, c.action);
      assert.equal(event.outcome, c.outcome ?? '0');
      assert.deepEqual(references(event), c.entities);
      if (c.query !== undefined) assert.equal(queryOf(event), c.query);
      assert.equal(patientOf(event), c.patient);
      assert.deepEqual((event.meta as any)?.profile, c.profile ? [`${BALP}${c.profile}`] : undefined);
      if (c.outcome) assert.ok(typeof (event as any).outcomeDesc === 'string' && !(event as any).outcomeDesc.includes('secret'));
      const agents = event.agent ?? [];
      assert.deepEqual(agents.map((agent) => agent.who.display), ['Client/ehr', 'User/u7', 'Flint FHIR server']);
      assert.equal(agents[1].who.reference, 'Practitioner/7');
      assert.deepEqual(agents.map((agent) => agent.requestor), [false, true, false]);
      const clientRole = agents[0].type.coding[0].code;
      assert.equal(clientRole, c.action === 'R' ? '110152' : '110153', 'the client is the destination of reads, the source of the rest');
      assert.equal((event as any).source.observer.identifier.value, BASE);
    });
  }
});

function plan(kind: WritePlan['kind'], type: string, method: HttpMethod, url: string): WritePlan {
  return { kind, storage: { resourceType: type }, request: request(method, url), preconditions: {}, target: { by: 'id', id: 'x' } } as unknown as WritePlan;
}

describe('the AuditEvents of a write', () => {
  const created: ResourceChange = { action: 'create', resourceType: 'Observation', id: 'o1', versionId: '10', resource: observation };
  it('a create: Create with the version and the patient it is about', () => {
    const [event] = writeFacts(model, plan('create', 'Observation', 'POST', 'Observation'), { status: 201, headers: {} }, [created]).map(restEvent) as AuditEvent[];
    assert.deepEqual(references(event), ['Observation/o1/_history/10', 'Patient/p1']);
    assert.equal(event.action, 'C');
    assert.deepEqual((event.meta as any).profile, [`${BALP}PatientCreate`]);
  });
  it('a PUT that created: subtype update, action C, the Create profile', () => {
    const [event] = writeFacts(model, plan('update', 'Observation', 'PUT', 'Observation/o1'), { status: 201, headers: {} }, [created]).map(restEvent) as AuditEvent[];
    assert.equal(event.subtype?.[0].code, 'update');
    assert.equal(event.action, 'C');
  });
  it('a conditional delete of two: one event per resource, with the patient of the version deleted', () => {
    const changes: ResourceChange[] = ['a', 'b'].map((id) => ({ action: 'delete', resourceType: 'Observation', id, versionId: `2${id}`, previous: { ...observation, subject: { reference: `Patient/${id}` } } }));
    const events = writeFacts(model, plan('delete', 'Observation', 'DELETE', 'Observation?code=x'), { status: 204, headers: {} }, changes).map(restEvent) as AuditEvent[];
    assert.deepEqual(events.map(patientOf), ['Patient/a', 'Patient/b']);
    assert.deepEqual(events.map((event) => event.action), ['D', 'D']);
    assert.deepEqual((events[0].meta as any).profile, [`${BALP}PatientDelete`]);
  });
  it('a write that changed nothing: one event about what it named', () => {
    const events = writeFacts(model, plan('delete', 'Patient', 'DELETE', 'Patient/x'), { status: 204, headers: {} }, []).map(restEvent) as AuditEvent[];
    assert.deepEqual(events.map(references), [['Patient/x']]);
  });
});

describe('the events of the authorization server', () => {
  it('a sign-in: User Authentication / Login, success and failure', () => {
    const success = signInEvent({ login: 'ada@example.org', userId: 'ada', clientId: 'app', address: '10.0.0.1', baseUrl: BASE }) as any;
    assert.equal(success.type.code, '110114');
    assert.equal(success.subtype[0].code, '110122');
    assert.equal(success.outcome, '0');
    assert.equal(success.agent[0].who.display, 'User/ada');
    assert.equal(success.agent[0].network.address, '10.0.0.1');
    const failure = signInEvent({ login: 'ada@example.org', clientId: 'app', baseUrl: BASE }) as any;
    assert.equal(failure.outcome, '4');
    assert.equal(failure.agent[0].who.identifier.value, 'ada@example.org');
  });
  it('a token issued: ITI-71 with the IHE.IUA.71 profile and the scopes; a revocation: Logout naming the session', () => {
    const token = tokenIssuedEvent({ clientId: 'app', userId: 'ada', scopes: ['patient/*.rs', 'openid'], sessionId: 's1', baseUrl: BASE }) as any;
    assert.equal(token.type.code, '110114');
    assert.equal(token.subtype[0].code, 'ITI-71');
    assert.deepEqual(token.meta.profile, ['https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.IUA.71']);
    assert.equal(token.entity[0].description, 'scope: patient/*.rs openid');
    const revoked = revocationEvent({ clientId: 'app', sessionId: 's1', baseUrl: BASE }) as any;
    assert.equal(revoked.subtype[0].code, '110123');
    assert.equal(revoked.entity[0].what.reference, 'Session/s1');
  });
});

describe('forwarding', () => {
  it('a batch becomes a transaction Bundle of creates', () => {
    const bundle = forwardBundle([{ resourceType: 'AuditEvent', id: 'e1' }]) as any;
    assert.equal(bundle.type, 'transaction');
    assert.deepEqual(bundle.entry[0].request, { method: 'POST', url: 'AuditEvent' });
    assert.equal(bundle.entry[0].fullUrl, 'urn:uuid:e1');
  });
});
