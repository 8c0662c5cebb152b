/**
 * Client authentication by signed JWT (RFC 7523, SMART Backend Services): assertions signed in the
 * test with RS384 and ES384 keys made by jose. A valid assertion passes once; every broken rule (the
 * algorithm, the lifetime, the claims, the key, a replay) is auth.invalid-client with a fixed reason
 * that never echoes the assertion.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign as signBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { base64url, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import {
  clientKeySet, MemoryReplayStore, unverifiedAssertionIssuer, verifyClientAssertion,
  type ClientAssertionOptions, type ClientKeys,
} from '../../src/auth/index.js';
import { isFhirError } from '../../src/core/index.js';

const CLIENT = 'backend-client';
const TOKEN_URL = 'https://flint.example.org/auth/token';
const NOW = new Date('2026-03-01T12:00:00Z');
const NOW_SECONDS = NOW.getTime() / 1000;

interface SigningKey { kid: string; alg: string; privateKey: CryptoKey; publicJwk: JWK }

async function signingKey(kid: string, alg: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg } };
}

const rs384 = await signingKey('rs384-key', 'RS384');
const es384 = await signingKey('es384-key', 'ES384');
const rs256 = await signingKey('rs256-key', 'RS256');
const stranger = await signingKey('rs384-key', 'RS384');
const registered = clientKeySet({ jwks: { keys: [rs384.publicJwk, es384.publicJwk, rs256.publicJwk] } });

function claims(overrides: JWTPayload = {}): JWTPayload {
  return { iss: CLIENT, sub: CLIENT, aud: TOKEN_URL, exp: NOW_SECONDS + 240, jti: crypto.randomUUID(), ...overrides };
}

function withoutClaim(name: string): JWTPayload {
  const { [name]: _left, ...rest } = claims();
  return rest;
}

async function sign(key: SigningKey, payload: JWTPayload = claims(), header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT', ...header }).sign(key.privateKey);
}

function unsigned(payload: Record<string, unknown>, header: Record<string, unknown>): string {
  const part = (value: object) => base64url.encode(JSON.stringify(value));
  return `${part(header)}.${part(payload)}.`;
}

function options(overrides: Partial<ClientAssertionOptions> = {}): ClientAssertionOptions {
  return { clientId: CLIENT, tokenUrl: TOKEN_URL, keys: registered, replay: new MemoryReplayStore(() => NOW), now: NOW, ...overrides };
}

/** Asserts a refusal: auth.invalid-client, 401, the reason's words, and no part of the assertion. */
async function refused(assertion: string, reason: RegExp, overrides: Partial<ClientAssertionOptions> = {}): Promise<void> {
  await assert.rejects(verifyClientAssertion(assertion, options(overrides)), (error) => {
    assert.ok(isFhirError(error), String(error));
    assert.equal(error.code, 'auth.invalid-client');
    assert.equal(error.category, 'unauthorized');
    assert.match(error.message, reason);
    for (const part of assertion.split('.').filter((p) => p.length > 8)) assert.ok(!error.message.includes(part));
    return true;
  });
}

describe('verifyClientAssertion: valid assertions', () => {
  for (const key of [rs384, es384]) {
    it(`passes an assertion signed with ${key.alg}`, async () => {
      const payload = claims();
      const verified = await verifyClientAssertion(await sign(key, payload), options());
      assert.deepEqual(verified, { clientId: CLIENT, jti: payload.jti, expiresAt: NOW_SECONDS + 240 });
    });
  }

  it('takes the client id from iss when the request names none', async () => {
    const verified = await verifyClientAssertion(await sign(es384), options({ clientId: undefined }));
    assert.equal(verified.clientId, CLIENT);
  });

  it('accepts an aud array that contains the token URL', async () => {
    await verifyClientAssertion(await sign(rs384, claims({ aud: ['https://other.example.org', TOKEN_URL] })), options());
  });

  it('accepts exp exactly 5 minutes ahead, and exp up to 60 s past (clock skew)', async () => {
    await verifyClientAssertion(await sign(rs384, claims({ exp: NOW_SECONDS + 300 })), options());
    await verifyClientAssertion(await sign(rs384, claims({ exp: NOW_SECONDS - 59 })), options());
  });

  it('remembers the jti until the assertion could no longer be accepted', async () => {
    const remembered: [string, number][] = [];
    const replay = { remember: async (jti: string, expiresAt: number) => (remembered.push([jti, expiresAt]), true) };
    const payload = claims();
    await verifyClientAssertion(await sign(rs384, payload), options({ replay }));
    assert.deepEqual(remembered, [[payload.jti, NOW_SECONDS + 240 + 60]]);
  });

  it('reads the unverified issuer, to find the client, and nothing of a non-JWT', async () => {
    assert.equal(unverifiedAssertionIssuer(await sign(rs384)), CLIENT);
    assert.equal(unverifiedAssertionIssuer('not a jwt'), undefined);
    assert.equal(unverifiedAssertionIssuer(unsigned({ iss: 42 }, { alg: 'none' })), undefined);
  });
});

