/**
 * The errors of the authorization server's endpoints, in the shape RFC 6749 section 5.2 gives them:
 * a JSON body `{error, error_description}`, status 400, or 401 with a WWW-Authenticate challenge when
 * the client could not be authenticated. The descriptions are fixed sentences and echo no secret,
 * code or token a client sent. Errors of the building blocks (auth.invalid-client, access.invalid-scope)
 * become their OAuth equivalents here.
 */
import { isFhirError } from '../core/index.js';

export type OAuthErrorCode =
  | 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client'
  | 'unsupported_grant_type' | 'invalid_scope' | 'unsupported_token_type' | 'invalid_token';

export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    readonly status = 400,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(description);
  }
}

/** The challenge of a failed client authentication (RFC 6749 section 5.2, invalid_client). */
export const CLIENT_CHALLENGE = 'Basic realm="flint"';

export function invalidRequest(description: string): OAuthError {
  return new OAuthError('invalid_request', description);
}

export function invalidClient(description = 'The client could not be authenticated'): OAuthError {
  return new OAuthError('invalid_client', description, 401, { 'www-authenticate': CLIENT_CHALLENGE });
}

export function invalidGrant(description: string): OAuthError {
  return new OAuthError('invalid_grant', description);
}

export function unauthorizedClient(description: string): OAuthError {
  return new OAuthError('unauthorized_client', description);
}

export function invalidScope(description: string): OAuthError {
  return new OAuthError('invalid_scope', description);
}

/** The OAuth error of a thrown error, or undefined when it is not one a client caused. */
export function asOAuthError(error: unknown): OAuthError | undefined {
  if (error instanceof OAuthError) return error;
  if (!isFhirError(error)) return undefined;
  if (error.code === 'auth.invalid-client') return invalidClient(error.message);
  if (error.code === 'access.invalid-scope') return invalidScope(error.message);
  if (error.code.startsWith('auth.')) return invalidRequest(error.message);
  return undefined;
}
