/**
 * Token introspection (RFC 7662) and revocation (RFC 7009): the caller authenticates as a client (or
 * with a bearer token of the root client); valid tokens are described, anything else is inactive; a
 * revoked session's tokens are inactive; revocation answers 200 whatever the token. And the
 * userinfo endpoint (OpenID Connect Core section 5.3).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAuthorizationCode, s256Challenge } from '../../src/auth/index.js';
import { startTestFlint, TEST_ROOT_SECRET, type TestFlint } from '../support/test-server.js';
import { basic, FHIR_BASE, postForm, putClient, putResource } from './oauth-support.js';
import { allowEveryone } from '../access/access-helpers.js';

const REDIRECT = 'https://app.example/callback';
const VERIFIER = 'v'.repeat(50);
const APP = basic('app', 'app-secret');

describe('introspection, revocation and userinfo', () => {
  let flint: TestFlint;

  before(async () => {
    flint = await startTestFlint();
    await allowEveryone(flint);
    await putClient(flint, {
      id: 'app', secret: 'app-secret', grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      scope: ['openid', 'fhirUser', 'offline_access', 'patient/*.rs', 'system/Patient.rs'],
    });
    await putClient(flint, { id: 'neighbour', secret: 'neighbour-secret', grant_types: ['client_credentials'], scope: ['system/*.rs'] });
    await putResource(flint, { resourceType: 'Patient', id: 'p1' });
    await putResource(flint, { resourceType: 'User', id: 'bob', email: 'bob@example.org', fhirUser: { reference: 'Patient/p1' } });
  });
  after(() => flint.stop());

  async function userTokens(): Promise<{ access_token: string; refresh_token: string }> {
    const code = await createAuthorizationCode(flint.db, {
      clientId: 'app', userId: 'bob', fhirUser: 'Patient/p1', redirectUri: REDIRECT, admin: false, launch: { patient: 'p1' },
      scopes: ['openid', 'fhirUser', 'offline_access', 'patient/*.rs'], codeChallenge: s256Challenge(VERIFIER),
    });
    const answer = await postForm(flint, '/auth/token', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: VERIFIER }, APP);
    assert.equal(answer.status, 200, answer.text);
    return answer.body;
  }

  const introspect = (token: string, authorization: string | null = APP) => postForm(flint, '/auth/introspect', { token }, authorization ?? undefined);

  it('describes an active access token and refresh token', async () => {
    const tokens = await userTokens();
    const access = await introspect(tokens.access_token);
    assert.equal(access.status, 200, access.text);
    assert.equal(access.headers['cache-control'], 'no-store');
    const { body } = access;
    assert.equal(body.active, true);
    assert.equal(body.client_id, 'app');
    assert.equal(body.sub, 'bob');
    assert.equal(body.scope, 'openid fhirUser offline_access patient/*.rs');
    assert.equal(body.patient, 'p1');
    assert.equal(body.fhirUser, `${FHIR_BASE}/Patient/p1`);
    assert.equal(body.iss, 'http://flint.test/auth');
    assert.equal(body.aud, FHIR_BASE);
    assert.equal(body.token_type, 'Bearer');
    assert.ok(body.exp > body.iat);
    const refresh = await introspect(tokens.refresh_token);
    assert.equal(refresh.body.active, true);
    assert.equal(refresh.body.token_type, 'refresh_token');
    assert.equal(refresh.body.sub, 'bob');
  });

  it('answers active false for garbage, for another client, and lets the root client see any token', async () => {
    assert.deepEqual((await introspect('garbage')).body, { active: false });
    const tokens = await userTokens();
    assert.deepEqual((await introspect(tokens.access_token, basic('neighbour', 'neighbour-secret'))).body, { active: false });
    assert.equal((await introspect(tokens.access_token, basic('root', TEST_ROOT_SECRET))).body.active, true);
    const rootToken = await postForm(flint, '/auth/token', { grant_type: 'client_credentials' }, basic('root', TEST_ROOT_SECRET));
    const byBearer = await introspect(tokens.access_token, `Bearer ${rootToken.body.access_token}`);
    assert.equal(byBearer.body.active, true);
  });

  it('refuses introspection without client authentication, or with a wrong secret, or without a token', async () => {
    const tokens = await userTokens();
    const anonymous = await introspect(tokens.access_token, null);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body.error, 'invalid_client');
    assert.equal((await introspect(tokens.access_token, basic('app', 'wrong'))).status, 401);
    const appToken = await postForm(flint, '/auth/token', { grant_type: 'client_credentials' }, APP);
    assert.equal((await introspect(tokens.access_token, `Bearer ${appToken.body.access_token}`)).status, 401, 'only the root client may use a bearer token');
    const noToken = await postForm(flint, '/auth/introspect', {}, APP);
    assert.equal(noToken.body.error, 'invalid_request');
  });

  it('revokes a refresh token: its session and the access tokens that name it become inactive', async () => {
    const tokens = await userTokens();
    const bearer = { headers: { authorization: `Bearer ${tokens.access_token}` } };
    assert.equal((await flint.get('/fhir/Patient', bearer)).status, 200, 'the token works before the revocation');
    const revoked = await postForm(flint, '/auth/revoke', { token: tokens.refresh_token, token_type_hint: 'refresh_token' }, APP);
    assert.equal(revoked.status, 200, revoked.text);
    assert.deepEqual((await introspect(tokens.refresh_token)).body, { active: false });
    assert.deepEqual((await introspect(tokens.access_token)).body, { active: false });
    const afterRevocation = await flint.get('/fhir/Patient', bearer);
    assert.equal(afterRevocation.status, 401, 'the FHIR API refuses the access token of a revoked session at once');
    assert.match(afterRevocation.headers['www-authenticate'] ?? '', /invalid_token/);
    const refresh = await postForm(flint, '/auth/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }, APP);
    assert.equal(refresh.body.error, 'invalid_grant');
  });

  it("revokes an access token's session, ignores unknown and foreign tokens, and requires client authentication", async () => {
    const tokens = await userTokens();
    const foreign = await postForm(flint, '/auth/revoke', { token: tokens.access_token }, basic('neighbour', 'neighbour-secret'));
    assert.equal(foreign.status, 200);
    assert.equal((await introspect(tokens.access_token)).body.active, true, 'another client cannot revoke it');
    assert.equal((await postForm(flint, '/auth/revoke', { token: tokens.access_token }, APP)).status, 200);
    assert.equal((await introspect(tokens.refresh_token)).body.active, false);
    assert.equal((await postForm(flint, '/auth/revoke', { token: 'unknown-token' }, APP)).status, 200);
    const anonymous = await postForm(flint, '/auth/revoke', { token: tokens.access_token });
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body.error, 'invalid_client');
  });

  it('answers userinfo for a user token, and 401 otherwise', async () => {
    const tokens = await userTokens();
    const info = await flint.get('/auth/userinfo', { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(info.status, 200, info.text);
    assert.deepEqual(info.body, { sub: 'bob', fhirUser: `${FHIR_BASE}/Patient/p1` });
    const clientToken = await postForm(flint, '/auth/token', { grant_type: 'client_credentials' }, APP);
    const ofClient = await flint.get('/auth/userinfo', { headers: { authorization: `Bearer ${clientToken.body.access_token}` } });
    assert.equal(ofClient.status, 401);
    assert.match(ofClient.headers['www-authenticate'] ?? '', /invalid_token/);
    assert.equal((await flint.get('/auth/userinfo', { anonymous: true })).status, 401);
  });
});
