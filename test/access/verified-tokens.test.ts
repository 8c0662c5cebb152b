/**
 * The cache of verified bearer tokens: a token's caller until the token expires, never after, and
 * a bounded number of entries (the oldest go first).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VerifiedTokens } from '../../src/access/index.js';
import type { Caller } from '../../src/core/index.js';

const caller: Caller = { kind: 'client', via: 'bearer', clientId: 'app', scopes: ['system/*.rs'], admin: false };

describe('verified tokens', () => {
  it('give the caller of a token until it expires, and nothing for another text', () => {
    const tokens = new VerifiedTokens();
    tokens.remember('token-a', { caller, expiresAt: 10_000 });
    assert.equal(tokens.get('token-a', 9_999), caller);
    assert.equal(tokens.get('token-a ', 9_999), undefined);
    assert.equal(tokens.get('token-a', 10_000), undefined);
    assert.equal(tokens.get('token-a', 5_000), undefined, 'an expired entry is gone');
  });

  it('keep at most ten thousand entries, dropping the oldest', () => {
    const tokens = new VerifiedTokens();
    for (let i = 0; i <= 10_000; i++) tokens.remember(`token-${i}`, { caller, expiresAt: Number.MAX_SAFE_INTEGER });
    assert.equal(tokens.get('token-0'), undefined);
    assert.equal(tokens.get('token-10000'), caller);
    assert.equal(tokens.get('token-1000'), caller);
  });
});
