/**
 * History reads (http://hl7.org/fhir/R4/http.html#history): the versions of one resource, of a type
 * or of the whole system, newest first, with _since, _at and a txid cursor for stable paging.
 */
import type { Queryable } from '../db/index.js';
import { ident, join, sql, type Sql } from '../sql/index.js';
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
}

export interface HistoryPage {
  versions: StoredVersion[];
  hasMore: boolean;
}

const COLUMNS = sql`id, txid, ts, resource_type, status, resource`;

function tableVersions(table: string, query: HistoryQuery): Sql {
  const conditions: Sql[] = [sql`TRUE`];
  if (query.id !== undefined) conditions.push(sql`id = ${query.id}`);
  return sql`SELECT ${COLUMNS} FROM ${ident(table)} WHERE ${join(conditions, ' AND ')}`;
}

/** Every version of the storage's resources (main and history rows). */
function storageVersions(storage: ResourceStorage, query: HistoryQuery): Sql {
  const main = tableVersions(storage.table, query);
  return storage.historyTable ? sql`${main} UNION ALL ${tableVersions(storage.historyTable, query)}` : main;
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

/** The number of versions of one resource (the total of an instance history). */
export async function countVersions(db: Queryable, storage: ResourceStorage, id: string): Promise<number> {
  const history = storage.historyTable
    ? sql` + (SELECT count(*) FROM ${ident(storage.historyTable)} WHERE id = ${id})`
    : sql``;
  const { rows } = await db.query<{ total: string }>(sql`
    SELECT (SELECT count(*) FROM ${ident(storage.table)} WHERE id = ${id})${history} AS total`);
  return Number(rows[0].total);
}
