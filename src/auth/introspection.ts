/**
 * Token introspection, POST /auth/introspect (RFC 7662): an authenticated client asks whether a token
 * is active and what it carries. Anything not valid is `{active: false}` and nothing more. A client
 * may introspect its own tokens; the root client (by its secret or a bearer token of its own) any.
 */
import type { FastifyRequest } from 'fastify';
import { ROOT_CLIENT_ID, tokenSettings, verifyAccessToken } from '../access/index.js';
import type { AuthServerDeps, AuthServerUrls } from './auth-server-deps.js';
import { authenticateClient } from './client-authentication.js';
import { requiredParameter, type FormParameters } from './form-parameters.js';
import { absoluteFhirUser } from './id-token.js';
import { inspectToken, type InspectedToken } from './token-inspection.js';
import { referencedId } from './sessions.js';
import type { TokenAnswer } from './token-issuance.js';

const CLAIMS = ['scope', 'client_id', 'sub', 'exp', 'iat', 'iss', 'aud', 'patient', 'encounter', 'fhirUser', 'sid', 'jti'];

/** The client making the request: a bearer token of the root client, or client authentication. */
export async function requestingClient(deps: AuthServerDeps, request: FastifyRequest, form: FormParameters, urls: AuthServerUrls): Promise<string> {
  const authorization = request.headers.authorization;
  if (authorization && /^bearer /i.test(authorization)) {
    const caller = (await verifyAccessToken(deps.keys, tokenSettings(urls.fhirBase), authorization.slice(7).trim()))?.caller;
    if (caller?.kind === 'client' && caller.clientId === ROOT_CLIENT_ID) return ROOT_CLIENT_ID;
  }
  return (await authenticateClient(deps, request, form, urls.token)).clientId;
}

function describe(token: InspectedToken, urls: AuthServerUrls): TokenAnswer {
  if (token.kind === 'refresh') {
    const { session } = token;
    const user = referencedId(session.user);
    return {
      active: true, token_type: 'refresh_token', client_id: token.clientId, scope: (session.scope as string[] | undefined ?? []).join(' '),
      ...(user ? { sub: user } : {}), exp: Math.floor(Date.parse(session.expires as string) / 1000), iss: urls.issuer,
    };
  }
  const claims = Object.fromEntries(CLAIMS.filter((name) => token.claims[name] !== undefined).map((name) => [name, token.claims[name]]));
  if (typeof claims.fhirUser === 'string') claims.fhirUser = absoluteFhirUser(claims.fhirUser, urls.fhirBase);
  return { active: true, token_type: 'Bearer', ...claims };
}

/** RFC 7662 section 2: the introspection response. */
export async function introspectionRequest(deps: AuthServerDeps, request: FastifyRequest, form: FormParameters, urls: AuthServerUrls): Promise<TokenAnswer> {
  const clientId = await requestingClient(deps, request, form, urls);
  const token = await inspectToken(deps, urls.fhirBase, requiredParameter(form, 'token'));
  if (!token || (clientId !== ROOT_CLIENT_ID && token.clientId !== clientId)) return { active: false };
  return describe(token, urls);
}
