/**
 * The system objects every Flint database has: the resource_status type, the global
 * transaction_id_seq sequence, and the extensions search relies on. Created idempotently under an
 * advisory lock, so several server processes may start against one database at once.
 */
import { raw, sql } from '../sql/index.js';
import type { Database, Queryable } from './database.js';

/** The advisory lock key that serializes schema changes across processes ('flint' in ASCII). */
export const SCHEMA_LOCK_KEY = 0x666c696e74;

const SYSTEM_DDL = [
  `DO $$ BEGIN
     CREATE TYPE resource_status AS ENUM ('created', 'updated', 'deleted', 'recreated');
   EXCEPTION WHEN duplicate_object THEN NULL; END $$`,
  // A version made by PATCH (its history entry says PATCH); added to databases made before it existed.
  "ALTER TYPE resource_status ADD VALUE IF NOT EXISTS 'patched'",
  'CREATE SEQUENCE IF NOT EXISTS transaction_id_seq',
  'CREATE EXTENSION IF NOT EXISTS pg_trgm',
  'CREATE EXTENSION IF NOT EXISTS unaccent',
  'CREATE EXTENSION IF NOT EXISTS btree_gin',
];

/** Runs fn holding the schema lock, in one transaction: DDL from concurrent starts never interleaves. */
export function withSchemaLock<T>(db: Database, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query(sql`SELECT pg_advisory_xact_lock(${SCHEMA_LOCK_KEY}::bigint)`);
    return fn(tx);
  });
}

export async function createSystemSchema(db: Database): Promise<void> {
  await withSchemaLock(db, async (tx) => {
    for (const statement of SYSTEM_DDL) await tx.query(raw(statement));
  });
}
