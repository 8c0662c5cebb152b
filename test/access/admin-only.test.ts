/**
 * The administrative endpoints answer 403 to a caller that is neither the root client nor an
 * administrator: $sql, $explain, the search index operations, the storage and API operations, the
 * identity types (/fhir/Client, /fhir/User, in a transaction, in _include/_revinclude/_type) and
 * the history of the whole server. The root client and an admin user's token may use them all.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hasAdminRole, ROOT_CLIENT_ID } from '../../src/access/index.js';
import { issueCodes, ROOT_BASIC, startTestFlint, type FhirAnswer, type TestFlint } from '../support/test-server.js';
import { accessToken, basic, bearer, putClient, allowEveryone } from './access-helpers.js';

let flint: TestFlint;
let adminToken: string;
let userToken: string;
const CLINIC = basic('clinic-app', 'clinic-app-secret');

before(async () => {
  flint = await startTestFlint();
  await allowEveryone(flint);
  await putClient(flint, 'clinic-app', { secret: 'clinic-app-secret', scope: ['system/*.rs'] });
  assert.equal((await flint.put('/fhir/User/ada', { resourceType: 'User', id: 'ada', email: 'ada@example.org', password: 'ada-password' })).status, 201);
  assert.equal((await flint.put('/fhir/Role/ada-admin', { resourceType: 'Role', id: 'ada-admin', name: 'admin', user: { reference: 'User/ada' } })).status, 201);
  assert.equal((await flint.put('/fhir/User/bo', { resourceType: 'User', id: 'bo', email: 'bo@example.org', password: 'bo-password' })).status, 201);
  assert.equal(await hasAdminRole(flint.ctx, 'ada'), true);
  assert.equal(await hasAdminRole(flint.ctx, 'bo'), false);
  adminToken = await accessToken(flint, { clientId: ROOT_CLIENT_ID, userId: 'ada', scopes: ['user/*.cruds'], admin: true });
  userToken = await accessToken(flint, { clientId: 'clinic-app', userId: 'bo', scopes: ['user/*.cruds'], admin: false });
  assert.equal((await flint.post('/fhir/Patient', { resourceType: 'Patient', name: [{ family: 'Guarded' }] })).status, 201);
});
after(async () => { await flint.stop(); });

const parameters = (...parameter: object[]) => ({ resourceType: 'Parameters', parameter });
const clientEntry = { resource: { resourceType: 'Client', id: 'sneaky', grant_types: ['basic'], secret: 'sneaky-secret' }, request: { method: 'PUT', url: 'Client/sneaky' } };

/** Each administrative request, and whether the admins' request is expected to succeed (some change state, so only the refusal is checked). */
const ADMINISTRATIVE: { name: string; send: (authorization: string) => Promise<FhirAnswer>; adminsMayRun: boolean }[] = [
  { name: 'POST /$sql', adminsMayRun: true, send: (authorization) => flint.post('/$sql', undefined, { headers: { authorization }, raw: 'SELECT 1 AS one', contentType: 'text/plain' }) },
  { name: '$explain', adminsMayRun: true, send: (authorization) => flint.get('/fhir/Patient/$explain?family=x', { headers: { authorization } }) },
  { name: '$search-indexes', adminsMayRun: true, send: (authorization) => flint.get('/fhir/$search-indexes', { headers: { authorization } }) },
  {
    name: '$create-search-index', adminsMayRun: false,
    send: (authorization) => flint.post('/fhir/Observation/$create-search-index', parameters({ name: 'code', valueCode: 'status' }), { headers: { authorization } }),
  },
  {
    name: '$drop-search-index', adminsMayRun: false,
    send: (authorization) => flint.post('/fhir/Observation/$drop-search-index', parameters({ name: 'code', valueCode: 'status' }), { headers: { authorization } }),
  },
  { name: '$list-storage', adminsMayRun: true, send: (authorization) => flint.post('/fhir/$list-storage', undefined, { headers: { authorization } }) },
  { name: '$list-api', adminsMayRun: true, send: (authorization) => flint.post('/fhir/$list-api', undefined, { headers: { authorization } }) },
  { name: '$create-storage', adminsMayRun: false, send: (authorization) => flint.post('/fhir/$create-storage', parameters(), { headers: { authorization } }) },
  { name: '$delete-api', adminsMayRun: false, send: (authorization) => flint.post('/fhir/$delete-api', parameters(), { headers: { authorization } }) },
  { name: '$load-package', adminsMayRun: false, send: (authorization) => flint.post('/fhir/$load-package', parameters(), { headers: { authorization } }) },
  { name: 'GET /fhir/Client', adminsMayRun: true, send: (authorization) => flint.get('/fhir/Client', { headers: { authorization } }) },
  { name: 'GET /fhir/Client/root', adminsMayRun: true, send: (authorization) => flint.get('/fhir/Client/root', { headers: { authorization } }) },
  { name: 'GET /fhir/User', adminsMayRun: true, send: (authorization) => flint.get('/fhir/User', { headers: { authorization } }) },
  { name: 'GET /User/bo (native)', adminsMayRun: true, send: (authorization) => flint.get('/User/bo', { headers: { authorization } }) },
  { name: 'GET /fhir/Role/_history', adminsMayRun: true, send: (authorization) => flint.get('/fhir/Role/_history', { headers: { authorization } }) },
  {
    name: 'PUT /fhir/Client/other', adminsMayRun: false,
    send: (authorization) => flint.put('/fhir/Client/other', { resourceType: 'Client', id: 'other', grant_types: ['basic'], secret: 'other-secret' }, { headers: { authorization } }),
  },
  { name: 'DELETE /fhir/User/bo', adminsMayRun: false, send: (authorization) => flint.delete('/fhir/User/bo', { headers: { authorization } }) },
  {
    name: 'a transaction Bundle with a Client entry', adminsMayRun: false,
    send: (authorization) => flint.post('/fhir', { resourceType: 'Bundle', type: 'transaction', entry: [clientEntry] }, { headers: { authorization } }),
  },
  { name: '_include of an identity type', adminsMayRun: true, send: (authorization) => flint.get('/fhir/Role?_include=Role:user', { headers: { authorization } }) },
  { name: '_revinclude of an identity type', adminsMayRun: true, send: (authorization) => flint.get('/fhir/Patient?_revinclude=Role:user', { headers: { authorization } }) },
  { name: '_type naming an identity type', adminsMayRun: true, send: (authorization) => flint.get('/fhir?_type=Patient,Client', { headers: { authorization } }) },
  { name: 'the history of the whole server', adminsMayRun: true, send: (authorization) => flint.get('/fhir/_history', { headers: { authorization } }) },
];

