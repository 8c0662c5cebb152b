/**
 * The authorization server's error catalogue: the stable codes of PKCE and client
 * authentication (see core/error-catalogue.ts). A failed client authentication has one code whatever
 * check failed; its message carries only a short fixed reason, never the assertion itself.
 */
import { defineErrors } from '../core/index.js';

export const authErrors = defineErrors('auth', {
  'auth.invalid-client': {
    category: 'unauthorized',
    summary: 'The client could not be authenticated (its signed client assertion was refused)',
    message: (a: { reason: string }) => `The client could not be authenticated: ${a.reason}`,
  },
  'auth.pkce-required': {
    category: 'invalid',
    summary: 'An authorization request has no PKCE code_challenge, which this server requires',
    message: () => 'A code_challenge (PKCE, method S256) is required',
  },
  'auth.pkce-method-unsupported': {
    category: 'invalid',
    issueType: 'not-supported',
    summary: 'The PKCE code_challenge_method is not S256 (plain, or a missing method, which means plain, is refused)',
    message: () => 'The code_challenge_method must be S256; plain is not accepted',
  },
  'auth.invalid-pkce': {
    category: 'invalid',
    summary: 'A PKCE code_verifier or code_challenge is malformed',
    message: (a: { reason: string }) => a.reason,
  },
  'auth.launch-invalid': {
    category: 'invalid',
    summary: 'An EHR launch request (POST /auth/launch) names no active client, or a patient or encounter that does not exist',
    message: (a: { reason: string }) => `The launch cannot be created: ${a.reason}`,
  },
  'auth.launch-forbidden': {
    category: 'forbidden',
    summary: 'An EHR launch for a patient the caller does not act for (only administrators and users acting for the patient may launch)',
    message: () => 'Only administrators and users acting for the patient may create a launch for it',
  },
});
