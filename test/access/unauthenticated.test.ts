/**
 * Authentication is on by default: a request without valid credentials answers 401 with a
 * WWW-Authenticate challenge (RFC 7235, RFC 6750 section 3) and an OperationOutcome, on /fhir, the
 * native API, $sql and $run alike, whatever was wrong; an unknown client and a wrong secret get the
 * same answer. The public paths answer without credentials.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateKeyPair, SignJWT } from 'jose';
import { ROOT_CLIENT_ID, SIGNING_ALGORITHM } from '../../src/access/index.js';
import { issueCodes, ROOT_BASIC, startTestFlint, TEST_ROOT_SECRET, type FhirAnswer, type TestFlint } from '../support/test-server.js';
import { accessToken, basic, bearer, putClient, TEST_FHIR_BASE, allowEveryone } from './access-helpers.js';

let flint: TestFlint;
before(async () => {
  flint = await startTestFlint();
  await allowEveryone(flint);
  await putClient(flint, 'no-basic', { secret: 'no-basic-secret', grant_types: ['client_credentials'] });
  await putClient(flint, 'retired', { secret: 'retired-secret', active: false });
  await putClient(flint, 'clinic', { secret: 'clinic-secret' });
});
after(async () => { await flint.stop(); });

const VIEW = { resourceType: 'ViewDefinition', status: 'active', resource: 'Patient', select: [{ column: [{ name: 'id', path: 'getResourceKey()' }] }] };

/** One request of each door: the FHIR API, the native API, $sql and $run. */
const DOORS: { name: string; send: (authorization?: string) => Promise<FhirAnswer> }[] = [
  { name: 'GET /fhir/Patient', send: (authorization) => flint.get('/fhir/Patient', headers(authorization)) },
  { name: 'POST /fhir/Patient', send: (authorization) => flint.post('/fhir/Patient', { resourceType: 'Patient' }, headers(authorization)) },
  { name: 'GET /Patient (native)', send: (authorization) => flint.get('/Patient', headers(authorization)) },
  { name: 'POST /$sql', send: (authorization) => flint.post('/$sql', undefined, { ...headers(authorization), raw: 'SELECT 1', contentType: 'text/plain' }) },
  {
    name: 'POST /fhir/ViewDefinition/$run',
    send: (authorization) => flint.post('/fhir/ViewDefinition/$run', { resourceType: 'Parameters', parameter: [{ name: 'viewResource', resource: VIEW }] }, headers(authorization)),
  },
];

function headers(authorization?: string) {
  return authorization === undefined ? { anonymous: true } : { headers: { authorization } };
}

function assertRefused(answer: FhirAnswer, code: string, where: string, tokenError = false): void {
  assert.equal(answer.status, 401, `${where}: ${answer.text}`);
  assert.equal(answer.body?.resourceType, 'OperationOutcome', where);
  assert.deepEqual(issueCodes(answer.body), [code], where);
  const challenge = answer.headers['www-authenticate'] ?? '';
  assert.match(challenge, /^Bearer realm="flint"/, where);
  assert.match(challenge, /Basic realm="flint"/, where);
  assert.equal(challenge.includes('error="invalid_token"'), tokenError, `${where}: ${challenge}`);
}

describe('a request without credentials', () => {
  it('answers 401 with a challenge and an OperationOutcome at every door', async () => {
    for (const door of DOORS) assertRefused(await door.send(), 'access.unauthenticated', door.name);
  });

  it('is served with the root client credentials (the same requests, so the refusals above are about credentials)', async () => {
    for (const door of DOORS) {
      const answer = await door.send(ROOT_BASIC);
      assert.ok(answer.status >= 200 && answer.status < 300, `${door.name}: ${answer.status} ${answer.text.slice(0, 300)}`);
    }
  });
});

