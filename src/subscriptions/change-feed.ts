/**
 * Reading the change feed (flint_change, filled by change-sequencer.ts) of one resource type or one
 * resource: the changes after a position, up to an optional last one, in order, each with the
 * version it made (from the main or the history table). With a row condition (the caller's access
 * rules), a change whose version fails it, or whose version is no longer stored to be checked, is
 * left out: readers hear only of what they may read.
 */
import type { Queryable } from '../db/index.js';
import { ident, sql } from '../sql/index.js';
import { fromRow, type ChangeEvent, type ResourceRow, type ResourceStorage, type RowCondition, type StoredVersion } from '../storage/index.js';
import { versionOfChange } from './change-versions.js';

export interface FeedChange {
  /** The change's position in the feed: gap-free, in commit order. */
  position: number;
  event: ChangeEvent;
  resourceType: string;
  id: string;
  txid: string;
  /** The version the change made (for a delete: the last content, as the history keeps it); absent when no longer stored. */
  version?: StoredVersion;
}

export interface FeedQuery {
  /** Changes after this position (0: from the start of the feed). */
  after: number;
  /** Up to and with this position (none: the newest). */
  upTo?: number;
  /** Only the changes of this id. */
  id?: string;
  count: number;
  visible?: RowCondition;
}

const VERSION_COLUMNS = sql`id, txid, ts, resource_type, status, resource`;
const ALIAS = 'changed_row';

interface FeedRow {
  position: string;
  event: ChangeEvent;
  change_id: string;
  change_txid: string;
  id: string | null;
  txid: string;
  ts: string;
  resource_type: string;
  status: ResourceRow['status'];
  resource: ResourceRow['resource'] | null;
}

/** The changes of a type (or of one resource) the query asks for, in feed order. */
export async function readChanges(db: Queryable, storage: ResourceStorage, query: FeedQuery): Promise<FeedChange[]> {
  const alias = query.visible?.alias ?? ALIAS;
  const { rows } = await db.query<FeedRow>(sql`
    SELECT c.position, c.event, c.id AS change_id, c.txid AS change_txid, ${ident(alias)}.*
    FROM flint_change AS c
    LEFT JOIN LATERAL (${versionOfChange(storage, VERSION_COLUMNS)}) AS ${ident(alias)} ON true
    WHERE c.resource_type = ${storage.resourceType} AND c.position > ${query.after}::bigint
      ${query.upTo !== undefined ? sql`AND c.position <= ${query.upTo}::bigint` : sql``}
      ${query.id !== undefined ? sql`AND c.id = ${query.id}` : sql``}
      ${query.visible ? sql`AND coalesce(${query.visible.condition}, false)` : sql``}
    ORDER BY c.position
    LIMIT ${query.count}`);
  return rows.map((row) => ({
    position: Number(row.position), event: row.event, resourceType: storage.resourceType, id: row.change_id, txid: String(row.change_txid),
    version: row.id !== null && row.resource !== null ? fromRow(row as ResourceRow) : undefined,
  }));
}

/** The newest position of the type's (or the resource's) changes; 0 when it has none. */
export async function latestPosition(db: Queryable, resourceType: string, id?: string): Promise<number> {
  const { rows } = await db.query<{ last: string | null }>(sql`
    SELECT max(position) AS last FROM flint_change WHERE resource_type = ${resourceType}${id !== undefined ? sql` AND id = ${id}` : sql``}`);
  return Number(rows[0]?.last ?? 0);
}
