/**
 * The token response (RFC 6749 section 5.1, SMART App Launch "Response to token request"): the
 * access token, its type and lifetime and scope, and for a user the launch context (patient,
 * encounter, need_patient_banner), the id_token when `openid` was granted, and a refresh token when
 * offline_access or online_access was granted to a client allowed the refresh_token grant.
 */
import { tokenIssuedEvent } from '../audit/index.js';
import { grantTypes, issueAccessToken, tokenSettings, type TokenGrant } from '../access/index.js';
import type { LaunchContext, Resource } from '../core/index.js';
import type { AuthServerDeps, AuthServerUrls } from './auth-server-deps.js';
import { absoluteFhirUser, issueIdToken } from './id-token.js';
import { OFFLINE_SESSION_SECONDS, ONLINE_SESSION_SECONDS, openSession } from './sessions.js';

export type TokenAnswer = Record<string, unknown>;

/** What a user's tokens say. */
export interface UserGrant {
  userId: string;
  fhirUser?: string;
  scopes: readonly string[];
  launch?: LaunchContext;
  admin: boolean;
  nonce?: string;
  /** The session the tokens belong to (a refresh); absent, one is opened when a refresh token is due. */
  sessionId?: string;
  /** The rotated refresh token of that session. */
  refreshToken?: string;
}

function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

/** The access token lifetime: the client's for the grant (auth.<grant>.access_token_expiration), else the server's. */
export function accessTokenLifetime(deps: AuthServerDeps, client: Resource, grant: 'client_credentials' | 'authorization_code'): number {
  const settings = (client.auth as Record<string, Record<string, unknown> | undefined> | undefined)?.[grant];
  return positiveInteger(settings?.access_token_expiration) ?? deps.accessTokenSeconds;
}

/** An access token answer for a grant, with its scope. */
export async function accessTokenAnswer(deps: AuthServerDeps, urls: AuthServerUrls, grant: TokenGrant, lifetime: number): Promise<TokenAnswer> {
  const accessToken = await issueAccessToken(deps.keys, tokenSettings(urls.fhirBase), grant, lifetime);
  deps.ctx.audit?.record(tokenIssuedEvent({ ...grant, baseUrl: urls.fhirBase }));
  return { access_token: accessToken, token_type: 'Bearer', expires_in: lifetime, scope: grant.scopes.join(' ') };
}

function sessionLifetime(scopes: readonly string[]): number | undefined {
  if (scopes.includes('offline_access')) return OFFLINE_SESSION_SECONDS;
  return scopes.includes('online_access') ? ONLINE_SESSION_SECONDS : undefined;
}

/** The session and refresh token of a user grant: the given ones, or new ones when the scopes ask for them. */
async function refreshPart(deps: AuthServerDeps, urls: AuthServerUrls, client: Resource, grant: UserGrant): Promise<{ sessionId?: string; refreshToken?: string }> {
  if (grant.sessionId) return { sessionId: grant.sessionId, refreshToken: grant.refreshToken };
  const lifetime = sessionLifetime(grant.scopes);
  if (lifetime === undefined || !grantTypes(client).includes('refresh_token')) return {};
  return openSession(deps.ctx, {
    clientId: client.id as string, userId: grant.userId, scopes: grant.scopes, launch: grant.launch, lifetimeSeconds: lifetime,
  }, urls.fhirBase);
}

function launchAnswer(launch: LaunchContext | undefined): TokenAnswer {
  return {
    ...(launch?.patient ? { patient: launch.patient, need_patient_banner: true } : {}),
    ...(launch?.encounter ? { encounter: launch.encounter } : {}),
  };
}

/** The tokens of a user signed in through a client (authorization code, refresh). */
export async function userTokenAnswer(deps: AuthServerDeps, urls: AuthServerUrls, client: Resource, grant: UserGrant): Promise<TokenAnswer> {
  const clientId = client.id as string;
  const { sessionId, refreshToken } = await refreshPart(deps, urls, client, grant);
  const lifetime = accessTokenLifetime(deps, client, 'authorization_code');
  const fhirUser = grant.scopes.includes('fhirUser') && grant.fhirUser ? grant.fhirUser : undefined;
  const answer = await accessTokenAnswer(deps, urls, {
    clientId, userId: grant.userId, scopes: grant.scopes, admin: grant.admin,
    ...(fhirUser ? { fhirUser } : {}), ...(grant.launch ? { launch: grant.launch } : {}), ...(sessionId ? { sessionId } : {}),
  }, lifetime);
  const idToken = grant.scopes.includes('openid') ? await issueIdToken(deps.keys, {
    issuer: urls.issuer, userId: grant.userId, clientId, nonce: grant.nonce,
    ...(fhirUser ? { fhirUser: absoluteFhirUser(fhirUser, urls.fhirBase) } : {}),
  }, lifetime) : undefined;
  return {
    ...answer, ...launchAnswer(grant.launch),
    ...(idToken ? { id_token: idToken } : {}), ...(refreshToken ? { refresh_token: refreshToken } : {}),
  };
}
