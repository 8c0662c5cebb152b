/**
 * Access policies through real HTTP requests: default deny, the administrators' bypass, each engine
 * (allow, matcho, json-schema, sql with bind values and an injection attempt, complex), each kind
 * of link (client, user, role, operation, global), policies refused when written (422), AuditEvent
 * never writable, an administrative operation granted by a policy while $sql stays with
 * administrators, and the row rules a request carries (request.rows, read by a guard placed after
 * the access guard).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ROOT_CLIENT_ID } from '../../src/access/index.js';
import type { RowRule } from '../../src/core/index.js';
import { issueCodes, startTestFlint, type TestFlint } from '../support/test-server.js';
import { accessToken, basic, bearer, putClient } from './access-helpers.js';

let flint: TestFlint;
/** The rows the last request carried, per type asked about (undefined: not narrowed). */
let seen: Record<string, RowRule> | undefined;
const SEEN_TYPES = ['Patient', 'Observation', 'Encounter', 'Practitioner'];
const APP = basic('app', 'app-secret');
const OTHER = basic('other', 'other-secret');
const SQLAPP = basic('sqlapp', 'sqlapp-secret');
let boToken: string;
let cyToken: string;

async function putPolicy(id: string, body: Record<string, unknown>): Promise<void> {
  const answer = await flint.put(`/fhir/AccessPolicy/${id}`, { resourceType: 'AccessPolicy', id, ...body });
  assert.ok(answer.status === 200 || answer.status === 201, `PUT AccessPolicy/${id}: ${answer.status} ${answer.text}`);
}

const as = (authorization: string, headers: Record<string, string> = {}) => ({ headers: { authorization, ...headers } });

before(async () => {
  flint = await startTestFlint();
  flint.ctx.guards!.push((request) => {
    seen = request.rows ? Object.fromEntries(SEEN_TYPES.map((type) => [type, request.rows!.forType(type)])) : undefined;
  });
  for (const id of ['app', 'other', 'sqlapp']) await putClient(flint, id, { secret: `${id}-secret` });
  await flint.put('/fhir/User/bo', { resourceType: 'User', id: 'bo', email: 'bo@example.org', fhirUser: { reference: 'Patient/p1' } });
  await flint.put('/fhir/User/cy', { resourceType: 'User', id: 'cy', email: 'cy@example.org' });
  await flint.put('/fhir/Role/cy-nurse', { resourceType: 'Role', id: 'cy-nurse', name: 'nurse', user: { reference: 'User/cy' } });
  for (const id of ['p1', 'p2']) await flint.put(`/fhir/Patient/${id}`, { resourceType: 'Patient', id });
  boToken = await accessToken(flint, { clientId: 'other', userId: 'bo', fhirUser: 'Patient/p1', scopes: [], admin: false });
  cyToken = await accessToken(flint, { clientId: 'other', userId: 'cy', scopes: [], admin: false });
});
after(async () => { await flint.stop(); });

describe('default deny and the administrators', () => {
  it('refuses a client no policy names with 403 access.denied', async () => {
    const answer = await flint.get('/fhir/Patient', as(APP));
    assert.equal(answer.status, 403);
    assert.deepEqual(issueCodes(answer.body), ['access.denied']);
  });

  it('lets the root client and an admin token through without row rules', async () => {
    assert.equal((await flint.get('/fhir/Patient')).status, 200);
    assert.equal(seen, undefined);
    const admin = await accessToken(flint, { clientId: ROOT_CLIENT_ID, userId: 'ada', scopes: [], admin: true });
    assert.equal((await flint.get('/fhir/Patient/p1', as(bearer(admin)))).status, 200);
    assert.equal(seen, undefined);
  });

  it('serves the CapabilityStatement to anyone', async () => {
    assert.equal((await flint.get('/fhir/metadata', as(APP))).status, 200);
  });
});