describe('HTTP Basic that proves nothing', () => {
  const refusals: [string, string][] = [
    ['a wrong secret', basic(ROOT_CLIENT_ID, 'not-the-secret')],
    ['an unknown client', basic('nobody', TEST_ROOT_SECRET)],
    ['a client without basic in grant_types', basic('no-basic', 'no-basic-secret')],
    ['an inactive client', basic('retired', 'retired-secret')],
    ['an empty secret', basic(ROOT_CLIENT_ID, '')],
    ['no colon', `Basic ${Buffer.from('root').toString('base64')}`],
    ['no credentials after the scheme', 'Basic'],
    ['text that is not base64', 'Basic !!!***'],
    ['an unknown scheme', `Digest ${TEST_ROOT_SECRET}`],
    ['no scheme', TEST_ROOT_SECRET],
  ];
  for (const [what, authorization] of refusals) {
    it(`answers 401 access.invalid-credentials to ${what}, at every door`, async () => {
      for (const door of DOORS) assertRefused(await door.send(authorization), 'access.invalid-credentials', `${what}, ${door.name}`);
    });
  }

  it('gives the same answer for an unknown client as for a wrong secret', async () => {
    const unknown = await flint.get('/fhir/Patient', { headers: { authorization: basic('nobody', 'clinic-secret') } });
    const wrong = await flint.get('/fhir/Patient', { headers: { authorization: basic('clinic', 'not-the-secret') } });
    assert.equal(unknown.text, wrong.text);
    assert.equal(unknown.headers['www-authenticate'], wrong.headers['www-authenticate']);
    assert.equal((await flint.get('/fhir/Patient', { headers: { authorization: basic('clinic', 'clinic-secret') } })).status, 200);
  });
});

describe('a bearer token that proves nothing', () => {
  const grant = { clientId: ROOT_CLIENT_ID, scopes: ['system/*.cruds'], admin: true };

  /** A token with this server's claims, signed with the key and expiry given. */
  async function signed(key: CryptoKey, kid: string, expiresAt: number, audience = TEST_FHIR_BASE): Promise<string> {
    return new SignJWT({ client_id: ROOT_CLIENT_ID, scope: 'system/*.cruds', flint_admin: true })
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid, typ: 'at+jwt' })
      .setIssuer('http://flint.test/auth').setAudience(audience).setSubject(ROOT_CLIENT_ID)
      .setIssuedAt(expiresAt - 300).setExpirationTime(expiresAt).setJti(crypto.randomUUID())
      .sign(key);
  }

  it('serves a valid token of this server (so that the refusals below are about the token)', async () => {
    const answer = await flint.get('/fhir/Patient', { headers: { authorization: bearer(await accessToken(flint, grant)) } });
    assert.equal(answer.status, 200);
    const now = Math.floor(Date.now() / 1000);
    const handMade = await signed(flint.signingKeys.current.privateKey, flint.signingKeys.current.kid, now + 300);
    assert.equal((await flint.get('/fhir/Patient', { headers: { authorization: bearer(handMade) } })).status, 200);
  });

  it('answers 401 with error="invalid_token" to a bad, expired, foreign-signed or misaddressed token, at every door', async () => {
    const now = Math.floor(Date.now() / 1000);
    const current = flint.signingKeys.current;
    const foreign = await generateKeyPair(SIGNING_ALGORITHM);
    const tokens: [string, string][] = [
      ['garbage', 'not.a.token'],
      ['an expired token', await signed(current.privateKey, current.kid, now - 3600)],
      ['a token signed by another key with this server\'s kid', await signed(foreign.privateKey, current.kid, now + 300)],
      ['a token for another server', await signed(current.privateKey, current.kid, now + 300, 'https://elsewhere.example/fhir')],
      ['a token cut short', (await accessToken(flint, grant)).slice(0, -10)],
    ];
    for (const [what, token] of tokens) {
      for (const door of DOORS) assertRefused(await door.send(bearer(token)), 'access.invalid-credentials', `${what}, ${door.name}`, true);
    }
  });
});

describe('the public paths', () => {
  it('answer without credentials', async () => {
    for (const path of ['/health', '/fhir/metadata']) {
      const answer = await flint.get(path, { anonymous: true });
      assert.equal(answer.status, 200, `${path}: ${answer.text.slice(0, 200)}`);
    }
    const home = await flint.get('/', { anonymous: true, headers: { accept: 'text/html' } });
    assert.equal(home.status, 200);
    for (const path of ['/fhir/.well-known/smart-configuration', '/.well-known/openid-configuration', '/auth/token']) {
      assert.notEqual((await flint.get(path, { anonymous: true })).status, 401, path);
    }
  });

  it('do not open what is beside them', async () => {
    for (const path of ['/fhir/metadata/../Patient', '/fhir/Patient?_format=json&x=/health', '/health/../fhir/Patient', '/fhir/metadataX']) {
      assert.equal((await flint.get(path, { anonymous: true })).status, 401, path);
    }
  });
});
