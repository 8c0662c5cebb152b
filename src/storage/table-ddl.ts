/**
 * DDL for the tables of a storage (http://hl7.org/fhir/R4 resources as the seed stores them): the main
 * table keyed by id, the history table keyed by (id, txid), and the indexes history and
 * _lastUpdated need. Every statement is idempotent.
 */
import { createHash } from 'node:crypto';
import { quoteIdentifier, quoteLiteral } from '../sql/index.js';
import type { ResourceStorage } from './resource-storage.js';

const MAX_IDENTIFIER_BYTES = 63;

/** An index name from a table and a suffix, shortened with a hash when PostgreSQL would truncate it. */
export function indexName(table: string, suffix: string): string {
  const name = `${table}_${suffix}`;
  if (Buffer.byteLength(name, 'utf8') <= MAX_IDENTIFIER_BYTES) return name;
  const hash = createHash('sha1').update(name).digest('hex').slice(0, 8);
  return `${table.slice(0, MAX_IDENTIFIER_BYTES - suffix.length - 10)}_${hash}_${suffix}`;
}

function columns(resourceType: string): string {
  return `id text NOT NULL,
    txid bigint NOT NULL,
    ts timestamptz NOT NULL DEFAULT now(),
    cts timestamptz NOT NULL DEFAULT now(),
    resource_type text NOT NULL DEFAULT ${quoteLiteral(resourceType)},
    status resource_status NOT NULL,
    resource jsonb NOT NULL`;
}

export function mainTableDdl(storage: ResourceStorage): string[] {
  const table = quoteIdentifier(storage.table);
  return [
    `CREATE TABLE IF NOT EXISTS ${table} (${columns(storage.resourceType)}, PRIMARY KEY (id))`,
    `CREATE INDEX IF NOT EXISTS ${quoteIdentifier(indexName(storage.table, 'txid'))} ON ${table} (txid)`,
    `CREATE INDEX IF NOT EXISTS ${quoteIdentifier(indexName(storage.table, 'ts'))} ON ${table} (ts)`,
  ];
}

export function historyTableDdl(storage: ResourceStorage): string[] {
  if (!storage.historyTable) return [];
  const table = quoteIdentifier(storage.historyTable);
  return [
    `CREATE TABLE IF NOT EXISTS ${table} (${columns(storage.resourceType)}, PRIMARY KEY (id, txid))`,
    `CREATE INDEX IF NOT EXISTS ${quoteIdentifier(indexName(storage.historyTable, 'txid'))} ON ${table} (txid)`,
  ];
}

export function storageDdl(storage: ResourceStorage): string[] {
  return [...mainTableDdl(storage), ...historyTableDdl(storage)];
}
