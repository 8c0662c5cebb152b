/**
 * Creates the tables of storages that do not exist yet. It first asks the catalog which tables
 * exist, so a restart against a provisioned database runs no DDL at all; creation holds the schema
 * advisory lock, so concurrent server starts never race.
 */
import { raw, sql } from '../sql/index.js';
import { SCHEMA_LOCK_KEY, withSchemaLock, type Database, type Queryable } from '../db/index.js';
import type { ResourceStorage } from './resource-storage.js';
import { historyTableDdl, mainTableDdl } from './table-ddl.js';

async function existingTables(queryable: Queryable, names: string[]): Promise<Set<string>> {
  const { rows } = await queryable.query<{ relname: string }>(sql`
    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname = ANY(${names}::text[])`);
  return new Set(rows.map((row) => row.relname));
}

/** Extra DDL for a new main table (the search module's default indexes), run right after it is created. */
export type TableIndexes = (storage: ResourceStorage) => string[];

function missingDdl(storages: ResourceStorage[], existing: Set<string>, indexes?: TableIndexes): string[] {
  const statements: string[] = [];
  for (const storage of storages) {
    if (!existing.has(storage.table)) statements.push(...mainTableDdl(storage), ...(indexes?.(storage) ?? []));
    if (storage.historyTable && !existing.has(storage.historyTable)) statements.push(...historyTableDdl(storage));
  }
  return statements;
}

function tableNames(storages: ResourceStorage[]): string[] {
  return storages.flatMap((storage) => (storage.historyTable ? [storage.table, storage.historyTable] : [storage.table]));
}

/**
 * Creates the missing tables of the given storages inside the caller's transaction, holding the
 * schema lock until it ends: the tables appear with the write that needs them, or not at all.
 */
export async function createMissingTables(tx: Queryable, storages: ResourceStorage[], indexes?: TableIndexes): Promise<number> {
  await tx.query(sql`SELECT pg_advisory_xact_lock(${SCHEMA_LOCK_KEY}::bigint)`);
  const statements = missingDdl(storages, await existingTables(tx, tableNames(storages)), indexes);
  for (const statement of statements) await tx.query(raw(statement));
  return statements.length;
}

/**
 * Ensures every table of the given storages exists. Returns the number of DDL statements run;
 * `announce` hears how many tables are missing before they are created.
 */
export async function provisionTables(db: Database, storages: ResourceStorage[], indexes?: TableIndexes,
  announce?: (missingTables: number) => void): Promise<number> {
  const names = tableNames(storages);
  const existing = await existingTables(db, names);
  if (missingDdl(storages, existing).length === 0) return 0;
  announce?.(names.filter((name) => !existing.has(name)).length);
  return withSchemaLock(db, async (tx) => {
    const statements = missingDdl(storages, await existingTables(tx, names), indexes);
    for (const statement of statements) await tx.query(raw(statement));
    return statements.length;
  });
}
