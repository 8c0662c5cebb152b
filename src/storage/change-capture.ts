/**
 * Change capture: every write statement of the storage (create, update, patch, delete, the bulk
 * insert) also inserts one row per version it wrote into flint_change_outbox, in the same statement
 * and so in the same transaction: a change is in the outbox exactly when it committed. The outbox has
 * no index, so the write pays one heap insert; the change sequencer (subscriptions module) later
 * moves committed rows into the change feed in the order their transactions became visible.
 */
import { ident, sql, type Sql } from '../sql/index.js';

/** The event of a change as the change feed and subscriptions name it. */
export type ChangeEvent = 'created' | 'updated' | 'deleted';

/** The outbox the write statements fill (system-schema.ts creates it). */
export const CHANGE_OUTBOX = 'flint_change_outbox';

/**
 * A `captured AS (...)` part of a WITH: inserts a change for each row of the part named `written`
 * (which returns id and txid) of this resource type.
 */
export function captureChanges(written: string, resourceType: string, event: ChangeEvent): Sql {
  return sql`captured AS (
      INSERT INTO ${ident(CHANGE_OUTBOX)} (txid, resource_type, id, event)
      SELECT txid, ${resourceType}, id, ${event} FROM ${ident(written)})`;
}
