/**
 * Where audit events go: the AuditEvent table of the storage that serves the type, as ordinary
 * resources (own txid, history table, searchable at /fhir/AuditEvent), written with one multi-row
 * INSERT per call. They are stored directly, not through the engine's writer, so storing an event
 * makes no event of its own and fires no write hook.
 */
import type { Resource } from '../core/index.js';
import type { Queryable } from '../db/index.js';
import { insertResources, toStoredJson, type StorageResolver } from '../storage/index.js';

export const AUDIT_EVENT = 'AuditEvent';

/** Inserts the events in one statement; false when no storage serves AuditEvent. */
export async function storeEvents(db: Queryable, storages: StorageResolver, events: readonly Resource[]): Promise<boolean> {
  const storage = storages.storageFor(AUDIT_EVENT);
  if (!storage) return false;
  await insertResources(db, storage, events.map((event) => ({ id: event.id as string, resource: toStoredJson(event) })));
  return true;
}
