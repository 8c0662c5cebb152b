/**
 * Read statements: the current version, one version (vread), and whether an id was deleted (410
 * rather than 404). Reads run outside transactions, one round trip each. Each takes an optional
 * RowCondition, the caller's row rule on the table's alias: a row that fails it is not found.
 */
import type { Queryable } from '../db/index.js';
import { ident, sql, type Sql } from '../sql/index.js';
import type { ResourceStorage } from './resource-storage.js';
import { fromRow, type ResourceRow, type StoredVersion } from './resource-row.js';

const ROW_COLUMNS = sql`id, txid, ts, resource_type, status, resource`;

/** A condition a row must meet to be read (the caller's row rule, search/row-condition.ts), on the table alias it names. */
export interface RowCondition {
  alias: string;
  condition: Sql;
}

/** FROM table, or FROM table AS alias when a row condition comes along. */
export function fromTable(table: string, visible?: RowCondition): Sql {
  return visible ? sql`${ident(table)} AS ${ident(visible.alias)}` : sql`${ident(table)}`;
}

/** ` AND condition` when there is one. */
export function andCondition(visible?: RowCondition): Sql {
  return visible ? sql` AND ${visible.condition}` : sql``;
}

/**
 * The reads by id are prepared, with a row condition too: its text varies only with the shape of
 * the caller's rules (values are parameters), and planning the condition each time cost about a
 * fifth of a read's throughput (docs/performance.md). The database bounds how many it prepares.
 */
export const PREPARED_READ = Object.freeze({ prepare: true });

/** The current row of an id, with the given columns (the row's own, or its JSON text: resource-text.ts). */
export function currentRowQuery(storage: ResourceStorage, id: string, columns: Sql, visible?: RowCondition): Sql {
  return sql`SELECT ${columns} FROM ${fromTable(storage.table, visible)} WHERE id = ${id}${andCondition(visible)}`;
}

/** One version of an id by its versionId (txid), from the main or the history table, with the given columns. */
export function versionRowQuery(storage: ResourceStorage, id: string, versionId: string, columns: Sql, visible?: RowCondition): Sql {
  const history = storage.historyTable
    ? sql` UNION ALL SELECT ${columns} FROM ${fromTable(storage.historyTable, visible)} WHERE id = ${id} AND txid = ${versionId}::bigint${andCondition(visible)}`
    : sql``;
  return sql`SELECT ${columns} FROM ${fromTable(storage.table, visible)} WHERE id = ${id} AND txid = ${versionId}::bigint${andCondition(visible)}${history} LIMIT 1`;
}

export async function readCurrent(db: Queryable, storage: ResourceStorage, id: string, visible?: RowCondition): Promise<StoredVersion | undefined> {
  const { rows } = await db.query<ResourceRow>(currentRowQuery(storage, id, ROW_COLUMNS, visible), PREPARED_READ);
  return rows[0] ? fromRow(rows[0]) : undefined;
}

/** The newest history row of an id (to tell deleted from never existed); none when that row fails the condition. */
export async function readLatestHistory(db: Queryable, storage: ResourceStorage, id: string, visible?: RowCondition): Promise<StoredVersion | undefined> {
  if (!storage.historyTable) return undefined;
  const latest = sql`
    SELECT ${ROW_COLUMNS} FROM ${ident(storage.historyTable)} WHERE id = ${id}
    ORDER BY txid DESC LIMIT 1`;
  const query = visible ? sql`SELECT ${ROW_COLUMNS} FROM (${latest}) AS ${ident(visible.alias)} WHERE ${visible.condition}` : latest;
  const { rows } = await db.query<ResourceRow>(query, PREPARED_READ);
  return rows[0] ? fromRow(rows[0]) : undefined;
}

/** One version by its versionId (txid), from the main or the history table. */
export async function readVersion(
  db: Queryable, storage: ResourceStorage, id: string, versionId: string, visible?: RowCondition,
): Promise<StoredVersion | undefined> {
  const { rows } = await db.query<ResourceRow>(versionRowQuery(storage, id, versionId, ROW_COLUMNS, visible), PREPARED_READ);
  return rows[0] ? fromRow(rows[0]) : undefined;
}
