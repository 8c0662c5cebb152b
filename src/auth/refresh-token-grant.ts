/**
 * The refresh token grant (RFC 6749 section 6): a live session's current refresh token, presented by
 * the client it was issued to, gives a new access token and a new refresh token (rotation, OAuth 2.0
 * Security BCP section 4.14.2); the old one is refused from then on, and presenting it again revokes
 * the session. The scope may be narrowed, never widened. Who the user is (fhirUser, administrator,
 * active) is read afresh.
 */
import { grantTypes, hasAdminRole, readIdentity } from '../access/index.js';
import type { LaunchContext, Resource } from '../core/index.js';
import { authenticateClient } from './client-authentication.js';
import { requiredParameter } from './form-parameters.js';
import type { GrantRequest } from './grant-request.js';
import { clientScopes, requestedScopes } from './granted-scopes.js';
import { invalidGrant, unauthorizedClient } from './oauth-error.js';
import { referencedId, revokeSession, rotateRefreshToken, sessionIsLive, splitRefreshToken } from './sessions.js';
import { userTokenAnswer, type TokenAnswer } from './token-issuance.js';

const INVALID = 'The refresh token is invalid, expired or revoked';

function sessionLaunch(session: Resource): LaunchContext | undefined {
  const launch = session.launch as Record<string, unknown> | undefined;
  const patient = referencedId(launch?.patient);
  const encounter = referencedId(launch?.encounter);
  return patient || encounter ? { ...(patient ? { patient } : {}), ...(encounter ? { encounter } : {}) } : undefined;
}

/** The live session and the active user a refresh token names, for this client. */
async function sessionOf(grant: GrantRequest, clientId: string, sessionId: string): Promise<{ session: Resource; user: Resource }> {
  const session = await readIdentity(grant.deps.ctx, 'Session', sessionId);
  if (!sessionIsLive(session) || referencedId(session.client) !== clientId) throw invalidGrant(INVALID);
  const userId = referencedId(session.user);
  const user = userId ? await readIdentity(grant.deps.ctx, 'User', userId) : undefined;
  if (!user || user.inactive === true) throw invalidGrant(INVALID);
  return { session, user };
}

export async function refreshTokenGrant(grant: GrantRequest): Promise<TokenAnswer> {
  const { deps, urls, request, form } = grant;
  const { client, clientId } = await authenticateClient(deps, request, form, urls.token, true);
  if (!grantTypes(client).includes('refresh_token')) throw unauthorizedClient('The client may not use the refresh_token grant');
  const parts = splitRefreshToken(requiredParameter(form, 'refresh_token'));
  if (!parts) throw invalidGrant(INVALID);
  const { session, user } = await sessionOf(grant, clientId, parts.sessionId);
  const scopes = requestedScopes(form.get('scope'), clientScopes({ resourceType: 'Session', scope: session.scope }), () => true);
  const refreshToken = await rotateRefreshToken(deps.ctx, parts.sessionId, parts.secret);
  if (!refreshToken) {
    await revokeSession(deps.ctx, parts.sessionId, urls.fhirBase);
    throw invalidGrant('The refresh token was already used: its session is revoked');
  }
  const userId = user.id as string;
  return userTokenAnswer(deps, urls, client, {
    userId, fhirUser: referencedFhirUser(user), scopes, launch: sessionLaunch(session),
    admin: await hasAdminRole(deps.ctx, userId), sessionId: parts.sessionId, refreshToken,
  });
}

function referencedFhirUser(user: Resource): string | undefined {
  const reference = (user.fhirUser as { reference?: unknown } | undefined)?.reference;
  return typeof reference === 'string' ? reference : undefined;
}
