/**
 * History reads (http://hl7.org/fhir/R4/http.html#history): the versions of one resource, of a type
 * or of the whole system, newest first, with _since, _at and a txid cursor for stable paging; with
 * a row condition, only the versions the caller may see (its rule tested on each version's content).
 */
import type { Queryable } from '../db/index.js';
import { join, sql, type Sql } from '../sql/index.js';
import { andCondition, fromTable, type RowCondition } from './resource-reads.js';
import type { ResourceStorage } from './resource-storage.js';
import { fromRow, type ResourceRow, type StoredVersion } from './resource-row.js';

export interface HistoryQuery {
  /** Only one resource. */
  id?: string;
  /** Versions created at or after this instant. */
  since?: string;
  /** Versions current at some point in [start, end). */
  at?: { start: string; end: string };
  /** Versions older than this txid (the paging cursor). */
  beforeTxid?: string;
  count: number;
  /** Per type, the caller's row rule: only the versions whose content meets it (history rows have the main table's columns). */
  visible?: (resourceType: string) => RowCondition | undefined;
}

export interface HistoryPage {
  versions: StoredVersion[];
  hasMore: boolean;
}

const COLUMNS = sql`id, txid, ts, resource_type, status, resource`;

function tableVersions(table: string, query: HistoryQuery, visible: RowCondition | undefined): Sql {
  const conditions: Sql[] = [sql`TRUE`];
  if (query.id !== undefined) conditions.push(sql`id = ${query.id}`);
  if (visible) conditions.push(visible.condition);
  return sql`SELECT ${COLUMNS} FROM ${fromTable(table, visible)} WHERE ${join(conditions, ' AND ')}`;
}

/** Every version of the storage's resources (main and history rows). */
function storageVersions(storage: ResourceStorage, query: HistoryQuery): Sql {
  const visible = query.visible?.(storage.resourceType);
  const main = tableVersions(storage.table, query, visible);
  return storage.historyTable ? sql`${main} UNION ALL ${tableVersions(storage.historyTable, query, visible)}` : main;
}

function pageConditions(query: HistoryQuery): Sql {
  const conditions: Sql[] = [sql`TRUE`];
  if (query.since) conditions.push(sql`ts >= ${query.since}::timestamptz`);
  if (query.beforeTxid) conditions.push(sql`txid < ${query.beforeTxid}::bigint`);
  if (query.at) {
    conditions.push(sql`ts < ${query.at.end}::timestamptz AND (next_ts IS NULL OR next_ts > ${query.at.start}::timestamptz)`);
  }
  return join(conditions, ' AND ');
}

/** One storage's page: versions filtered and ordered by txid, limited early so indexes are used. */
function storagePage(storage: ResourceStorage, query: HistoryQuery): Sql {
  const versions = storageVersions(storage, query);
  const source = query.at
    ? sql`(SELECT v.*, lead(ts) OVER (PARTITION BY id ORDER BY txid) AS next_ts FROM (${versions}) v)`
    : sql`(${versions})`;
  return sql`(SELECT ${COLUMNS} FROM ${source} page WHERE ${pageConditions(query)} ORDER BY txid DESC LIMIT ${query.count + 1})`;
}

export async function readHistory(db: Queryable, storages: ResourceStorage[], query: HistoryQuery): Promise<HistoryPage> {
  if (storages.length === 0) return { versions: [], hasMore: false };
  const pages = join(storages.map((storage) => storagePage(storage, query)), ' UNION ALL ');
  const { rows } = await db.query<ResourceRow>(sql`
    SELECT ${COLUMNS} FROM (${pages}) history ORDER BY txid DESC LIMIT ${query.count + 1}`);
  return { versions: rows.slice(0, query.count).map(fromRow), hasMore: rows.length > query.count };
}

/** The number of versions of one resource (the total of an instance history), of those meeting the condition when given. */
export async function countVersions(db: Queryable, storage: ResourceStorage, id: string, visible?: RowCondition): Promise<number> {
  const history = storage.historyTable
    ? sql` + (SELECT count(*) FROM ${fromTable(storage.historyTable, visible)} WHERE id = ${id}${andCondition(visible)})`
    : sql``;
  const { rows } = await db.query<{ total: string }>(sql`
    SELECT (SELECT count(*) FROM ${fromTable(storage.table, visible)} WHERE id = ${id}${andCondition(visible)})${history} AS total`);
  return Number(rows[0].total);
}
