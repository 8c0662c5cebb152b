/**
 * Bearer tokens of an external OpenID provider: a JWKS served on a local port plays the provider;
 * its tokens act as the User the configured claim names (by email here), with their scopes, and
 * as an administrator only when that user holds the admin role. Anything else is a 401.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { issueCodes, startTestFlint, type TestFlint } from '../support/test-server.js';
import { allowEveryone } from './access-helpers.js';

const ISSUER = 'https://idp.example.test/realms/clinic';
const AUDIENCE = 'http://flint.test/fhir';

let flint: TestFlint;
let jwksServer: Server;
let providerKey: CryptoKey;
let strangerKey: CryptoKey;

async function serveJwks(jwk: JWK): Promise<string> {
  jwksServer = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks`;
}

function token(claims: Record<string, unknown>, key = providerKey, issuer = ISSUER, audience = AUDIENCE): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'provider-key' }).setIssuer(issuer).setAudience(audience)
    .setIssuedAt().setExpirationTime('5m').sign(key);
}

const asBearer = async (claims: Record<string, unknown>, key?: CryptoKey, issuer?: string, audience?: string) =>
  ({ headers: { authorization: `Bearer ${await token(claims, key, issuer, audience)}` } });

before(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  providerKey = pair.privateKey;
  strangerKey = (await generateKeyPair('RS256')).privateKey;
  const jwksUrl = await serveJwks({ ...(await exportJWK(pair.publicKey)), kid: 'provider-key', alg: 'RS256', use: 'sig' });
  flint = await startTestFlint({ externalProvider: { issuer: ISSUER, jwksUrl, userClaim: 'email' } });
  await allowEveryone(flint);
  const writes = [
    await flint.put('/fhir/User/ana', { resourceType: 'User', id: 'ana', email: 'ana@clinic.test', fhirUser: { reference: 'Practitioner/p1' } }),
    await flint.put('/fhir/User/ben', { resourceType: 'User', id: 'ben', email: 'ben@clinic.test', inactive: true }),
    await flint.put('/fhir/User/root-admin', { resourceType: 'User', id: 'root-admin', email: 'boss@clinic.test' }),
    await flint.put('/fhir/Role/boss', { resourceType: 'Role', id: 'boss', name: 'admin', user: { reference: 'User/root-admin' } }),
  ];
  assert.deepEqual(writes.map((answer) => answer.status), [201, 201, 201, 201]);
});
after(async () => {
  await flint.stop();
  await new Promise((resolve) => jwksServer.close(resolve));
});

describe('tokens of an external OpenID provider', () => {
  it('act as the user their claim names', async () => {
    const answer = await flint.get('/fhir/Patient', await asBearer({ email: 'ana@clinic.test', scope: 'user/*.rs openid' }));
    assert.equal(answer.status, 200);
  });

  it('are refused for an unknown or inactive user, a foreign key, another issuer or audience, or without the claim', async () => {
    const refused = [
      await asBearer({ email: 'nobody@clinic.test' }),
      await asBearer({ email: 'ben@clinic.test' }),
      await asBearer({ email: 'ana@clinic.test' }, strangerKey),
      await asBearer({ email: 'ana@clinic.test' }, providerKey, ISSUER, 'https://elsewhere.test/fhir'),
      await asBearer({ sub: 'ana' }),
    ];
    for (const options of refused) {
      const answer = await flint.get('/fhir/Patient', options);
      assert.equal(answer.status, 401);
      assert.deepEqual(issueCodes(answer.body), ['access.invalid-credentials']);
      assert.match(answer.headers['www-authenticate'] ?? '', /error="invalid_token"/);
    }
  });

  it('reach the administrative endpoints only for a user with the admin role', async () => {
    const plain = await flint.get('/fhir/Client', await asBearer({ email: 'ana@clinic.test' }));
    assert.equal(plain.status, 403);
    assert.deepEqual(issueCodes(plain.body), ['access.admin-only']);
    const admin = await flint.get('/fhir/Client', await asBearer({ email: 'boss@clinic.test' }));
    assert.equal(admin.status, 200);
  });
});
