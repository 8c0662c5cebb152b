/**
 * SMART scopes over policies, through real HTTP requests with tokens: a table of scope sets and
 * interactions (allowed, or 403 access.missing-scope naming the scope needed), the rows each
 * request carries (request.rows, read by a guard placed after the access guard: the launch
 * patient's compartment, granular criteria, a policy's rows with {{}} values, their
 * intersection), HTTP Basic clients not narrowed by their registered scopes, and the debugging
 * aids: $test-policy and the x-debug-policy header (administrators only).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RowRule } from '../../src/core/index.js';
import { issueCodes, startTestFlint, type TestFlint } from '../support/test-server.js';
import { accessToken, basic, bearer, putClient } from './access-helpers.js';

let flint: TestFlint;
let seen: Record<string, RowRule> | undefined;
const SEEN_TYPES = ['Patient', 'Observation', 'Encounter'];

async function putPolicy(id: string, body: Record<string, unknown>): Promise<void> {
  const answer = await flint.put(`/fhir/AccessPolicy/${id}`, { resourceType: 'AccessPolicy', id, ...body });
  assert.ok(answer.status === 200 || answer.status === 201, `PUT AccessPolicy/${id}: ${answer.status} ${answer.text}`);
}

function token(scopes: string[], extra: { userId?: string; fhirUser?: string; patient?: string; clientId?: string } = {}): Promise<string> {
  return accessToken(flint, {
    clientId: extra.clientId ?? 'app', scopes, admin: false, ...(extra.userId ? { userId: extra.userId } : {}), ...(extra.fhirUser ? { fhirUser: extra.fhirUser } : {}),
    ...(extra.patient ? { launch: { patient: extra.patient } } : {}),
  });
}

before(async () => {
  flint = await startTestFlint();
  flint.ctx.guards!.push((request) => {
    seen = request.rows ? Object.fromEntries(SEEN_TYPES.map((type) => [type, request.rows!.forType(type)])) : undefined;
  });
  await putClient(flint, 'app', { secret: 'app-secret', scope: ['patient/Observation.rs'] });
  await flint.put('/fhir/User/bo', { resourceType: 'User', id: 'bo', email: 'bo@example.org', fhirUser: { reference: 'Patient/p1' } });
  await flint.put('/fhir/Patient/p1', { resourceType: 'Patient', id: 'p1' });
  await putPolicy('app-allow', { engine: 'allow', link: [{ reference: 'Client/app' }] });
  await flint.put('/fhir/User/doc', { resourceType: 'User', id: 'doc', email: 'doc@example.org', fhirUser: { reference: 'Practitioner/p1' } });
  await putPolicy('own-compartment', { engine: 'allow', link: [{ reference: 'User/doc' }, { reference: 'User/ann' }], rows: ['Patient/{{user.fhirUser}}'] });
  await flint.put('/fhir/User/ann', { resourceType: 'User', id: 'ann', email: 'ann@example.org', fhirUser: { reference: 'Patient/p1' } });
  await putPolicy('bo-own-observations', { engine: 'allow', link: [{ reference: 'User/bo' }], rows: ['Observation?subject={{user.fhirUser}}', 'Patient/{{context.patient}}'] });
});
after(async () => { await flint.stop(); });

const CASES: { scopes: string[]; method: string; url: string; status: number; missing?: string }[] = [
  { scopes: ['patient/Observation.rs'], method: 'GET', url: '/fhir/Observation', status: 200 },
  { scopes: ['patient/Observation.rs'], method: 'POST', url: '/fhir/Observation', status: 403, missing: 'patient/Observation.c' },
  { scopes: ['patient/Observation.rs'], method: 'GET', url: '/fhir/Patient', status: 403, missing: 'patient/Patient.s' },
  { scopes: ['patient/Observation.r'], method: 'GET', url: '/fhir/Observation', status: 403, missing: 'patient/Observation.s' },
  { scopes: ['patient/Observation.s'], method: 'GET', url: '/fhir/Patient/p1/Observation', status: 200 },
  { scopes: ['patient/*.read'], method: 'GET', url: '/fhir/Patient/p1', status: 200 },
  { scopes: ['patient/*.read'], method: 'DELETE', url: '/fhir/Patient/p1', status: 403, missing: 'patient/Patient.d' },
  { scopes: ['user/Observation.read'], method: 'GET', url: '/fhir/Observation/_history', status: 200 },
  { scopes: ['user/Patient.cu'], method: 'PUT', url: '/fhir/Patient?identifier=x', status: 403, missing: 'user/Patient.us' },
  { scopes: ['user/Patient.r'], method: 'GET', url: '/fhir/Patient/p1', status: 200 },
  { scopes: ['user/Patient.r'], method: 'GET', url: '/fhir/Patient/p1/_history', status: 403, missing: 'user/Patient.s' },
  { scopes: ['system/*.write'], method: 'POST', url: '/fhir/Encounter', status: 201 },
  { scopes: ['system/*.write'], method: 'GET', url: '/fhir/Encounter', status: 403, missing: 'system/Encounter.s' },
  { scopes: ['system/*.cruds'], method: 'PATCH', url: '/fhir/Patient/p1', status: 200 },
  { scopes: ['openid', 'fhirUser'], method: 'GET', url: '/fhir/Patient', status: 200 },
];

describe('SMART scopes: scope set x interaction', () => {
  for (const { scopes, method, url, status, missing } of CASES) {
    it(`${scopes.join(' ')}: ${method} ${url} -> ${status}${missing ? ` ${missing}` : ''}`, async () => {
      const body = method === 'POST' ? { resourceType: url.split('/')[2], status: 'planned', class: { code: 'AMB' } }
        : method === 'PATCH' ? [{ op: 'add', path: '/active', value: true }] : method === 'PUT' ? { resourceType: 'Patient' } : undefined;
      const headers: Record<string, string> = { authorization: bearer(await token(scopes, { patient: 'p1' })) };
      const answer = await flint.request(method, url, body, { headers, ...(method === 'PATCH' ? { contentType: 'application/json-patch+json' } : {}) });
      assert.equal(answer.status, status, answer.text);
      if (missing) {
        assert.deepEqual(issueCodes(answer.body), ['access.missing-scope']);
        assert.match(answer.body.issue[0].diagnostics, new RegExp(missing.replace(/[.*]/g, '\\$&')));
      }
    });
  }

  it('a client signing in with HTTP Basic is not narrowed by its registered scopes', async () => {
    assert.equal((await flint.get('/fhir/Patient', { headers: { authorization: basic('app', 'app-secret') } })).status, 200);
    assert.equal(seen, undefined);
  });
});

describe('the rows a request carries', () => {
  const get = async (url: string, authorization: string) => {
    const answer = await flint.get(url, { headers: { authorization } });
    assert.equal(answer.status, 200, answer.text);
    return seen;
  };

  it('patient/ scopes: the launch patient\'s compartment; types no scope names get none', async () => {
    assert.deepEqual(await get('/fhir/Observation', bearer(await token(['patient/Observation.rs'], { patient: 'p1' }))), {
      Patient: { kind: 'none' }, Observation: { kind: 'compartment', compartment: 'Patient', id: 'p1' }, Encounter: { kind: 'none' },
    });
  });

  it('patient/ scopes without a launch patient: no rows', async () => {
    assert.deepEqual((await get('/fhir/Observation', bearer(await token(['patient/Observation.rs']))))?.Observation, { kind: 'none' });
  });

  it('a granular scope: its query as criteria, ANDed with the compartment', async () => {
    const rows = await get('/fhir/Observation', bearer(await token(['patient/Observation.rs?category=laboratory', 'patient/Encounter.r'], { patient: 'p1' })));
    assert.deepEqual(rows?.Observation, { kind: 'every', rules: [{ kind: 'compartment', compartment: 'Patient', id: 'p1' }, { kind: 'criteria', query: [['category', 'laboratory']] }] });
    assert.deepEqual(rows?.Encounter, { kind: 'compartment', compartment: 'Patient', id: 'p1' });
  });

  it('a policy\'s rows with {{}} values, intersected with user/ scopes', async () => {
    const rows = await get('/fhir/Observation', bearer(await token(['user/Observation.rs', 'user/Patient.rs'], { clientId: 'other', userId: 'bo', fhirUser: 'Patient/p1', patient: 'p1' })));
    assert.deepEqual(rows, {
      Patient: { kind: 'compartment', compartment: 'Patient', id: 'p1' },
      Observation: { kind: 'any', rules: [{ kind: 'criteria', query: [['subject', 'Patient/p1']] }, { kind: 'compartment', compartment: 'Patient', id: 'p1' }] },
      Encounter: { kind: 'none' },
    });
  });

  it('patient/ scopes intersected with a policy\'s rows', async () => {
    const rows = await get('/fhir/Observation', bearer(await token(['patient/Observation.rs'], { clientId: 'other', userId: 'bo', fhirUser: 'Patient/p1', patient: 'p1' })));
    assert.deepEqual(rows?.Observation, { kind: 'every', rules: [
      { kind: 'any', rules: [{ kind: 'criteria', query: [['subject', 'Patient/p1']] }, { kind: 'compartment', compartment: 'Patient', id: 'p1' }] },
      { kind: 'compartment', compartment: 'Patient', id: 'p1' },
    ] });
  });

  it('a compartment filled from a reference: the patient\'s own for a Patient fhirUser, none for a Practitioner with the same id', async () => {
    const ann = await get('/fhir/Observation', bearer(await token(['openid', 'fhirUser'], { clientId: 'other', userId: 'ann', fhirUser: 'Patient/p1' })));
    assert.deepEqual(ann?.Observation, { kind: 'compartment', compartment: 'Patient', id: 'p1' });
    const doc = await get('/fhir/Observation', bearer(await token(['openid', 'fhirUser'], { clientId: 'other', userId: 'doc', fhirUser: 'Practitioner/p1' })));
    assert.deepEqual(doc, { Patient: { kind: 'none' }, Observation: { kind: 'none' }, Encounter: { kind: 'none' } });
  });

  it('a client with a policy without rows and user/ scopes: every row of the scoped types', async () => {
    const rows = await get('/fhir/Patient', bearer(await token(['user/Patient.rs'])));
    assert.deepEqual(rows, { Patient: { kind: 'all' }, Observation: { kind: 'none' }, Encounter: { kind: 'none' } });
  });
});

describe('debugging', () => {
  const parameters = (...parameter: object[]) => ({ resourceType: 'Parameters', parameter });

  it('$test-policy explains a described request: policies evaluated and rows per type', async () => {
    const answer = await flint.post('/fhir/$test-policy', parameters(
      { name: 'method', valueCode: 'GET' }, { name: 'url', valueString: '/fhir/Observation?code=x' },
      { name: 'user', valueString: 'bo' }, { name: 'client', valueString: 'other' }, { name: 'patient', valueString: 'p1' },
      { name: 'type', valueString: 'Observation' }, { name: 'type', valueString: 'Patient' }, { name: 'type', valueString: 'Encounter' },
    ));
    assert.equal(answer.status, 200, answer.text);
    const decision = JSON.parse(answer.body.parameter.find((p: any) => p.name === 'decision').valueString);
    assert.equal(decision.allowed, true);
    assert.equal(decision.operation, 'FhirSearch');
    assert.deepEqual(decision.policies, [{ id: 'bo-own-observations', engine: 'allow', allowed: true }]);
    assert.deepEqual(decision.rows, {
      Observation: { kind: 'any', rules: [{ kind: 'criteria', query: [['subject', 'Patient/p1']] }, { kind: 'compartment', compartment: 'Patient', id: 'p1' }] },
      Patient: { kind: 'compartment', compartment: 'Patient', id: 'p1' },
      Encounter: { kind: 'compartment', compartment: 'Patient', id: 'p1' },
    });
  });

  it('$test-policy says what refuses: a missing scope, or no policy', async () => {
    const scoped = await flint.post('/fhir/$test-policy', parameters(
      { name: 'method', valueCode: 'DELETE' }, { name: 'url', valueString: 'Observation/o1' }, { name: 'client', valueString: 'app' }, { name: 'scope', valueString: 'patient/Observation.rs' },
    ));
    assert.deepEqual(scoped.body.parameter.slice(0, 3), [
      { name: 'allowed', valueBoolean: false }, { name: 'operation', valueCode: 'FhirDelete' }, { name: 'refusal', valueCode: 'access.missing-scope' },
    ]);
    const nobody = await flint.post('/fhir/$test-policy', parameters({ name: 'url', valueString: 'Patient' }, { name: 'client', valueString: 'nobody' }));
    assert.equal(nobody.body.parameter.find((p: any) => p.name === 'refusal').valueCode, 'access.denied');
  });

  it('$test-policy is for administrators', async () => {
    const answer = await flint.post('/fhir/$test-policy', parameters({ name: 'url', valueString: 'Patient' }), { headers: { authorization: basic('app', 'app-secret') } });
    assert.equal(answer.status, 403);
  });

  it('x-debug-policy: an administrator gets x-policy-decision, anyone else nothing', async () => {
    const admin = await flint.get('/fhir/Patient', { headers: { 'x-debug-policy': 'true' } });
    assert.equal(admin.status, 200);
    const decision = JSON.parse(admin.headers['x-policy-decision'] as string);
    assert.equal(decision.operation, 'FhirSearch');
    assert.match(decision.bypass, /administrator/);
    const other = await flint.get('/fhir/Patient', { headers: { authorization: basic('app', 'app-secret'), 'x-debug-policy': 'true' } });
    assert.equal(other.status, 200);
    assert.equal(other.headers['x-policy-decision'], undefined);
    assert.equal((await flint.get('/fhir/Patient')).headers['x-policy-decision'], undefined);
  });
});
