/**
 * The OpenID Connect UserInfo endpoint, GET or POST /auth/userinfo (OpenID Connect Core 1.0 section
 * 5.3): a bearer access token of a user gives `sub` (the user's id) and `fhirUser` (absolute) when
 * granted. Anything else is 401 with a Bearer challenge (RFC 6750 section 3).
 */
import type { FastifyRequest } from 'fastify';
import { tokenSettings, verifyAccessToken } from '../access/index.js';
import type { AuthServerDeps, AuthServerUrls } from './auth-server-deps.js';
import { absoluteFhirUser } from './id-token.js';
import { OAuthError } from './oauth-error.js';

function invalidToken(): OAuthError {
  return new OAuthError('invalid_token', 'A valid bearer access token of a user is required', 401, {
    'www-authenticate': 'Bearer realm="flint", error="invalid_token"',
  });
}

export async function userinfoRequest(deps: AuthServerDeps, request: FastifyRequest, urls: AuthServerUrls): Promise<Record<string, unknown>> {
  const authorization = request.headers.authorization;
  if (!authorization || !/^bearer /i.test(authorization)) throw invalidToken();
  const caller = (await verifyAccessToken(deps.keys, tokenSettings(urls.fhirBase), authorization.slice(7).trim()))?.caller;
  if (!caller?.userId) throw invalidToken();
  return { sub: caller.userId, ...(caller.fhirUser ? { fhirUser: absoluteFhirUser(caller.fhirUser, urls.fhirBase) } : {}) };
}
