/**
 * GET /auth/authorize (RFC 6749 section 4.1.1 and 4.1.2.1, SMART App Launch 2.x): the errors told
 * on a page (unknown client, wrong redirect URI) and those sent back to the client with its state.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestFlint, usingPostgresNote, type TestFlint } from '../support/test-server.js';
import { authorizeUrl, Browser, createIdentities, redirectParams } from './sign-in-helpers.js';

describe(`GET /auth/authorize (${usingPostgresNote()})`, () => {
  let flint: TestFlint;
  before(async () => {
    flint = await startTestFlint();
    await createIdentities(flint);
  });
  after(() => flint.stop());

  const pageErrors: [string, Record<string, string | undefined>][] = [
    ['an unknown client', { client_id: 'nobody' }],
    ['no client_id', { client_id: undefined }],
    ['an inactive client', { client_id: 'retired' }],
    ['a redirect_uri that is not registered', { redirect_uri: 'http://evil.test/callback' }],
    ['no redirect_uri', { redirect_uri: undefined }],
    ['a redirect_uri that only starts like the registered one', { redirect_uri: 'http://app.test/callback/more' }],
  ];
  for (const [what, overrides] of pageErrors) {
    it(`answers ${what} with an error page, never a redirect`, async () => {
      const answer = await new Browser(flint).get(authorizeUrl(overrides));
      assert.equal(answer.status, 400);
      assert.equal(answer.headers.location, undefined);
      assert.match(answer.headers['content-type'] ?? '', /^text\/html/);
      assert.match(answer.text, /Sign-in error/);
    });
  }

  it('answers a repeated parameter with an error page', async () => {
    const answer = await new Browser(flint).get(`${authorizeUrl()}&client_id=app`);
    assert.equal(answer.status, 400);
    assert.match(answer.text, /client_id is given more than once/);
  });

  const redirectErrors: [string, Record<string, string | undefined>, string][] = [
    ['a response_type other than code', { response_type: 'token' }, 'unsupported_response_type'],
    ['no response_type', { response_type: undefined }, 'unsupported_response_type'],
    ['a client without the authorization_code grant', { client_id: 'backend' }, 'unauthorized_client'],
    ['no scope', { scope: undefined }, 'invalid_scope'],
    ['a malformed scope', { scope: 'patient/Observation.xyz' }, 'invalid_scope'],
    ['only scopes the client may not have', { scope: 'system/*.cruds' }, 'invalid_scope'],
    ['no aud', { aud: undefined }, 'invalid_request'],
    ['an aud of another server', { aud: 'http://other.test/fhir' }, 'invalid_request'],
    ['a public client without PKCE', { code_challenge: undefined, code_challenge_method: undefined }, 'invalid_request'],
    ['the plain PKCE method', { code_challenge_method: 'plain' }, 'invalid_request'],
    ['a malformed code_challenge', { code_challenge: 'short' }, 'invalid_request'],
    ['the launch scope without a launch', { scope: 'launch patient/*.rs' }, 'invalid_request'],
    ['an unknown launch', { scope: 'launch patient/*.rs', launch: 'no-such-launch' }, 'invalid_request'],
  ];
  for (const [what, overrides, error] of redirectErrors) {
    it(`sends ${error} with the state to the client for ${what}`, async () => {
      const params = redirectParams(await new Browser(flint).get(authorizeUrl(overrides)));
      assert.equal(params.get('error'), error);
      assert.equal(params.get('state'), 'st-123');
      assert.ok(params.get('error_description'));
      assert.equal(params.get('code'), null);
    });
  }

  it('asks a confidential client for no PKCE, and shows the sign-in page', async () => {
    const answer = await new Browser(flint).get(authorizeUrl({ client_id: 'confidential', code_challenge: undefined, code_challenge_method: undefined }));
    assert.equal(answer.status, 200);
    assert.match(answer.text, /<form method="post" action="\/auth\/sign-in">/);
    assert.match(answer.text, /Server app/);
  });

  it('requires PKCE of a confidential client whose registration says pkce', async () => {
    await flint.patch('/fhir/Client/confidential', [{ op: 'add', path: '/auth/authorization_code/pkce', value: true }], { contentType: 'application/json-patch+json' });
    const params = redirectParams(await new Browser(flint).get(authorizeUrl({ client_id: 'confidential', code_challenge: undefined, code_challenge_method: undefined })));
    assert.equal(params.get('error'), 'invalid_request');
  });

  it('shows the client name escaped and sends the security headers', async () => {
    const answer = await new Browser(flint).get(authorizeUrl());
    assert.equal(answer.status, 200);
    assert.match(answer.text, /Growth &lt;Chart&gt;/);
    assert.doesNotMatch(answer.text, /Growth <Chart>/);
    const csp = answer.headers['content-security-policy'] ?? '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /form-action 'self' http:\/\/app\.test(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(answer.headers['x-frame-options'], 'DENY');
    assert.equal(answer.headers['x-content-type-options'], 'nosniff');
    assert.equal(answer.headers['referrer-policy'], 'no-referrer');
    assert.equal(answer.headers['cache-control'], 'no-store');
  });

  it('sends the security headers on error pages too', async () => {
    const answer = await new Browser(flint).get(authorizeUrl({ client_id: 'nobody' }));
    assert.equal(answer.headers['x-frame-options'], 'DENY');
    assert.match(answer.headers['content-security-policy'] ?? '', /form-action 'self';/);
  });

  it('answers prompt=none without a session with login_required', async () => {
    const params = redirectParams(await new Browser(flint).get(authorizeUrl({ prompt: 'none' })));
    assert.equal(params.get('error'), 'login_required');
    assert.equal(params.get('state'), 'st-123');
  });

  it('answers prompt=none with a session with consent_required, and prompt=login shows the sign-in page again', async () => {
    const browser = new Browser(flint);
    await browser.signIn(await browser.get(authorizeUrl()), 'alice', 'alice-password');
    assert.ok(browser.session);
    const params = redirectParams(await browser.get(authorizeUrl({ prompt: 'none' })));
    assert.equal(params.get('error'), 'consent_required');
    const again = await browser.get(authorizeUrl({ prompt: 'login' }));
    assert.match(again.text, /action="\/auth\/sign-in"/);
  });
});