function assertForbidden(answer: FhirAnswer, where: string): void {
  assert.equal(answer.status, 403, `${where}: ${answer.text.slice(0, 300)}`);
  assert.equal(answer.body?.resourceType, 'OperationOutcome', where);
  assert.deepEqual(issueCodes(answer.body), ['access.admin-only'], where);
}

describe('the administrative endpoints', () => {
  it('answer 403 access.admin-only to a client that is not the root client', async () => {
    for (const request of ADMINISTRATIVE) assertForbidden(await request.send(CLINIC), `${request.name} (client)`);
  });

  it('answer 403 access.admin-only to a user token without the admin flag', async () => {
    for (const request of ADMINISTRATIVE) assertForbidden(await request.send(bearer(userToken)), `${request.name} (user)`);
  });

  it('changed nothing when they refused', async () => {
    assert.equal((await flint.get('/fhir/Client/sneaky')).status, 404);
    assert.equal((await flint.get('/fhir/Client/other')).status, 404);
    assert.equal((await flint.get('/fhir/User/bo')).status, 200);
    assert.equal((await flint.get('/fhir/Observation/$search-indexes')).text.includes('"status"'), false);
  });

  it('serve the root client and an administrator\'s token', async () => {
    for (const authorization of [ROOT_BASIC, bearer(adminToken)]) {
      for (const request of ADMINISTRATIVE.filter((candidate) => candidate.adminsMayRun)) {
        const answer = await request.send(authorization);
        assert.ok(answer.status >= 200 && answer.status < 300, `${request.name}: ${answer.status} ${answer.text.slice(0, 300)}`);
      }
    }
  });

  it('let an administrator write an identity resource in a transaction', async () => {
    const answer = await flint.post('/fhir', { resourceType: 'Bundle', type: 'transaction', entry: [clientEntry] }, { headers: { authorization: bearer(adminToken) } });
    assert.equal(answer.status, 200, answer.text);
    assert.equal((await flint.get('/fhir/Patient', { headers: { authorization: basic('sneaky', 'sneaky-secret') } })).status, 200);
  });
});

describe('the same callers on ordinary data', () => {
  it('are served (so that the refusals above are about the endpoints)', async () => {
    for (const authorization of [CLINIC, bearer(userToken)]) {
      const search = await flint.get('/fhir/Patient?family=Guarded', { headers: { authorization } });
      assert.equal(search.status, 200);
      assert.equal(search.body.entry.length, 1);
      assert.equal((await flint.get('/fhir?_type=Patient', { headers: { authorization } })).status, 200);
      assert.equal((await flint.get('/fhir/Patient/_history', { headers: { authorization } })).status, 200);
    }
  });
});
