/**
 * Token revocation, POST /auth/revoke (RFC 7009): an authenticated client revokes a refresh token of
 * its own, or the session of an access token of its own (its sid), so that every token of that
 * session stops working. The answer is 200 whatever the token was (section 2.2): an unknown or
 * foreign token tells nothing. An access token without a session (client credentials) lives until
 * it expires.
 */
import type { FastifyRequest } from 'fastify';
import { ROOT_CLIENT_ID } from '../access/index.js';
import { revocationEvent } from '../audit/index.js';
import type { AuthServerDeps, AuthServerUrls } from './auth-server-deps.js';
import { requiredParameter, type FormParameters } from './form-parameters.js';
import { requestingClient } from './introspection.js';
import { revokeSession } from './sessions.js';
import { inspectToken } from './token-inspection.js';

export async function revocationRequest(deps: AuthServerDeps, request: FastifyRequest, form: FormParameters, urls: AuthServerUrls): Promise<void> {
  const clientId = await requestingClient(deps, request, form, urls);
  const token = await inspectToken(deps, urls.fhirBase, requiredParameter(form, 'token'));
  if (!token || (clientId !== ROOT_CLIENT_ID && token.clientId !== clientId)) return;
  const sessionId = token.kind === 'refresh' ? token.session.id as string : token.sessionId;
  if (!sessionId) return;
  await revokeSession(deps.ctx, sessionId, urls.fhirBase);
  deps.ctx.audit?.record(revocationEvent({ clientId: token.clientId, sessionId, baseUrl: urls.fhirBase }));
}
