/**
 * Binding tokens and bind messages of the websocket channel, without I/O: a token verifies with
 * the keys that signed it and names its Subscriptions and caller; an expired one, one of other
 * keys, a tampered one and an access token of the same keys do not verify; bind messages read with
 * and without the colon and the lastEventNumber, and anything else is refused with its code.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { JWK } from 'jose';
import { issueAccessToken, newSigningKeyText, signingKeysOf, type SigningKeys } from '../../src/access/index.js';
import { FhirError } from '../../src/core/index.js';
import { issueBindingToken, readBindMessage, verifyBindingToken } from '../../src/subscriptions/index.js';

let keys: SigningKeys;
let otherKeys: SigningKeys;

before(async () => {
  keys = await signingKeysOf([JSON.parse(await newSigningKeyText()) as JWK]);
  otherKeys = await signingKeysOf([JSON.parse(await newSigningKeyText()) as JWK]);
});

describe('binding tokens', () => {
  it('verify with the keys that signed them, naming the Subscriptions, the caller and the expiry', async () => {
    const issued = await issueBindingToken(keys, {}, { subscriptions: ['a', 'b'], caller: 'app' });
    const grant = await verifyBindingToken(keys, issued.token);
    assert.deepEqual(grant, { subscriptions: ['a', 'b'], caller: 'app', expiresAt: issued.expiresAt });
    assert.ok(issued.expiresAt > Date.now());
  });

  it('do not verify when expired, signed by other keys or tampered with', async () => {
    const expired = await issueBindingToken(keys, { lifetimeSeconds: -10 }, { subscriptions: ['a'], caller: 'app' });
    assert.equal(await verifyBindingToken(keys, expired.token), undefined);
    const foreign = await issueBindingToken(otherKeys, {}, { subscriptions: ['a'], caller: 'app' });
    assert.equal(await verifyBindingToken(keys, foreign.token), undefined);
    const { token } = await issueBindingToken(keys, {}, { subscriptions: ['a'], caller: 'app' });
    const [header, , signature] = token.split('.');
    const claims = Buffer.from(JSON.stringify({ subscriptions: ['other'], sub: 'app', iss: 'urn:flint', aud: 'urn:flint:subscription-ws', exp: 9999999999 })).toString('base64url');
    assert.equal(await verifyBindingToken(keys, `${header}.${claims}.${signature}`), undefined);
  });

  it('are not access tokens, and access tokens are not binding tokens', async () => {
    const access = await issueAccessToken(keys, { issuer: 'urn:flint', audience: 'urn:flint:subscription-ws' }, { clientId: 'app', scopes: [], admin: false }, 300);
    assert.equal(await verifyBindingToken(keys, access), undefined);
  });
});

describe('bind messages', () => {
  it('read the token, with or without a colon, and the optional lastEventNumber', () => {
    assert.deepEqual(readBindMessage('bind-with-token abc.def'), { token: 'abc.def' });
    assert.deepEqual(readBindMessage('bind-with-token: abc.def\n'), { token: 'abc.def' });
    assert.deepEqual(readBindMessage('bind-with-token abc.def 42'), { token: 'abc.def', after: 42 });
  });

  it('refuse anything else with websocket.bad-message', () => {
    for (const text of ['', 'hello', 'bind-with-token', 'bind-with-token a b', 'bind-with-token a -1', 'unbind-with-token a']) {
      assert.throws(() => readBindMessage(text), (error: unknown) => error instanceof FhirError && error.code === 'websocket.bad-message', text);
    }
  });
});
