/**
 * What a token presented to introspection or revocation is: one of this server's access tokens
 * (verified: signature, issuer, audience, expiry) or a session's current refresh token. An access
 * token of a revoked or expired session counts as invalid.
 */
import { decodeJwt } from 'jose';
import { readIdentity, tokenSettings, verifyAccessToken } from '../access/index.js';
import type { Resource } from '../core/index.js';
import type { AuthServerDeps } from './auth-server-deps.js';
import { currentSession, referencedId, sessionIsLive } from './sessions.js';

export type InspectedToken =
  | { kind: 'access'; clientId: string; claims: Record<string, unknown>; sessionId?: string }
  | { kind: 'refresh'; clientId: string; session: Resource };

async function accessToken(deps: AuthServerDeps, fhirBase: string, token: string): Promise<InspectedToken | undefined> {
  const caller = (await verifyAccessToken(deps.keys, tokenSettings(fhirBase), token))?.caller;
  if (!caller?.clientId) return undefined;
  if (caller.sessionId && !sessionIsLive(await readIdentity(deps.ctx, 'Session', caller.sessionId))) return undefined;
  return { kind: 'access', clientId: caller.clientId, claims: decodeJwt(token), ...(caller.sessionId ? { sessionId: caller.sessionId } : {}) };
}

/** The valid token, or undefined for anything else (unknown, expired, revoked, malformed). */
export async function inspectToken(deps: AuthServerDeps, fhirBase: string, token: string): Promise<InspectedToken | undefined> {
  const session = await currentSession(deps.ctx, token);
  if (session) return { kind: 'refresh', clientId: referencedId(session.client) ?? '', session };
  return token.split('.').length === 3 ? accessToken(deps, fhirBase, token) : undefined;
}