describe('verifyClientAssertion: refusals are auth.invalid-client', () => {
  const hs256 = async () => new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid: rs384.kid }).sign(new TextEncoder().encode('a shared secret of 32 bytes!!!!!'));
  const cases: [string, () => Promise<string>, RegExp, Partial<ClientAssertionOptions>?][] = [
    ['RS256 with a registered RS256 key', () => sign(rs256), /RS384 or ES384/],
    ['HS256', hs256, /RS384 or ES384/],
    ['alg none', async () => unsigned(claims(), { alg: 'none', kid: rs384.kid }), /RS384 or ES384/],
    ['expired (past the 60 s skew)', () => sign(rs384, claims({ exp: NOW_SECONDS - 61 })), /expired/],
    ['exp more than 5 minutes ahead', () => sign(rs384, claims({ exp: NOW_SECONDS + 301 })), /more than 5 minutes/],
    ['exp an hour ahead', () => sign(es384, claims({ exp: NOW_SECONDS + 3600 })), /more than 5 minutes/],
    ['no exp', () => sign(rs384, withoutClaim('exp')), /lacks one of the claims/],
    ['exp not a number', () => sign(rs384, claims({ exp: 'soon' as unknown as number })), /wrong type/],
    ['no jti', () => sign(rs384, withoutClaim('jti')), /lacks one of the claims/],
    ['an empty jti', () => sign(rs384, claims({ jti: '' })), /jti/],
    ['a jti of 257 characters', () => sign(rs384, claims({ jti: 'j'.repeat(257) })), /jti/],
    ['a jti that is not a string', () => sign(rs384, claims({ jti: 7 as unknown as string })), /jti/],
    ['no iss', () => sign(rs384, withoutClaim('iss')), /lacks one of the claims/],
    ['no sub', () => sign(rs384, withoutClaim('sub')), /lacks one of the claims/],
    ['no aud', () => sign(rs384, withoutClaim('aud')), /lacks one of the claims/],
    ['a wrong aud', () => sign(rs384, claims({ aud: 'https://flint.example.org/other' })), /not addressed to this token endpoint/],
    ['an aud array without the token URL', () => sign(rs384, claims({ aud: ['https://a.example.org'] })), /not addressed/],
    ['iss other than sub', () => sign(rs384, claims({ sub: 'someone-else' })), /iss and sub/],
    ['iss other than sub, no client id given', () => sign(rs384, claims({ sub: 'someone-else' })), /iss and sub/, { clientId: undefined }],
    ['iss and sub of another client', () => sign(rs384, claims({ iss: 'other', sub: 'other' })), /iss and sub/],
    ['nbf in the future', () => sign(rs384, claims({ nbf: NOW_SECONDS + 120 })), /not valid yet/],
    ['an unknown kid', () => sign(rs384, claims(), { kid: 'no-such-key' }), /no key of the client matches/],
    ['a kid of a key of another type', () => sign(rs384, claims(), { kid: es384.kid }), /no key of the client matches/],
    ['signed by another key with the same kid', () => sign(stranger), /signature does not verify/],
    ['a tampered payload', async () => {
      const [header, , signature] = (await sign(rs384)).split('.');
      return `${header}.${base64url.encode(JSON.stringify(claims({ iss: CLIENT })))}.${signature}`;
    }, /signature does not verify/],
    ['not a JWT', async () => 'not-a-jwt-at-all', /not a signed JWT/],
    ['a JWT with a body that is not JSON', async () => `${base64url.encode('{"alg":"RS384"}')}.${base64url.encode('nope')}.c2ln`, /not a signed JWT|signature/],
  ];
  for (const [name, make, reason, overrides] of cases) {
    it(name, async () => refused(await make(), reason, overrides));
  }

  it('a replayed jti', async () => {
    const replay = new MemoryReplayStore(() => NOW);
    const payload = claims();
    await verifyClientAssertion(await sign(rs384, payload), options({ replay }));
    await refused(await sign(rs384, payload), /already used/, { replay });
    await refused(await sign(es384, payload), /already used/, { replay });
  });

  it('an RSA key under 2048 bits (jose makes none, node:crypto does)', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const header = base64url.encode(JSON.stringify({ alg: 'RS384', kid: 'weak', typ: 'JWT' }));
    const body = base64url.encode(JSON.stringify(claims()));
    const signature = base64url.encode(signBytes('sha384', Buffer.from(`${header}.${body}`), privateKey));
    const keys = clientKeySet({ jwks: { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'weak', alg: 'RS384' }] } });
    await refused(`${header}.${body}.${signature}`, /cannot verify/, { keys });
  });

  it('a failure of the replay store itself is not a refusal', async () => {
    const replay = { remember: async () => { throw new Error('store down'); } };
    await assert.rejects(verifyClientAssertion(await sign(rs384), options({ replay })), /store down/);
  });
});

