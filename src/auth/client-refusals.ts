/**
 * The refusals of client authentication: one code, auth.invalid-client, with a reason from a fixed
 * list. A reason says which rule failed in a few words and names no value of the assertion, so
 * nothing a client sent is echoed (RFC 6749 section 5.2 invalid_client).
 */
import type { FhirError } from '../core/index.js';
import { authErrors } from './auth-errors.js';

/** The reasons a refusal may give: short, fixed, and naming no value of the assertion. */
const REASONS = {
  malformed: 'the client assertion is not a signed JWT',
  algorithm: 'the client assertion must be signed with RS384 or ES384',
  'no-key': "no key of the client matches the client assertion's kid and alg",
  'unusable-key': "the client's key cannot verify the client assertion",
  'bad-keys': "the client's registered key set is not a JWK Set",
  'keys-unavailable': "the client's keys could not be read",
  signature: "the client assertion's signature does not verify",
  expired: 'the client assertion is expired',
  'not-yet-valid': 'the client assertion is not valid yet (nbf)',
  'too-long-lived': 'the client assertion expires more than 5 minutes from now',
  issuer: "the client assertion's iss and sub must both be the client id",
  audience: 'the client assertion is not addressed to this token endpoint (aud)',
  'missing-claim': 'the client assertion lacks one of the claims iss, sub, aud, exp, jti',
  'bad-claim': 'a claim of the client assertion has the wrong type',
  jti: "the client assertion's jti must be a string of 1 to 256 characters",
  replayed: 'the client assertion was already used (its jti was seen before)',
  'no-keys': 'the client has no registered keys (jwks or jwks_uri)',
  'bad-key-url': "the client's jwks_uri is not an https URL",
} as const;

export type ClientAuthFailure = keyof typeof REASONS;

/** The auth.invalid-client error for a failure. */
export function refused(failure: ClientAuthFailure): FhirError {
  return authErrors['auth.invalid-client']({ reason: REASONS[failure] });
}
