/**
 * The client credentials grant at POST /auth/token (RFC 6749 section 4.4, SMART Backend Services):
 * a client secret by HTTP Basic or in the body, or a private key JWT assertion; the token works on
 * the FHIR API; and every refusal with its RFC 6749 error and status.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { startTestFlint, type TestFlint } from '../support/test-server.js';
import { assertionKey, basic, clientAssertion, postForm, putClient, putResource, type AssertionKey } from './oauth-support.js';
import { allowEveryone } from '../access/access-helpers.js';

describe('client credentials grant', () => {
  let flint: TestFlint;
  let key: AssertionKey;
  const grant = { grant_type: 'client_credentials' };

  before(async () => {
    flint = await startTestFlint();
    await allowEveryone(flint);
    key = await assertionKey('backend-key');
    await putClient(flint, {
      id: 'backend', secret: 'backend-secret', grant_types: ['client_credentials'],
      scope: ['system/Patient.rs', 'system/Observation.cruds', 'patient/*.rs'],
      auth: { client_credentials: { access_token_expiration: 120 } },
    });
    await putClient(flint, { id: 'signer', grant_types: ['client_credentials'], scope: ['system/*.rs'], jwks: { keys: [key.publicJwk] } });
    await putClient(flint, { id: 'coder', secret: 'coder-secret', grant_types: ['authorization_code'], scope: ['system/*.rs'] });
    await putClient(flint, { id: 'retired', secret: 'retired-secret', active: false, grant_types: ['client_credentials'], scope: ['system/*.rs'] });
    await putResource(flint, { resourceType: 'Patient', id: 'p1', name: [{ family: 'Chalmers' }] });
  });
  after(() => flint.stop());

  it('issues a token to a client authenticated by HTTP Basic, with no-store headers', async () => {
    const answer = await postForm(flint, '/auth/token', grant, basic('backend', 'backend-secret'));
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.headers['cache-control'], 'no-store');
    assert.equal(answer.headers.pragma, 'no-cache');
    assert.equal(answer.body.token_type, 'Bearer');
    assert.equal(answer.body.expires_in, 120);
    assert.equal(answer.body.scope, 'system/Patient.rs system/Observation.cruds');
    const claims = decodeJwt(answer.body.access_token);
    assert.equal(claims.client_id, 'backend');
    assert.equal(claims.aud, 'http://flint.test/fhir');
    assert.equal(claims.iss, 'http://flint.test/auth');
    const read = await flint.get('/fhir/Patient/p1', { headers: { authorization: `Bearer ${answer.body.access_token}` } });
    assert.equal(read.status, 200);
  });

  it('reads the Basic id and secret form-urlencoded (RFC 6749 section 2.3.1)', async () => {
    await putClient(flint, { id: 'odd', secret: 'p@ss:w rd+%', grant_types: ['client_credentials'], scope: ['system/*.rs'] });
    const answer = await postForm(flint, '/auth/token', grant, basic('odd', 'p@ss:w rd+%'));
    assert.equal(answer.status, 200, answer.text);
    const raw = await postForm(flint, '/auth/token', grant, `Basic ${Buffer.from('odd:p@ss:w rd+%').toString('base64')}`);
    assert.equal(raw.status, 401, 'a % that starts no escape is not form-urlencoded');
  });

  it('issues a token to a client_secret_post client, narrowed to the scope it asks for', async () => {
    const answer = await postForm(flint, '/auth/token', { ...grant, client_id: 'backend', client_secret: 'backend-secret', scope: 'system/Patient.r' });
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.scope, 'system/Patient.r');
  });

  it('issues a token for a private key JWT assertion, once per assertion', async () => {
    const assertion = await clientAssertion(key, 'signer');
    const form = { ...grant, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion };
    const answer = await postForm(flint, '/auth/token', form);
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.scope, 'system/*.rs');
    assert.equal(answer.body.expires_in, 300);
    const replayed = await postForm(flint, '/auth/token', form);
    assert.equal(replayed.status, 401);
    assert.equal(replayed.body.error, 'invalid_client');
    assert.match(replayed.body.error_description, /already used/);
  });

  const assertionCases: [string, () => Promise<string>, RegExp][] = [
    ['expired', () => clientAssertion(key, 'signer', { exp: Math.floor(Date.now() / 1000) - 600 }), /expired/],
    ['addressed elsewhere', () => clientAssertion(key, 'signer', { aud: 'https://elsewhere.example/token' }), /aud/],
    ['living too long', () => clientAssertion(key, 'signer', { exp: Math.floor(Date.now() / 1000) + 3600 }), /5 minutes/],
    ['signed by another key', async () => clientAssertion(await assertionKey('backend-key'), 'signer'), /signature/],
    ['of a client without keys', () => clientAssertion(key, 'backend'), /no registered keys/],
  ];
  for (const [name, make, reason] of assertionCases) {
    it(`refuses an assertion ${name}`, async () => {
      const answer = await postForm(flint, '/auth/token', {
        ...grant, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: await make(),
      });
      assert.equal(answer.status, 401, answer.text);
      assert.equal(answer.body.error, 'invalid_client');
      assert.match(answer.body.error_description, reason);
      assert.ok(answer.headers['www-authenticate']);
    });
  }

  const refusals: [string, Record<string, string>, string | undefined, number, string][] = [
    ['an unknown client', {}, basic('nobody', 'backend-secret'), 401, 'invalid_client'],
    ['a wrong secret', {}, basic('backend', 'wrong'), 401, 'invalid_client'],
    ['an inactive client', {}, basic('retired', 'retired-secret'), 401, 'invalid_client'],
    ['no client authentication', {}, undefined, 401, 'invalid_client'],
    ['a client without the grant', {}, basic('coder', 'coder-secret'), 400, 'unauthorized_client'],
    ['a scope the client may not have', { scope: 'system/Encounter.rs' }, basic('backend', 'backend-secret'), 400, 'invalid_scope'],
    ['a scope that is not a SMART scope', { scope: 'system/Patient.xyz' }, basic('backend', 'backend-secret'), 400, 'invalid_scope'],
    ['a patient scope', { scope: 'patient/*.rs' }, basic('backend', 'backend-secret'), 400, 'invalid_scope'],
    ['two authentication methods', { client_id: 'backend', client_secret: 'backend-secret' }, basic('backend', 'backend-secret'), 400, 'invalid_request'],
    ['a different client_id than the Basic one', { client_id: 'signer' }, basic('backend', 'backend-secret'), 401, 'invalid_client'],
  ];
  for (const [name, extra, authorization, status, error] of refusals) {
    it(`refuses ${name} with ${error}`, async () => {
      const answer = await postForm(flint, '/auth/token', { ...grant, ...extra }, authorization);
      assert.equal(answer.status, status, answer.text);
      assert.equal(answer.body.error, error);
      assert.equal(typeof answer.body.error_description, 'string');
      assert.equal(answer.headers['cache-control'], 'no-store');
      if (status === 401) assert.equal(answer.headers['www-authenticate'], 'Basic realm="flint"');
      assert.ok(!answer.text.includes('backend-secret'));
    });
  }

  it('refuses an unknown grant type, a missing grant type and a body that is not a form', async () => {
    const unknown = await postForm(flint, '/auth/token', { grant_type: 'password' }, basic('backend', 'backend-secret'));
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error, 'unsupported_grant_type');
    const missing = await postForm(flint, '/auth/token', {}, basic('backend', 'backend-secret'));
    assert.equal(missing.body.error, 'invalid_request');
    const json = await flint.app.inject({ method: 'POST', url: '/auth/token', headers: { 'content-type': 'application/json' }, payload: '{"grant_type":"client_credentials"}' });
    assert.equal(json.statusCode, 400);
    assert.equal(JSON.parse(json.body).error, 'invalid_request');
    const repeated = await flint.app.inject({
      method: 'POST', url: '/auth/token', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('backend', 'backend-secret') },
      payload: 'grant_type=client_credentials&scope=system/Patient.rs&scope=system/Patient.rs',
    });
    assert.equal(JSON.parse(repeated.body).error, 'invalid_request');
  });
});