describe('engines and links', () => {
  before(async () => {
    await putPolicy('app-allow', { engine: 'allow', link: [{ reference: 'Client/app' }] });
    await putPolicy('bo-reads-observations', {
      engine: 'matcho', link: [{ reference: 'User/bo' }],
      matcho: { 'request-method': { $enum: ['get', 'head'] }, params: { 'resource/type': 'Observation', subject: '.user.fhirUser.reference' } },
    });
    await putPolicy('nurses-encounters', { engine: 'allow', roleName: 'nurse', rows: ['Encounter'] });
    await putPolicy('blue-team', {
      engine: 'json-schema', schema: { type: 'object', required: ['headers'], properties: { headers: { type: 'object', required: ['x-team'], properties: { 'x-team': { const: 'blue' } } } } },
    });
    await putPolicy('sqlapp-reads-p1', { engine: 'sql', link: [{ reference: 'Client/sqlapp' }], sql: { query: "SELECT {{params.resource/id}} = 'p1'" } });
    await putPolicy('sqlapp-fails', { engine: 'sql', link: [{ reference: 'Client/sqlapp' }], sql: { query: 'SELECT 1 / 0 = 1' } });
    await putPolicy('other-complex', {
      engine: 'complex', link: [{ reference: 'Client/other' }],
      and: [{ engine: 'matcho', matcho: { 'request-method': 'get' } }],
      or: [{ engine: 'matcho', matcho: { params: { 'resource/type': 'Practitioner' } } }, { engine: 'json-schema', schema: { required: ['query-string'], properties: { 'query-string': { pattern: 'name=Smith' } } } }],
    });
  });

  it('allow linked to a client: that client, and no other', async () => {
    assert.equal((await flint.get('/fhir/Patient', as(APP))).status, 200);
    assert.equal(seen, undefined, 'a policy without rows grants every row');
    assert.equal((await flint.post('/fhir/Patient', { resourceType: 'Patient' }, as(APP))).status, 201);
    assert.equal((await flint.get('/fhir/Patient', as(basic('sqlapp', 'sqlapp-secret')))).status, 403);
  });

  it('matcho linked to a user, with $enum and a .path value', async () => {
    assert.equal((await flint.get('/fhir/Observation?subject=Patient/p1', as(bearer(boToken)))).status, 200);
    assert.equal((await flint.get('/fhir/Observation?subject=Patient/p2', as(bearer(boToken)))).status, 403);
    assert.equal((await flint.post('/fhir/Observation', { resourceType: 'Observation' }, as(bearer(boToken)))).status, 403);
  });

  it('a policy for a role name applies to the users holding it, with its rows', async () => {
    assert.equal((await flint.get('/fhir/Encounter', as(bearer(cyToken)))).status, 200);
    assert.deepEqual(seen, { Patient: { kind: 'none' }, Observation: { kind: 'none' }, Encounter: { kind: 'all' }, Practitioner: { kind: 'none' } });
    assert.equal((await flint.get('/fhir/Patient', as(bearer(cyToken)))).status, 403);
  });

  it('a Role given to a user counts at once (the cached identity is cleared by the write)', async () => {
    await flint.put('/fhir/User/dee', { resourceType: 'User', id: 'dee', email: 'dee@example.org' });
    const deeToken = await accessToken(flint, { clientId: 'other', userId: 'dee', scopes: [], admin: false });
    assert.equal((await flint.get('/fhir/Encounter', as(bearer(deeToken)))).status, 403);
    await flint.put('/fhir/Role/dee-nurse', { resourceType: 'Role', id: 'dee-nurse', name: 'nurse', user: { reference: 'User/dee' } });
    assert.equal((await flint.get('/fhir/Encounter', as(bearer(deeToken)))).status, 200);
    assert.equal((await flint.delete('/fhir/Role/dee-nurse')).status, 204);
    assert.equal((await flint.get('/fhir/Encounter', as(bearer(deeToken)))).status, 403);
  });

  it('a global json-schema policy applies to every caller', async () => {
    assert.equal((await flint.get('/fhir/Patient', as(bearer(cyToken), { 'x-team': 'blue' }))).status, 200);
    assert.equal((await flint.get('/fhir/Patient', as(bearer(cyToken), { 'x-team': 'red' }))).status, 403);
  });

  it('sql with the request values as bind parameters; a failing query denies', async () => {
    assert.equal((await flint.get('/fhir/Patient/p1', as(SQLAPP))).status, 200);
    assert.equal((await flint.get('/fhir/Patient/p2', as(SQLAPP))).status, 403);
    const injection = await flint.get(`/fhir/Patient/${encodeURIComponent("x' OR 'a'='a")}`, as(SQLAPP));
    assert.equal(injection.status, 403);
    assert.deepEqual(issueCodes(injection.body), ['access.denied']);
  });

  it('complex: and of one body, or of two', async () => {
    assert.equal((await flint.get('/fhir/Practitioner', as(OTHER))).status, 200);
    assert.equal((await flint.get('/fhir/Patient?name=Smith', as(OTHER))).status, 200);
    assert.equal((await flint.get('/fhir/Patient?name=Jones', as(OTHER))).status, 403);
    assert.equal((await flint.post('/fhir/Practitioner', { resourceType: 'Practitioner' }, as(OTHER))).status, 403);
  });

  it('the native API form of a policy round-trips, its link as {resourceType, id}', async () => {
    const native = await flint.get('/AccessPolicy/app-allow');
    assert.deepEqual(native.body.link, [{ resourceType: 'Client', id: 'app' }]);
    const fhir = await flint.get('/fhir/AccessPolicy/other-complex');
    assert.deepEqual(fhir.body.or[1].schema.properties, { 'query-string': { pattern: 'name=Smith' } });
    assert.equal((await flint.get('/fhir/AccessPolicy?link=Client/app')).body.total, 1);
  });
});

