/**
 * Many new resources of one type in one statement: each gets its own txid from the global
 * sequence, as a single create would, and status created, and its change in the outbox. The rows travel as one JSON parameter
 * (an array of {id, resource}), so the statement's text is the same for any number of rows. The
 * audit log writes its queued events with it.
 */
import type { JsonObject } from '../core/index.js';
import type { Queryable } from '../db/index.js';
import { ident, jsonParam, sql } from '../sql/index.js';
import type { ResourceStorage } from './resource-storage.js';
import { captureChanges } from './change-capture.js';

export interface NewRow {
  id: string;
  /** The stored JSON (toStoredJson): no id, resourceType or server-owned meta. */
  resource: JsonObject;
}

/** INSERT the rows into the main table; answers how many were written. */
export async function insertResources(tx: Queryable, storage: ResourceStorage, rows: readonly NewRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const { rows: written } = await tx.query<{ count: string }>(sql`
    WITH inserted AS (
      INSERT INTO ${ident(storage.table)} (id, txid, ts, cts, resource_type, status, resource)
      SELECT item->>'id', nextval('transaction_id_seq'), now(), now(), ${storage.resourceType}, 'created'::resource_status, item->'resource'
      FROM jsonb_array_elements(${jsonParam(rows)}::jsonb) AS item
      RETURNING id, txid),
    ${captureChanges('inserted', storage.resourceType, 'created')}
    SELECT count(*)::text AS count FROM inserted`, { prepare: true });
  return Number(written[0]?.count ?? 0);
}
