/**
 * The access module's error catalogue: requests without valid credentials (401, with a
 * WWW-Authenticate challenge), requests the caller may not make (403), and access policies that
 * cannot be used (422, refused when written). The messages never say
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
  'access.denied': {
    category: 'forbidden',
    summary: 'No access policy allows the request (default deny)',
    message: () => 'No access policy allows this request',
  },
  'access.missing-scope': {
    category: 'forbidden',
    summary: 'The token carries SMART scopes, and none permits the interaction on the type: the message names the scope needed',
    message: (a: { scope: string }) => `The token's scopes do not permit this request: it needs ${a.scope}`,
  },
  'access.sql-admin-only': {
    category: 'forbidden',
    summary: '$sql is open to the root client and administrators only, whatever the policies say (row rules cannot hold in free SQL)',
    message: () => '$sql is open to the root client and administrators only: access policies cannot grant it',
  },
  'access.invalid-policy': {
    category: 'unprocessable',
    summary: 'An AccessPolicy cannot be used: unknown engine, missing body, bad pattern, schema, SQL or rows entry',
    message: (a: { detail: string }) => `The access policy is not valid: ${a.detail}`,
  },
});
