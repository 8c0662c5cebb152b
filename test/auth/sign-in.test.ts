/**
 * POST /auth/sign-in and POST /auth/consent: failed sign-ins alike whatever the cause, the rate
 * limit per account and per address, the session cookie, approve and deny, the CSRF token, and the
 * authorization code the token endpoint will exchange.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { startTestFlint, usingPostgresNote, type TestFlint } from '../support/test-server.js';
import { consumeAuthorizationCode, s256Challenge } from '../../src/auth/index.js';
import { authorizeUrl, Browser, createIdentities, field, REDIRECT, redirectParams, VERIFIER } from './sign-in-helpers.js';

const FAILED = /do not match an account that may sign in/;

describe(`sign-in and consent pages (${usingPostgresNote()})`, () => {
  let flint: TestFlint;
  const logLines: string[] = [];
  before(async () => {
    const logStream = new Writable({ write(chunk, _encoding, done) { logLines.push(String(chunk)); done(); } });
    flint = await startTestFlint({ logLevel: 'info' }, logStream);
    await createIdentities(flint);
  });
  after(() => flint.stop());

  const failures: [string, string, string][] = [
    ['an unknown account', 'nobody@example.org', 'whatever-password'],
    ['a wrong password', 'alice@example.org', 'wrong-password'],
    ['an inactive user', 'gone@example.org', 'gone-password'],
  ];
  for (const [what, login, password] of failures) {
    it(`fails ${what} with the one message and no cookie`, async () => {
      const browser = new Browser(flint, `10.1.0.${failures.findIndex((entry) => entry[0] === what)}`);
      const answer = await browser.signIn(await browser.get(authorizeUrl()), login, password);
      assert.equal(answer.status, 200);
      assert.match(answer.text, FAILED);
      assert.equal(answer.headers['set-cookie'], undefined);
      assert.equal(browser.session, undefined);
    });
  }

  it('logs failures with their count, never the password', () => {
    const failuresLogged = logLines.filter((line) => line.includes('sign-in-failed'));
    assert.equal(failuresLogged.length, 3);
    for (const line of logLines) {
      assert.doesNotMatch(line, /wrong-password|whatever-password|gone-password/);
    }
  });

  it('refuses a form whose CSRF token is not its own', async () => {
    const browser = new Browser(flint);
    const page = await browser.get(authorizeUrl());
    const answer = await browser.post('/auth/sign-in', { ...page, text: page.text.replace(/name="csrf" value="[^"]*"/, 'name="csrf" value="forged"') }, {
      login: 'alice@example.org', password: 'alice-password',
    });
    assert.equal(answer.status, 400);
    assert.equal(browser.session, undefined);
  });

  it("gives the form's CSRF token to the browser as a SameSite cookie, and refuses the form from a browser without it", async () => {
    const browser = new Browser(flint);
    const page = await browser.get(authorizeUrl());
    const csrf = field(page.text, 'csrf');
    assert.equal(browser.cookies.get(`flint_csrf_${field(page.text, 'pending')}`), csrf);
    assert.match(page.headers['set-cookie'] ?? '', /; Path=\/auth; HttpOnly; SameSite=Lax; Max-Age=600$/);
    // A cross-site post (an attacker's page signing the victim in) comes without the cookie.
    const elsewhere = new Browser(flint);
    const answer = await elsewhere.post('/auth/sign-in', page, { login: 'alice@example.org', password: 'alice-password' });
    assert.equal(answer.status, 400);
    assert.equal(elsewhere.session, undefined);
  });

  it('limits failures per account: the sixth attempt is 429 with Retry-After, even with the right password', async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const browser = new Browser(flint, `10.2.0.${attempt}`);
      const answer = await browser.signIn(await browser.get(authorizeUrl()), 'DOC@example.org', 'wrong');
      assert.equal(answer.status, attempt < 4 ? 200 : 429);
    }
    const browser = new Browser(flint, '10.2.1.1');
    const answer = await browser.signIn(await browser.get(authorizeUrl()), 'doc@example.org', 'doc-password');
    assert.equal(answer.status, 429);
    assert.ok(Number(answer.headers['retry-after']) > 0);
    assert.equal(answer.headers['x-frame-options'], 'DENY');
  });

  it('limits failures per address, whatever the account', async () => {
    const browser = new Browser(flint, '10.3.0.1');
    for (let attempt = 0; attempt < 5; attempt++) {
      await browser.signIn(await browser.get(authorizeUrl()), `user${attempt}@example.org`, 'wrong');
    }
    const answer = await browser.signIn(await browser.get(authorizeUrl()), 'alice@example.org', 'alice-password');
    assert.equal(answer.status, 429);
  });

  it('signs in with the email, sets a safe session cookie, and shows the consent page', async () => {
    const browser = new Browser(flint);
    const answer = await browser.signIn(await browser.get(authorizeUrl()), 'Alice@Example.org', 'alice-password');
    assert.equal(answer.status, 200);
    const cookie = answer.headers['set-cookie'] ?? '';
    assert.equal(browser.session?.length, 43);
    assert.match(cookie, /^flint_session=[A-Za-z0-9_-]{43}; /);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    assert.doesNotMatch(cookie, /Secure/);
    assert.match(answer.text, /Allow access\?/);
    assert.match(answer.text, /Read, search all kinds of records of the patient in context/);
    assert.match(answer.text, /Patient: <strong>Pat Smith<\/strong>/);
    assert.equal(answer.headers['x-frame-options'], 'DENY');
  });

  it('does not mark the cookie Secure for an X-Forwarded-Proto https from an untrusted address', async () => {
    const browser = new Browser(flint, '10.4.0.1');
    const page = await browser.get(authorizeUrl());
    const response = await flint.app.inject({
      method: 'POST', url: '/auth/sign-in', remoteAddress: '10.4.0.1',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-proto': 'https', cookie: browser.cookie ?? '' },
      payload: new URLSearchParams({ pending: field(page.text, 'pending'), csrf: field(page.text, 'csrf'), login: 'alice', password: 'alice-password' }).toString(),
    });
    assert.equal(response.statusCode, 200);
    // Without trusted proxies the forwarded scheme is not believed: the request is plain http.
    assert.doesNotMatch(String(response.headers['set-cookie']), /Secure/);
  });

  it('approves: a code for the grant and the state, sent to the redirect URI; the code holds the grant', async () => {
    const browser = new Browser(flint);
    const consent = await browser.signIn(await browser.get(authorizeUrl({ nonce: 'n-1' })), 'alice', 'alice-password');
    const params = redirectParams(await browser.post('/auth/consent', consent, { decision: 'approve' }));
    assert.equal(params.get('state'), 'st-123');
    const grant = await consumeAuthorizationCode(flint.db, params.get('code') ?? '');
    assert.ok(grant);
    assert.equal(grant.clientId, 'app');
    assert.equal(grant.userId, 'alice');
    assert.equal(grant.fhirUser, 'Patient/p1');
    assert.deepEqual(grant.launch, { patient: 'p1' });
    assert.deepEqual(grant.scopes, ['openid', 'fhirUser', 'launch/patient', 'patient/*.rs']);
    assert.equal(grant.redirectUri, REDIRECT);
    assert.equal(grant.codeChallenge, s256Challenge(VERIFIER));
    assert.equal(grant.nonce, 'n-1');
    assert.equal(grant.admin, false);
  });

  it('answers a consent once: the form cannot be posted again', async () => {
    const browser = new Browser(flint);
    const consent = await browser.signIn(await browser.get(authorizeUrl()), 'alice', 'alice-password');
    redirectParams(await browser.post('/auth/consent', consent, { decision: 'approve' }));
    const again = await browser.post('/auth/consent', consent, { decision: 'approve' });
    assert.equal(again.status, 400);
  });

  it('denies: access_denied and the state, no code', async () => {
    const browser = new Browser(flint);
    const consent = await browser.signIn(await browser.get(authorizeUrl()), 'alice', 'alice-password');
    const params = redirectParams(await browser.post('/auth/consent', consent, { decision: 'deny' }));
    assert.equal(params.get('error'), 'access_denied');
    assert.equal(params.get('state'), 'st-123');
    assert.equal(params.get('code'), null);
  });

  it('signs in once: the session cookie goes straight to the consent page', async () => {
    const browser = new Browser(flint);
    await browser.signIn(await browser.get(authorizeUrl()), 'alice', 'alice-password');
    const second = await browser.get(authorizeUrl({ state: 'again' }));
    assert.match(second.text, /Allow access\?/);
    const params = redirectParams(await browser.post('/auth/consent', second, { decision: 'approve' }));
    assert.equal(params.get('state'), 'again');
  });

  it('refuses a consent from another browser than the one that signed in', async () => {
    const browser = new Browser(flint);
    const consent = await browser.signIn(await browser.get(authorizeUrl()), 'alice', 'alice-password');
    const stranger = new Browser(flint);
    // Even with the form's CSRF cookie, a browser without the session may not answer.
    const csrfName = `flint_csrf_${field(consent.text, 'pending')}`;
    stranger.cookies.set(csrfName, browser.cookies.get(csrfName) ?? '');
    const answer = await stranger.post('/auth/consent', consent, { decision: 'approve' });
    assert.equal(answer.status, 403);
  });

  it('logs no password, session cookie, CSRF token or authorization code', async () => {
    const browser = new Browser(flint, '10.9.0.1');
    const page = await browser.get(authorizeUrl());
    const consent = await browser.signIn(page, 'alice', 'alice-password');
    const code = redirectParams(await browser.post('/auth/consent', consent, { decision: 'approve' })).get('code') ?? '';
    const secrets = ['alice-password', browser.session ?? 'no session', field(page.text, 'csrf'), code];
    assert.ok(logLines.some((line) => line.includes('"event":"sign-in"')));
    for (const line of logLines) for (const secret of secrets) assert.ok(!line.includes(secret), `a log line holds a secret: ${line}`);
  });
});
