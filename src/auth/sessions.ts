/**
 * Sessions and their refresh tokens (RFC 6749 sections 1.5 and 6; rotation and reuse detection as
 * the OAuth 2.0 Security Best Current Practice section 4.14 and RFC 6819 section 5.2.2.3 describe).
 * A Session resource is one token family: who, which client, which scopes and launch context, until
 * when. Its refresh token is `<session id>.<256 random bits>`; only the SHA-256 of the current one is
 * kept (flint_credential), and each use replaces it. Presenting a token of the session that is not
 * the current one means it leaked or was replayed: the session is revoked.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readCredential, readIdentity, sameSecretText, sessionIsLive, storeCredential } from '../access/index.js';

export { sessionIsLive };
import type { LaunchContext, Resource } from '../core/index.js';
import { handleRequest, type EngineContext } from '../engine/index.js';
import { sql } from '../sql/index.js';

/** How long a session lives: offline_access for 90 days, online_access for 12 hours. */
export const OFFLINE_SESSION_SECONDS = 90 * 24 * 3600;
export const ONLINE_SESSION_SECONDS = 12 * 3600;

export interface SessionGrant {
  clientId: string;
  userId?: string;
  scopes: readonly string[];
  launch?: LaunchContext;
  lifetimeSeconds: number;
}

function tokenHash(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

function launchOf(launch: LaunchContext | undefined): object | undefined {
  if (!launch?.patient && !launch?.encounter) return undefined;
  return {
    ...(launch.patient ? { patient: { reference: `Patient/${launch.patient}` } } : {}),
    ...(launch.encounter ? { encounter: { reference: `Encounter/${launch.encounter}` } } : {}),
  };
}

/** Writes a Session through the engine as the server itself (no caller). */
async function writeSession(ctx: EngineContext, session: Resource, baseUrl: string): Promise<void> {
  const response = await handleRequest(ctx, {
    method: 'PUT', path: `Session/${session.id as string}`, query: [], headers: {}, baseUrl, body: session,
  });
  if (response.status >= 300) throw new Error(`writing the Session failed with status ${response.status}`);
}

/** A new Session for the grant and its first refresh token. */
export async function openSession(ctx: EngineContext, grant: SessionGrant, baseUrl: string): Promise<{ sessionId: string; refreshToken: string }> {
  const sessionId = randomBytes(16).toString('hex');
  const launch = launchOf(grant.launch);
  await writeSession(ctx, {
    resourceType: 'Session', id: sessionId, client: { reference: `Client/${grant.clientId}` },
    ...(grant.userId ? { user: { reference: `User/${grant.userId}` } } : {}),
    scope: [...grant.scopes], ...(launch ? { launch } : {}),
    expires: new Date(Date.now() + grant.lifetimeSeconds * 1000).toISOString(),
  }, baseUrl);
  const secret = randomBytes(32).toString('base64url');
  await storeCredential(ctx.db, 'Session', sessionId, tokenHash(secret));
  return { sessionId, refreshToken: `${sessionId}.${secret}` };
}

/** The session id and secret of a refresh token, or undefined when it does not have the shape. */
export function splitRefreshToken(token: string): { sessionId: string; secret: string } | undefined {
  const match = /^([0-9a-f]{32})\.([A-Za-z0-9_-]{43})$/.exec(token);
  return match ? { sessionId: match[1], secret: match[2] } : undefined;
}

/** The live session a token belongs to, when it is the session's current refresh token. */
export async function currentSession(ctx: EngineContext, token: string): Promise<Resource | undefined> {
  const parts = splitRefreshToken(token);
  if (!parts) return undefined;
  const session = await readIdentity(ctx, 'Session', parts.sessionId);
  const stored = sessionIsLive(session) ? await readCredential(ctx.db, 'Session', parts.sessionId) : undefined;
  return stored !== undefined && sameSecretText(stored, tokenHash(parts.secret)) ? session : undefined;
}

/** Marks a Session revoked (its refresh token and the access tokens that name it stop working). */
export async function revokeSession(ctx: EngineContext, sessionId: string, baseUrl: string): Promise<void> {
  const session = await readIdentity(ctx, 'Session', sessionId);
  if (!session || session.revoked === true) return;
  await writeSession(ctx, { ...session, resourceType: 'Session', id: sessionId, revoked: true }, baseUrl);
}

/**
 * Replaces the session's refresh token when `secret` is the current one, in one statement (two
 * concurrent uses of the same token cannot both win). Undefined when it is not the current one.
 */
export async function rotateRefreshToken(ctx: EngineContext, sessionId: string, secret: string): Promise<string | undefined> {
  const next = randomBytes(32).toString('base64url');
  const { rows } = await ctx.db.query<{ id: string }>(sql`UPDATE flint_credential SET secret_hash = ${tokenHash(next)}, updated_at = now()
    WHERE resource_type = 'Session' AND id = ${sessionId} AND secret_hash = ${tokenHash(secret)} RETURNING id`);
  return rows.length === 1 ? `${sessionId}.${next}` : undefined;
}

/** The id in a reference such as `Patient/123`. */
export function referencedId(reference: unknown): string | undefined {
  const text = (reference as { reference?: unknown } | undefined)?.reference;
  return typeof text === 'string' ? text.slice(text.lastIndexOf('/') + 1) : undefined;
}
