/**
 * PKCE, Proof Key for Code Exchange (RFC 7636, https://www.rfc-editor.org/rfc/rfc7636): the checks of
 * the code_challenge an authorization request brings and of the code_verifier the token request
 * brings, and their comparison. Only the S256 method is accepted, as SMART App Launch 2.x requires
 * (https://hl7.org/fhir/smart-app-launch/app-launch.html#considerations-for-pkce-support).
 */
import { createHash } from 'node:crypto';
import { sameSecretText } from '../access/index.js';
import { authErrors } from './auth-errors.js';

/** RFC 7636 section 4.1: 43 to 128 unreserved characters. */
const CODE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

/** base64url (no padding) of a SHA-256 digest: always 43 characters. */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** Refuses a code_verifier that is not 43-128 characters of [A-Za-z0-9-._~] (RFC 7636 section 4.1). */
export function checkCodeVerifier(verifier: string): void {
  if (!CODE_VERIFIER.test(verifier)) {
    throw authErrors['auth.invalid-pkce']({ reason: 'The code_verifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~' });
  }
}

/**
 * Checks the code_challenge and code_challenge_method of an authorization request (RFC 7636
 * section 4.3): a challenge is required, the method must be S256 (a missing method means plain,
 * which is refused), and the challenge must be a base64url SHA-256 digest.
 */
export function checkCodeChallenge(challenge: string | undefined, method: string | undefined): void {
  if (challenge === undefined || challenge === '') throw authErrors['auth.pkce-required'](undefined);
  if (method !== 'S256') throw authErrors['auth.pkce-method-unsupported'](undefined);
  if (!S256_CHALLENGE.test(challenge)) {
    throw authErrors['auth.invalid-pkce']({ reason: 'The code_challenge must be the base64url SHA-256 digest of the code_verifier (43 characters)' });
  }
}

/** The S256 code_challenge of a code_verifier: base64url(SHA-256(ASCII(verifier))) (RFC 7636 section 4.2). */
export function s256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/**
 * Whether the token request's code_verifier matches the challenge stored with the authorization
 * code (RFC 7636 section 4.6), compared in constant time. A malformed verifier never matches.
 */
export function verifyPkce(verifier: string, challenge: string): boolean {
  if (!CODE_VERIFIER.test(verifier)) return false;
  return sameSecretText(challenge, s256Challenge(verifier));
}
