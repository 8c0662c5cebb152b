/**
 * PKCE (RFC 7636): the example of appendix B, the shape of verifiers and challenges, the refusal of
 * the plain method and of a missing challenge, and mismatches.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkCodeChallenge, checkCodeVerifier, s256Challenge, verifyPkce } from '../../src/auth/index.js';

/** RFC 7636 appendix B (https://www.rfc-editor.org/rfc/rfc7636#appendix-B). */
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

describe('PKCE S256', () => {
  it('computes the challenge of RFC 7636 appendix B', () => assert.equal(s256Challenge(VERIFIER), CHALLENGE));

  it('verifies the appendix B pair', () => assert.equal(verifyPkce(VERIFIER, CHALLENGE), true));

  const mismatches: [string, string, string][] = [
    ['another verifier', `${VERIFIER.slice(0, -1)}l`, CHALLENGE],
    ['another challenge', VERIFIER, `${CHALLENGE.slice(0, -1)}N`],
    ['a shorter challenge', VERIFIER, CHALLENGE.slice(0, -1)],
    ['a longer challenge', VERIFIER, `${CHALLENGE}A`],
    ['an empty challenge', VERIFIER, ''],
    ['the verifier as its own challenge (plain)', VERIFIER, VERIFIER],
    ['a malformed verifier', 'short', s256Challenge('short')],
    ['a challenge of multi-byte characters', VERIFIER, 'é'.repeat(43)],
  ];
  for (const [name, verifier, challenge] of mismatches) {
    it(`does not match ${name}`, () => assert.equal(verifyPkce(verifier, challenge), false));
  }
});

describe('checkCodeVerifier', () => {
  const good = [VERIFIER, 'a'.repeat(43), 'a'.repeat(128), 'AZaz09-._~'.repeat(5)];
  for (const verifier of good) it(`accepts ${verifier.slice(0, 20)}... (${verifier.length})`, () => checkCodeVerifier(verifier));

  const bad: [string, string][] = [
    ['42 characters', 'a'.repeat(42)],
    ['129 characters', 'a'.repeat(129)],
    ['empty', ''],
    ['a space', `${'a'.repeat(42)} `],
    ['a plus', `${'a'.repeat(42)}+`],
    ['a slash', `${'a'.repeat(42)}/`],
    ['an equals sign', `${'a'.repeat(42)}=`],
    ['a non-ASCII letter', `${'a'.repeat(42)}é`],
  ];
  for (const [name, verifier] of bad) {
    it(`refuses ${name}`, () => assert.throws(() => checkCodeVerifier(verifier), { code: 'auth.invalid-pkce', category: 'invalid' }));
  }
});

describe('checkCodeChallenge', () => {
  it('accepts an S256 challenge', () => checkCodeChallenge(CHALLENGE, 'S256'));

  const cases: [string, string | undefined, string | undefined, string][] = [
    ['plain', CHALLENGE, 'plain', 'auth.pkce-method-unsupported'],
    ['no method (which means plain)', CHALLENGE, undefined, 'auth.pkce-method-unsupported'],
    ['a method in other case', CHALLENGE, 's256', 'auth.pkce-method-unsupported'],
    ['an unknown method', CHALLENGE, 'S512', 'auth.pkce-method-unsupported'],
    ['no challenge', undefined, 'S256', 'auth.pkce-required'],
    ['an empty challenge', '', 'S256', 'auth.pkce-required'],
    ['a challenge too short', CHALLENGE.slice(1), 'S256', 'auth.invalid-pkce'],
    ['a challenge too long', `${CHALLENGE}A`, 'S256', 'auth.invalid-pkce'],
    ['a padded challenge', `${CHALLENGE.slice(1)}=`, 'S256', 'auth.invalid-pkce'],
    ['a base64 (not base64url) challenge', `${CHALLENGE.slice(1)}+`, 'S256', 'auth.invalid-pkce'],
  ];
  for (const [name, challenge, method, code] of cases) {
    it(`refuses ${name} with ${code}`, () => assert.throws(() => checkCodeChallenge(challenge, method), { code, category: 'invalid' }));
  }
});
