/**
 * The authorization code grant at POST /auth/token (RFC 6749 section 4.1.3, RFC 7636, SMART App
 * Launch): codes made as the authorize endpoint makes them, exchanged once with the same client,
 * redirect_uri and PKCE verifier; the SMART context, the id_token and the refresh token in the
 * answer; refresh token rotation and reuse detection (RFC 6749 section 6, OAuth 2.0 Security BCP).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import { createAuthorizationCode, s256Challenge, type AuthorizationGrant } from '../../src/auth/index.js';
import { startTestFlint, type TestFlint } from '../support/test-server.js';
import { allowEveryone } from '../access/access-helpers.js';
import { basic, FHIR_BASE, postForm, putClient, putResource } from './oauth-support.js';

const REDIRECT = 'https://app.example/callback';
const VERIFIER = 'a'.repeat(20) + 'B'.repeat(20) + '-._~';

describe('authorization code grant', () => {
  let flint: TestFlint;

  before(async () => {
    flint = await startTestFlint();
    await allowEveryone(flint);
    await putClient(flint, {
      id: 'webapp', secret: 'webapp-secret', grant_types: ['authorization_code', 'refresh_token'],
      scope: ['openid', 'fhirUser', 'launch/patient', 'offline_access', 'patient/*.rs'],
      auth: { authorization_code: { redirect_uri: REDIRECT } },
    });
    await putClient(flint, { id: 'spa', grant_types: ['authorization_code', 'refresh_token'], scope: ['openid', 'patient/*.rs', 'online_access'] });
    await putResource(flint, { resourceType: 'Patient', id: 'p1', name: [{ family: 'Chalmers' }] });
    await putResource(flint, { resourceType: 'User', id: 'alice', email: 'alice@example.org', password: 'alice-password', fhirUser: { reference: 'Patient/p1' } });
  });
  after(() => flint.stop());

  function code(overrides: Partial<AuthorizationGrant> = {}): Promise<string> {
    return createAuthorizationCode(flint.db, {
      clientId: 'webapp', userId: 'alice', fhirUser: 'Patient/p1', redirectUri: REDIRECT, admin: false, nonce: 'n-1',
      scopes: ['openid', 'fhirUser', 'launch/patient', 'offline_access', 'patient/*.rs'], launch: { patient: 'p1' },
      codeChallenge: s256Challenge(VERIFIER), ...overrides,
    });
  }

  const exchange = async (theCode: string, extra: Record<string, string> = {}, authorization: string | null = basic('webapp', 'webapp-secret')) =>
    postForm(flint, '/auth/token', { grant_type: 'authorization_code', code: theCode, redirect_uri: REDIRECT, code_verifier: VERIFIER, ...extra }, authorization ?? undefined);

  it('exchanges a code for an access token, the SMART context, an id_token and a refresh token', async () => {
    const answer = await exchange(await code());
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.token_type, 'Bearer');
    assert.equal(answer.body.patient, 'p1');
    assert.equal(answer.body.need_patient_banner, true);
    assert.equal(answer.body.scope, 'openid fhirUser launch/patient offline_access patient/*.rs');
    assert.match(answer.body.refresh_token, /^[0-9a-f]{32}\./);
    const jwks = (await flint.get('/auth/jwks', { anonymous: true })).body;
    const { payload, protectedHeader } = await jwtVerify(answer.body.id_token, createLocalJWKSet(jwks), { issuer: 'http://flint.test/auth', audience: 'webapp' });
    assert.equal(protectedHeader.alg, 'RS256');
    assert.equal(payload.sub, 'alice');
    assert.equal(payload.nonce, 'n-1');
    assert.equal(payload.fhirUser, `${FHIR_BASE}/Patient/p1`);
    const access = decodeJwt(answer.body.access_token);
    assert.equal(access.sid, answer.body.refresh_token.split('.')[0]);
    const session = await flint.get(`/fhir/Session/${access.sid as string}`);
    assert.equal(session.body.client.reference, 'Client/webapp');
    assert.equal(session.body.user.reference, 'User/alice');
    assert.equal(session.body.launch.patient.reference, 'Patient/p1');
    assert.ok(!session.text.includes(answer.body.refresh_token.split('.')[1]), 'the refresh token is not in the Session');
    const read = await flint.get('/fhir/Patient/p1', { headers: { authorization: `Bearer ${answer.body.access_token}` } });
    assert.equal(read.status, 200);
  });

  it('refuses a reused code, a wrong redirect_uri, another client and PKCE missing or wrong', async () => {
    const once = await code();
    assert.equal((await exchange(once)).status, 200);
    const reused = await exchange(once);
    assert.equal(reused.status, 400);
    assert.equal(reused.body.error, 'invalid_grant');
    const cases: [Record<string, string>, RegExp][] = [
      [{ redirect_uri: 'https://evil.example/callback' }, /redirect_uri/],
      [{ code_verifier: 'x'.repeat(43) }, /does not match/],
    ];
    for (const [extra, reason] of cases) {
      const answer = await exchange(await code(), extra);
      assert.equal(answer.body.error, 'invalid_grant', answer.text);
      assert.match(answer.body.error_description, reason);
    }
    const noVerifier = await postForm(flint, '/auth/token', { grant_type: 'authorization_code', code: await code(), redirect_uri: REDIRECT }, basic('webapp', 'webapp-secret'));
    assert.match(noVerifier.body.error_description, /code_verifier is required/);
    await putClient(flint, { id: 'other', secret: 'other-secret', grant_types: ['authorization_code'], scope: ['openid'] });
    const stolen = await exchange(await code(), {}, basic('other', 'other-secret'));
    assert.equal(stolen.body.error, 'invalid_grant');
    await putResource(flint, { resourceType: 'User', id: 'carol', email: 'carol@example.org', inactive: true });
    const inactive = await exchange(await code({ userId: 'carol' }));
    assert.equal(inactive.body.error, 'invalid_grant', 'the user was deactivated after signing in');
    const missingCode = await postForm(flint, '/auth/token', { grant_type: 'authorization_code', redirect_uri: REDIRECT }, basic('webapp', 'webapp-secret'));
    assert.equal(missingCode.body.error, 'invalid_request');
  });

  it('lets a public client exchange a code with PKCE only, and refuses it without PKCE', async () => {
    const grant = { clientId: 'spa', scopes: ['openid', 'patient/*.rs', 'online_access'], nonce: undefined, launch: undefined };
    const answer = await exchange(await code(grant), { client_id: 'spa' }, null);
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.patient, undefined);
    assert.equal(answer.body.need_patient_banner, undefined);
    assert.ok(answer.body.refresh_token);
    assert.equal(decodeJwt(answer.body.id_token).fhirUser, undefined);
    const withoutPkce = await postForm(flint, '/auth/token', {
      grant_type: 'authorization_code', code: await code({ ...grant, codeChallenge: undefined }), redirect_uri: REDIRECT, client_id: 'spa',
    });
    assert.equal(withoutPkce.body.error, 'invalid_grant');
    assert.match(withoutPkce.body.error_description, /public client must use PKCE/);
    const secretless = await exchange(await code(), { client_id: 'webapp' }, null);
    assert.equal(secretless.status, 401);
    assert.equal(secretless.body.error, 'invalid_client');
  });

  it('rotates refresh tokens, narrows the scope, and revokes the session when an old token comes back', async () => {
    const first = (await exchange(await code())).body;
    const refresh = (token: string, extra: Record<string, string> = {}) =>
      postForm(flint, '/auth/token', { grant_type: 'refresh_token', refresh_token: token, ...extra }, basic('webapp', 'webapp-secret'));
    const second = await refresh(first.refresh_token, { scope: 'openid patient/*.rs' });
    assert.equal(second.status, 200, second.text);
    assert.equal(second.body.scope, 'openid patient/*.rs');
    assert.notEqual(second.body.refresh_token, first.refresh_token);
    assert.equal(decodeJwt(second.body.access_token).sid, decodeJwt(first.access_token).sid);
    const widened = await refresh(second.body.refresh_token, { scope: 'patient/*.cruds' });
    assert.equal(widened.body.error, 'invalid_scope');
    const reused = await refresh(first.refresh_token);
    assert.equal(reused.body.error, 'invalid_grant');
    assert.match(reused.body.error_description, /revoked/);
    const afterReuse = await refresh(second.body.refresh_token);
    assert.equal(afterReuse.body.error, 'invalid_grant');
    const session = await flint.get(`/fhir/Session/${decodeJwt(first.access_token).sid as string}`);
    assert.equal(session.body.revoked, true);
  });

  it('refuses a refresh token of another client, a malformed one, and a client without the refresh grant', async () => {
    const first = (await exchange(await code())).body;
    await putClient(flint, { id: 'thief', secret: 'thief-secret', grant_types: ['refresh_token'], scope: ['openid'] });
    const stolen = await postForm(flint, '/auth/token', { grant_type: 'refresh_token', refresh_token: first.refresh_token }, basic('thief', 'thief-secret'));
    assert.equal(stolen.body.error, 'invalid_grant');
    const garbage = await postForm(flint, '/auth/token', { grant_type: 'refresh_token', refresh_token: 'not-a-token' }, basic('webapp', 'webapp-secret'));
    assert.equal(garbage.body.error, 'invalid_grant');
    await putClient(flint, { id: 'norefresh', secret: 'nr-secret', grant_types: ['authorization_code'], scope: ['openid'] });
    const notAllowed = await postForm(flint, '/auth/token', { grant_type: 'refresh_token', refresh_token: first.refresh_token }, basic('norefresh', 'nr-secret'));
    assert.equal(notAllowed.body.error, 'unauthorized_client');
    const still = await postForm(flint, '/auth/token', { grant_type: 'refresh_token', refresh_token: first.refresh_token }, basic('webapp', 'webapp-secret'));
    assert.equal(still.status, 200, 'the refusals above left the session alone');
  });
});
