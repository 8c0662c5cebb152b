/**
 * Authorization requests waiting for the user: between the authorize endpoint and the consent, the
 * checked request is kept under a random id with a CSRF token (both 128 bits or more), which the
 * sign-in and consent forms carry back in hidden fields. A request lives ten minutes and is used once.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../db/index.js';
import { sql } from '../sql/index.js';
import type { CheckedAuthorization } from './authorize-request.js';

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
  await db.query(sql`INSERT INTO flint_pending_authorization (id, csrf, request, expires_at)
    VALUES (${pending.id}, ${pending.csrf}, ${JSON.stringify(request)}::jsonb, now() + make_interval(secs => ${PENDING_AUTHORIZATION_SECONDS}))`);
  return pending;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The pending request of a form post: its id known, not expired, and the CSRF token its own. */
export async function readPendingAuthorization(db: Queryable, id: string | undefined, csrf: string | undefined): Promise<PendingAuthorization | undefined> {
  if (!id || !csrf) return undefined;
  const { rows } = await db.query<{ csrf: string; request: CheckedAuthorization; user_id: string | null }>(
    sql`SELECT csrf, request, user_id FROM flint_pending_authorization WHERE id = ${id} AND expires_at > now()`,
  );
  const row = rows[0];
  if (!row || !sameText(row.csrf, csrf)) return undefined;
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
