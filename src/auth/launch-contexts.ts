/**
 * EHR launch contexts (SMART App Launch, https://hl7.org/fhir/smart-app-launch/app-launch.html#launch-app-ehr-launch):
 * the EHR side asks for a launch id for a client with a patient and an encounter in context; the
 * app brings the id back to the authorize endpoint as `launch`, where the context goes into the
 * grant. An id is 128 random bits, lives a few minutes and is valid for its client only.
 */
import { randomBytes } from 'node:crypto';
import type { LaunchContext } from '../core/index.js';
import type { Queryable } from '../db/index.js';
import { sql } from '../sql/index.js';

export const LAUNCH_CONTEXT_SECONDS = 300;

/** Stores a launch context for the client; answers its launch id. */
export async function createLaunchContext(db: Queryable, clientId: string, context: LaunchContext): Promise<string> {
  const id = randomBytes(16).toString('base64url');
  await db.query(sql`DELETE FROM flint_launch_context WHERE expires_at < now()`);
  await db.query(sql`INSERT INTO flint_launch_context (id, client_id, context, expires_at)
    VALUES (${id}, ${clientId}, ${JSON.stringify(context)}::jsonb, now() + make_interval(secs => ${LAUNCH_CONTEXT_SECONDS}))`);
  return id;
}

/** The context of a launch id issued for this client and not expired; undefined otherwise. */
export async function readLaunchContext(db: Queryable, id: string, clientId: string): Promise<LaunchContext | undefined> {
  const { rows } = await db.query<{ context: LaunchContext }>(sql`SELECT context FROM flint_launch_context
    WHERE id = ${id} AND client_id = ${clientId} AND expires_at > now()`);
  return rows[0]?.context;
}