describe('clientKeySet', () => {
  const refusedAt = (make: () => ClientKeys, reason: RegExp) => assert.throws(make, (error) => {
    assert.ok(isFhirError(error));
    assert.equal(error.code, 'auth.invalid-client');
    assert.match(error.message, reason);
    return true;
  });

  it('refuses a client without keys', () => refusedAt(() => clientKeySet({}), /no registered keys/));
  it('refuses a jwks that is not a JWK Set', () => refusedAt(() => clientKeySet({ jwks: { keys: 'none' } }), /not a JWK Set/));
  it('refuses a jwks_uri that is not https', () => refusedAt(() => clientKeySet({ jwks_uri: 'http://keys.example.org/jwks' }), /not an https URL/));
  it('refuses a jwks_uri that is not a URL', () => refusedAt(() => clientKeySet({ jwks_uri: 'keys' }), /not an https URL/));
  it('takes an https jwks_uri, and http on a loopback host', () => {
    assert.equal(typeof clientKeySet({ jwks_uri: 'https://keys.example.org/jwks.json' }), 'function');
    assert.equal(typeof clientKeySet({ jwks_uri: 'http://127.0.0.1:9999/jwks.json' }), 'function');
  });

  it('refuses, when verifying, a jwks holding a private key', async () => {
    const { privateKey } = await generateKeyPair('RS384', { extractable: true });
    const keys = clientKeySet({ jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: rs384.kid, alg: 'RS384' }] } });
    await refused(await sign(rs384), /not a JWK Set/, { keys });
  });

  it('refuses, when verifying, a jwks_uri that cannot be read', async () => {
    const keys = clientKeySet({ jwks_uri: 'http://127.0.0.1:1/jwks.json' });
    await refused(await sign(rs384), /could not be read/, { keys });
  });
});

describe('MemoryReplayStore', () => {
  it('answers false for a jti it remembers, and forgets it once expired', async () => {
    let now = NOW;
    const store = new MemoryReplayStore(() => now);
    assert.equal(await store.remember('a', NOW_SECONDS + 10), true);
    assert.equal(await store.remember('a', NOW_SECONDS + 10), false);
    assert.equal(await store.remember('b', NOW_SECONDS + 100), true);
    assert.equal(store.size, 2);
    now = new Date((NOW_SECONDS + 10) * 1000);
    assert.equal(await store.remember('c', NOW_SECONDS + 100), true);
    assert.equal(store.size, 2, 'a is dropped once expired');
    assert.equal(await store.remember('a', NOW_SECONDS + 200), true);
    assert.equal(await store.remember('b', NOW_SECONDS + 200), false);
  });
});
