/**
 * The access module's error catalogue: requests without valid credentials (401, with a
 * WWW-Authenticate challenge) and requests the caller may not make (403). The messages never say
 * which part of a credential was wrong, nor whether an account exists.
 */
import { defineErrors } from '../core/index.js';

/** The challenge of every 401: a bearer token (RFC 6750) or HTTP Basic with a client's id and secret. */
export function challenge(error?: 'invalid_token'): Record<string, string> {
  const bearer = error ? `Bearer realm="flint", error="${error}"` : 'Bearer realm="flint"';
  return { 'www-authenticate': `${bearer}, Basic realm="flint"` };
}

export const accessErrors = defineErrors('access', {
  'access.unauthenticated': {
    category: 'unauthorized',
    summary: 'The request carries no credentials: a bearer token or HTTP Basic with a client id and secret',
    message: () => 'Authentication is required: send Authorization: Bearer <token>, or Basic with a client id and secret',
  },
  'access.invalid-credentials': {
    category: 'unauthorized',
    summary: 'The credentials are not valid (unknown, wrong, expired, revoked or inactive: which one is not said)',
    message: () => 'The credentials are not valid',
  },
  'access.invalid-scope': {
    category: 'invalid',
    summary: 'A scope is not a SMART App Launch scope this server knows (resource, launch or identity scope)',
    message: (a: { scope: string; reason: string }) => `"${a.scope}" is not a valid SMART scope: ${a.reason}`,
  },
  'access.admin-only': {
    category: 'forbidden',
    summary: 'An administrative endpoint or an identity resource, open to the root client and administrators only',
    message: (a: { what: string }) => `${a.what} is open to the root client and administrators only`,
  },
});
