/**
 * Read statements: the current version, one version (vread), and whether an id was deleted (410
 * rather than 404). Reads run outside transactions, one round trip each.
 */
import type { Queryable } from '../db/index.js';
import { ident, sql, type Sql } from '../sql/index.js';
import type { ResourceStorage } from './resource-storage.js';
import { fromRow, type ResourceRow, type StoredVersion } from './resource-row.js';

const ROW_COLUMNS = sql`id, txid, ts, resource_type, status, resource`;

/** The current row of an id, with the given columns (the row's own, or its JSON text: resource-text.ts). */
export function currentRowQuery(storage: ResourceStorage, id: string, columns: Sql): Sql {
  return sql`SELECT ${columns} FROM ${ident(storage.table)} WHERE id = ${id}`;
}

/** One version of an id by its versionId (txid), from the main or the history table, with the given columns. */
export function versionRowQuery(storage: ResourceStorage, id: string, versionId: string, columns: Sql): Sql {
  const history = storage.historyTable
    ? sql` UNION ALL SELECT ${columns} FROM ${ident(storage.historyTable)} WHERE id = ${id} AND txid = ${versionId}::bigint`
    : sql``;
  return sql`SELECT ${columns} FROM ${ident(storage.table)} WHERE id = ${id} AND txid = ${versionId}::bigint${history} LIMIT 1`;
}

export async function readCurrent(db: Queryable, storage: ResourceStorage, id: string): Promise<StoredVersion | undefined> {
  const { rows } = await db.query<ResourceRow>(currentRowQuery(storage, id, ROW_COLUMNS), { prepare: true });
  return rows[0] ? fromRow(rows[0]) : undefined;
}

/** The newest history row of an id (to tell deleted from never existed). */
export async function readLatestHistory(db: Queryable, storage: ResourceStorage, id: string): Promise<StoredVersion | undefined> {
  if (!storage.historyTable) return undefined;
  const { rows } = await db.query<ResourceRow>(sql`
    SELECT ${ROW_COLUMNS} FROM ${ident(storage.historyTable)} WHERE id = ${id}
    ORDER BY txid DESC LIMIT 1`, { prepare: true });
  return rows[0] ? fromRow(rows[0]) : undefined;
}

/** One version by its versionId (txid), from the main or the history table. */
export async function readVersion(db: Queryable, storage: ResourceStorage, id: string, versionId: string): Promise<StoredVersion | undefined> {
  const { rows } = await db.query<ResourceRow>(versionRowQuery(storage, id, versionId, ROW_COLUMNS), { prepare: true });
  return rows[0] ? fromRow(rows[0]) : undefined;
}
