/**
 * The browser session of a signed-in user, so that a user signs in once: a cookie holding 256
 * random bits (HttpOnly, SameSite=Lax, Secure over https, scoped to /auth); the database keeps
 * only its SHA-256 and the user, for eight hours.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Queryable } from '../db/index.js';
import { sql } from '../sql/index.js';

export const SESSION_COOKIE = 'flint_session';
export const BROWSER_SESSION_SECONDS = 8 * 3600;

function sessionHash(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

/** A cookie's value from the Cookie header (RFC 6265 section 5.4), or undefined. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const equals = part.indexOf('=');
    if (equals > 0 && part.slice(0, equals).trim() === name) return part.slice(equals + 1).trim();
  }
  return undefined;
}

/** Starts a session for the user; answers the Set-Cookie header value. */
export async function startBrowserSession(db: Queryable, userId: string, secure: boolean): Promise<string> {
  const value = randomBytes(32).toString('base64url');
  await db.query(sql`DELETE FROM flint_browser_session WHERE expires_at < now()`);
  await db.query(sql`INSERT INTO flint_browser_session (id_hash, user_id, expires_at)
    VALUES (${sessionHash(value)}, ${userId}, now() + make_interval(secs => ${BROWSER_SESSION_SECONDS}))`);
  const flags = `Path=/auth; HttpOnly; SameSite=Lax; Max-Age=${BROWSER_SESSION_SECONDS}${secure ? '; Secure' : ''}`;
  return `${SESSION_COOKIE}=${value}; ${flags}`;
}

/** The user of the request's session cookie, when the session is known and not expired. */
export async function sessionUser(db: Queryable, request: FastifyRequest): Promise<string | undefined> {
  const value = cookieValue(request.headers.cookie, SESSION_COOKIE);
  if (!value || value.length > 100) return undefined;
  const { rows } = await db.query<{ user_id: string }>(
    sql`SELECT user_id FROM flint_browser_session WHERE id_hash = ${sessionHash(value)} AND expires_at > now()`,
  );
  return rows[0]?.user_id;
}