describe('policies that cannot be used are refused when written', () => {
  const BAD: [string, Record<string, unknown>][] = [
    ['an unknown engine', { engine: 'maybe' }],
    ['matcho without a pattern', { engine: 'matcho' }],
    ['a bad regex', { engine: 'matcho', matcho: { uri: '#(' } }],
    ['a schema that does not compile', { engine: 'json-schema', schema: { type: 'nonsense' } }],
    ['sql that is not a SELECT', { engine: 'sql', sql: { query: 'DELETE FROM patient' } }],
    ['sql of two statements', { engine: 'sql', sql: { query: 'SELECT true; SELECT false' } }],
    ['complex without bodies', { engine: 'complex' }],
    ['complex with a bad nested body', { engine: 'complex', or: [{ engine: 'matcho', matcho: { a: { $nope: 1 } } }] }],
    ['rows naming no type', { engine: 'allow', rows: ['observation?code=x'] }],
    ['rows with an unknown search parameter', { engine: 'allow', rows: ['Observation?colour=red'] }],
    ['rows with a compartment that is none', { engine: 'allow', rows: ['Observation/{{user.id}}'] }],
  ];
  for (const [name, body] of BAD) {
    it(name, async () => {
      const answer = await flint.put('/fhir/AccessPolicy/bad', { resourceType: 'AccessPolicy', id: 'bad', ...body });
      assert.equal(answer.status, 422, answer.text);
      assert.ok(issueCodes(answer.body).includes('access.invalid-policy') || issueCodes(answer.body).some((code) => code.startsWith('validation.')), answer.text);
    });
  }
});

describe('AuditEvent and administrative operations', () => {
  const audit = { resourceType: 'AuditEvent', type: { code: 'rest' }, recorded: '2026-01-01T00:00:00Z', agent: [{ requestor: true }], source: { observer: { display: 'x' } } };

  it('AuditEvents are append-only for everyone; creating one takes an administrator or a policy naming AuditEvent', async () => {
    const created = await flint.post('/fhir/AuditEvent', audit);
    assert.equal(created.status, 201, created.text);
    const id = created.body.id as string;
    for (const answer of [await flint.put(`/fhir/AuditEvent/${id}`, { ...audit, id }), await flint.delete(`/fhir/AuditEvent/${id}`)]) {
      assert.equal(answer.status, 405, answer.text);
      assert.deepEqual(issueCodes(answer.body), ['audit.immutable']);
    }
    const bundle = await flint.post('/fhir', { resourceType: 'Bundle', type: 'transaction', entry: [{ request: { method: 'DELETE', url: `AuditEvent/${id}` } }] });
    assert.equal(bundle.status, 405, bundle.text);
    assert.equal((await flint.get(`/fhir/AuditEvent/${id}`)).status, 200);
    const refused = await flint.post('/fhir/AuditEvent', audit, as(APP));
    assert.equal(refused.status, 403);
  });

  it('reading AuditEvents takes a policy naming them', async () => {
    assert.equal((await flint.get('/fhir/AuditEvent')).status, 200);
    const refused = await flint.get('/fhir/AuditEvent', as(APP));
    assert.equal(refused.status, 403);
    assert.deepEqual(issueCodes(refused.body), ['access.admin-only']);
    await putPolicy('app-audit', { engine: 'allow', link: [{ reference: 'Client/app' }], rows: ['AuditEvent'] });
    assert.equal((await flint.get('/fhir/AuditEvent', as(APP))).status, 200);
  });

  it('an administrative operation is granted by a policy linked to it; $sql never is', async () => {
    assert.equal((await flint.post('/fhir/$list-storage', undefined, as(APP))).status, 403);
    await putPolicy('app-storages', { engine: 'matcho', link: [{ reference: 'Operation/FhirListStorage' }, { reference: 'Operation/FhirSql' }], matcho: { client: { id: 'app' } } });
    assert.equal((await flint.post('/fhir/$list-storage', undefined, as(APP))).status, 200);
    assert.equal((await flint.post('/fhir/$list-storage', undefined, as(OTHER))).status, 403);
    const sql = await flint.post('/$sql', undefined, { ...as(APP), raw: 'SELECT 1 AS one', contentType: 'text/plain' });
    assert.equal(sql.status, 403);
    assert.equal((await flint.get('/fhir/Client', as(APP))).status, 403, 'the identity types stay closed');
  });
});
