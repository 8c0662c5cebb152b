/**
 * The versions behind a batch of feed changes of one type, in one statement: each change's own
 * version (main or history table) and the version before it (the newest history row with a lower
 * txid), which topics read as %current and %previous. A delete's own version is the history's
 * deleted marker, whose content is the last one stored.
 */
import type { Queryable } from '../db/index.js';
import { ident, raw, sql, type Sql } from '../sql/index.js';
import { fromRow, type ChangeEvent, type ResourceRow, type ResourceStorage, type StoredVersion } from '../storage/index.js';

/** A row of the change feed (flint_change), as the driver reads it. */
export interface ChangeRow {
  position: string;
  resource_type: string;
  id: string;
  txid: string;
  event: ChangeEvent;
  ts: string;
}

export interface ChangeRef {
  position: number;
  id: string;
  txid: string;
}

export interface ChangeVersions {
  own?: StoredVersion;
  before?: StoredVersion;
}

const COLUMNS = sql`id, txid, ts, resource_type, status, resource`;

/**
 * The stored row of a change's version, for a LATERAL join on a relation `c` with the change's id
 * and txid: the main table's when current, else the history's (a delete's deleted marker).
 */
export function versionOfChange(storage: ResourceStorage, columns: Sql = sql`*`): Sql {
  const history = storage.historyTable
    ? sql` UNION ALL SELECT ${columns} FROM ${ident(storage.historyTable)} WHERE id = c.id AND txid = c.txid`
    : sql``;
  return sql`SELECT ${columns} FROM ${ident(storage.table)} WHERE id = c.id AND txid = c.txid${history} LIMIT 1`;
}

/** The changes as the relation `c` (position, id, txid) those joins read. */
export function changesRelation(changes: readonly ChangeRef[]): Sql {
  return sql`unnest(${changes.map((change) => change.position)}::bigint[], ${changes.map((change) => change.id)}::text[],
    ${changes.map((change) => change.txid)}::bigint[]) AS c(position, id, txid)`;
}

function versionBefore(storage: ResourceStorage): Sql {
  return storage.historyTable
    ? sql`SELECT ${COLUMNS} FROM ${ident(storage.historyTable)} WHERE id = c.id AND txid < c.txid ORDER BY txid DESC LIMIT 1`
    : sql`SELECT ${COLUMNS} FROM ${ident(storage.table)} WHERE false`;
}

const PARTS = ['id', 'txid', 'ts', 'resource_type', 'status', 'resource'] as const;

/** The columns of one joined version, each under its prefix (own_id, own_txid, ...): the driver parses each by its type. */
function prefixed(prefix: string): Sql {
  return raw(PARTS.map((part) => `${prefix}.${part} AS ${prefix}_${part}`).join(', '));
}

type VersionsRow = { position: string } & Record<string, unknown>;

function versionOf(row: VersionsRow, prefix: string): StoredVersion | undefined {
  if (row[`${prefix}_id`] === null || row[`${prefix}_id`] === undefined) return undefined;
  const version = Object.fromEntries(PARTS.map((part) => [part, row[`${prefix}_${part}`]]));
  return fromRow(version as unknown as ResourceRow);
}

/** The versions of each change, by position. */
export async function changeVersions(db: Queryable, storage: ResourceStorage, changes: readonly ChangeRef[]): Promise<Map<number, ChangeVersions>> {
  if (changes.length === 0) return new Map();
  const { rows } = await db.query<VersionsRow>(sql`
    SELECT c.position, ${prefixed('own')}, ${prefixed('before')}
    FROM ${changesRelation(changes)}
    LEFT JOIN LATERAL (${versionOfChange(storage, COLUMNS)}) AS own ON true
    LEFT JOIN LATERAL (${versionBefore(storage)}) AS before ON true`);
  return new Map(rows.map((row) => [Number(row.position), { own: versionOf(row, 'own'), before: versionOf(row, 'before') }]));
}
