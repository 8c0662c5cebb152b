/**
 * CORS for browser apps on /fhir and /auth/token: origins from FLINT_CORS_ORIGINS and from the
 * calling Client's allowed_origins, preflights answered without credentials, never credentials with
 * `*`; and the session cookie marked Secure when a trusted proxy says the request came over https.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readConfig } from '../../src/config.js';
import { startTestFlint, usingPostgresNote, type TestFlint } from '../support/test-server.js';
import { authorizeUrl, Browser, createIdentities, field } from './sign-in-helpers.js';
import { allowEveryone } from '../access/access-helpers.js';

const APP_BASIC = `Basic ${Buffer.from('confidential:confidential-secret').toString('base64')}`;

describe(`CORS (${usingPostgresNote()})`, () => {
  let flint: TestFlint;
  before(async () => {
    flint = await startTestFlint({ corsOrigins: ['http://listed.test'], trustedProxies: true });
    await allowEveryone(flint);
    await createIdentities(flint);
    await flint.patch('/fhir/Client/confidential', [
      { op: 'add', path: '/grant_types/-', value: 'basic' },
      { op: 'add', path: '/allowed_origins', value: ['http://confidential.test'] },
    ], { contentType: 'application/json-patch+json' });
  });
  after(() => flint.stop());

  function preflight(url: string, origin: string) {
    return flint.app.inject({ method: 'OPTIONS', url, headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } });
  }

  it('answers a preflight without credentials for an origin of the setting', async () => {
    const answer = await preflight('/fhir/Patient', 'http://listed.test');
    assert.equal(answer.statusCode, 204);
    assert.equal(answer.headers['access-control-allow-origin'], 'http://listed.test');
    assert.match(String(answer.headers['access-control-allow-headers']), /authorization/);
    assert.equal(answer.headers['access-control-allow-credentials'], undefined);
  });

  it('answers a preflight for an origin some Client lists, on /fhir and /auth/token', async () => {
    for (const url of ['/fhir', '/fhir/Patient/p1', '/auth/token']) {
      const answer = await preflight(url, 'http://app.test');
      assert.equal(answer.statusCode, 204, url);
      assert.equal(answer.headers['access-control-allow-origin'], 'http://app.test', url);
    }
  });

  it('allows no other origin in a preflight', async () => {
    const answer = await preflight('/fhir/Patient', 'http://evil.test');
    assert.equal(answer.statusCode, 204);
    assert.equal(answer.headers['access-control-allow-origin'], undefined);
  });

  it("allows the calling client's own origins on /fhir answers, not another client's", async () => {
    const own = await flint.get('/fhir/Patient/p1', { headers: { authorization: APP_BASIC, origin: 'http://confidential.test' } });
    assert.equal(own.status, 200);
    assert.equal(own.headers['access-control-allow-origin'], 'http://confidential.test');
    assert.match(own.headers.vary ?? '', /Origin/);
    const other = await flint.get('/fhir/Patient/p1', { headers: { authorization: APP_BASIC, origin: 'http://app.test' } });
    assert.equal(other.status, 200);
    assert.equal(other.headers['access-control-allow-origin'], undefined);
  });

  it('allows the origins of the setting for any caller', async () => {
    const answer = await flint.get('/fhir/Patient/p1', { headers: { origin: 'http://listed.test' } });
    assert.equal(answer.headers['access-control-allow-origin'], 'http://listed.test');
  });

  it('keeps the Vary of compression beside Origin', async () => {
    const answer = await flint.get('/fhir/metadata', { headers: { origin: 'http://listed.test', 'accept-encoding': 'gzip' } });
    const vary = (answer.headers.vary ?? '').toLowerCase();
    assert.match(vary, /origin/);
    assert.match(vary, /accept-encoding/);
  });

  it('adds no CORS headers to answers of other paths', async () => {
    const answer = await flint.get('/health', { headers: { origin: 'http://listed.test' } });
    assert.equal(answer.headers['access-control-allow-origin'], undefined);
  });

  it('marks the session cookie Secure when a trusted proxy forwards https', async () => {
    const browser = new Browser(flint);
    const page = await browser.get(authorizeUrl());
    const response = await flint.app.inject({
      method: 'POST', url: '/auth/sign-in', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-proto': 'https', cookie: browser.cookie ?? '' },
      payload: new URLSearchParams({ pending: field(page.text, 'pending'), csrf: field(page.text, 'csrf'), login: 'alice', password: 'alice-password' }).toString(),
    });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['set-cookie']), /; Secure/);
  });
});

describe(`CORS with FLINT_CORS_ORIGINS=* (${usingPostgresNote()})`, () => {
  let flint: TestFlint;
  before(async () => {
    flint = await startTestFlint({ corsOrigins: ['*'] });
    await allowEveryone(flint);
  });
  after(() => flint.stop());

  it('answers * and never allows credentials', async () => {
    const answer = await flint.get('/fhir/metadata', { headers: { origin: 'http://anywhere.test' } });
    assert.equal(answer.headers['access-control-allow-origin'], '*');
    assert.equal(answer.headers['access-control-allow-credentials'], undefined);
  });
});

describe('FLINT_CORS_ORIGINS', () => {
  it('reads a comma-separated list of origins and refuses a URL with a path', () => {
    assert.deepEqual(readConfig({ FLINT_CORS_ORIGINS: 'https://a.test, http://b.test:8080' }).corsOrigins, ['https://a.test', 'http://b.test:8080']);
    assert.deepEqual(readConfig({}).corsOrigins, []);
    assert.throws(() => readConfig({ FLINT_CORS_ORIGINS: 'https://a.test/app' }), /FLINT_CORS_ORIGINS/);
  });
});
