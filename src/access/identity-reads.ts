/**
 * Reads of the identity resources for authentication: a Client, a User, whether a user holds the
 * admin role and whether a Session is live, straight from their current rows (the database is shared, so a change made through
 * any server process counts at once).
 */
import type { Resource } from '../core/index.js';
import type { Queryable } from '../db/index.js';
import { ident, sql } from '../sql/index.js';
import { readCurrent, type StorageResolver } from '../storage/index.js';

export interface IdentityReader {
  db: Queryable;
  storages: StorageResolver;
}

/** The current version of an identity resource, or undefined. */
export async function readIdentity(reader: IdentityReader, resourceType: string, id: string): Promise<Resource | undefined> {
  const storage = reader.storages.storageFor(resourceType);
  return storage ? (await readCurrent(reader.db, storage, id))?.resource : undefined;
}

/** The Client of the id when it exists and is active (a missing `active` counts as active). */
export async function readActiveClient(reader: IdentityReader, clientId: string): Promise<Resource | undefined> {
  const client = await readIdentity(reader, 'Client', clientId);
  return client && client.active !== false ? client : undefined;
}

/** The scopes a Client registered (Client.scope), its texts only. */
export function registeredScopes(client: Resource): string[] {
  return Array.isArray(client.scope) ? client.scope.filter((text): text is string => typeof text === 'string') : [];
}

/** Whether a Session can still be used: it exists, is not revoked and has not expired. */
export function sessionIsLive(session: Resource | undefined): session is Resource {
  return session !== undefined && session.revoked !== true
    && typeof session.expires === 'string' && Date.parse(session.expires) > Date.now();
}

/** Whether the user holds a Role named admin. */
export async function hasAdminRole(reader: IdentityReader, userId: string): Promise<boolean> {
  const storage = reader.storages.storageFor('Role');
  if (!storage) return false;
  const { rows } = await reader.db.query<{ found: boolean }>(sql`SELECT EXISTS (
    SELECT 1 FROM ${ident(storage.table)}
    WHERE resource->>'name' = 'admin' AND resource->'user'->>'reference' = ${`User/${userId}`}) AS found`);
  return rows[0]?.found === true;
}
