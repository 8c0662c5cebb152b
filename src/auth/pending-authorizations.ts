/**
 * Authorization requests waiting for the user: between the authorize endpoint and the consent, the
 * checked request is kept under a random id with a CSRF token (both 128 bits or more), which the
 * sign-in and consent forms carry back in hidden fields. The token is also set as a cookie
 * (SameSite=Lax) of the browser that made the request, and a post must bring both (the double-submit
 * cookie of the OWASP CSRF Prevention Cheat Sheet): a form posted from another site, or from another
 * browser, is refused, which also keeps an attacker from signing a victim in to the attacker's
 * account. A request lives ten minutes and is used once.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { sameSecretText } from '../access/index.js';
import type { Queryable } from '../db/index.js';
import { sql } from '../sql/index.js';
import type { CheckedAuthorization } from './authorize-request.js';
import { cookieValue } from './browser-sessions.js';

export const PENDING_AUTHORIZATION_SECONDS = 600;

export interface PendingAuthorization {
  id: string;
  csrf: string;
  request: CheckedAuthorization;
  /** The user who signed in for it. */
  userId?: string;
}

/** Keeps a checked request; answers its id and CSRF token. */
export async function createPendingAuthorization(db: Queryable, request: CheckedAuthorization): Promise<PendingAuthorization> {
  const pending = { id: randomBytes(18).toString('base64url'), csrf: randomBytes(24).toString('base64url'), request };
  await db.query(sql`DELETE FROM flint_pending_authorization WHERE expires_at < now()`);
  await db.query(sql`INSERT INTO flint_pending_authorization (id, csrf, request, expires_at)
    VALUES (${pending.id}, ${pending.csrf}, ${JSON.stringify(request)}::jsonb, now() + make_interval(secs => ${PENDING_AUTHORIZATION_SECONDS}))`);
  return pending;
}

function csrfCookieName(id: string): string {
  return `flint_csrf_${id}`;
}

/** The Set-Cookie value that gives the browser the request's CSRF token. */
export function csrfCookie(pending: PendingAuthorization, secure: boolean): string {
  return `${csrfCookieName(pending.id)}=${pending.csrf}; Path=/auth; HttpOnly; SameSite=Lax; Max-Age=${PENDING_AUTHORIZATION_SECONDS}${secure ? '; Secure' : ''}`;
}

/**
 * The pending request of a form post: its id known, not expired, and the CSRF token of the form and
 * of the browser's cookie both its own.
 */
export async function readPendingAuthorization(db: Queryable, request: FastifyRequest, form: Record<string, string>): Promise<PendingAuthorization | undefined> {
  const { pending: id, csrf } = form;
  if (!id || !csrf || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) return undefined;
  const cookie = cookieValue(request.headers.cookie, csrfCookieName(id));
  if (cookie === undefined || !sameSecretText(cookie, csrf)) return undefined;
  const { rows } = await db.query<{ csrf: string; request: CheckedAuthorization; user_id: string | null }>(
    sql`SELECT csrf, request, user_id FROM flint_pending_authorization WHERE id = ${id} AND expires_at > now()`,
  );
  const row = rows[0];
  if (!row || !sameSecretText(row.csrf, csrf)) return undefined;
  return { id, csrf: row.csrf, request: row.request, userId: row.user_id ?? undefined };
}

/** Records who signed in for the request. */
export async function assignPendingUser(db: Queryable, id: string, userId: string): Promise<void> {
  await db.query(sql`UPDATE flint_pending_authorization SET user_id = ${userId} WHERE id = ${id}`);
}

/** Ends the request (consent given or refused): its forms cannot be posted again. */
export async function deletePendingAuthorization(db: Queryable, id: string): Promise<boolean> {
  const { rows } = await db.query(sql`DELETE FROM flint_pending_authorization WHERE id = ${id} RETURNING id`);
  return rows.length > 0;
}
