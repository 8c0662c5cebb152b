/**
 * The system objects every Flint database has: the resource_status type, the global
 * transaction_id_seq sequence, the extensions search relies on, and the tables of credentials,
 * signing keys and used assertion ids. Created idempotently under an
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
  // The hashes of the identity types' secrets (User passwords, Client secrets, Session refresh
  // tokens), kept out of the resources so that no read, search, history or export can return one.
  `CREATE TABLE IF NOT EXISTS flint_credential (
     resource_type text NOT NULL, id text NOT NULL, secret_hash text NOT NULL,
     updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (resource_type, id))`,
  // The keys that sign the tokens this server issues (JWK with the private part), shared by every
  // server process on the database; the newest signs, all verify.
  `CREATE TABLE IF NOT EXISTS flint_signing_key (
     kid text PRIMARY KEY, private_jwk jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
  // Authorization codes (RFC 6749 4.1) between the authorize and token endpoints: the hash of the
  // code, what it grants, and until when (a minute); a code is used once.
  `CREATE TABLE IF NOT EXISTS flint_authorization_code (
     code_hash text PRIMARY KEY, grant_data jsonb NOT NULL, expires_at timestamptz NOT NULL)`,
  // The ids (jti) of client assertions already used, until they expire: a replay is refused.
  `CREATE TABLE IF NOT EXISTS flint_used_jti (
     jti text PRIMARY KEY, expires_at timestamptz NOT NULL)`,
  // The sign-in pages: authorization requests waiting for the user (id, CSRF token, the checked
  // request, the user once signed in), browser sessions (the SHA-256 of the cookie value) and EHR
  // launch contexts (a launch id issued for a client, with its patient and encounter), each short-lived.
  `CREATE TABLE IF NOT EXISTS flint_pending_authorization (
     id text PRIMARY KEY, csrf text NOT NULL, request jsonb NOT NULL, user_id text, expires_at timestamptz NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS flint_browser_session (
     id_hash text PRIMARY KEY, user_id text NOT NULL, expires_at timestamptz NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS flint_launch_context (
     id text PRIMARY KEY, client_id text NOT NULL, context jsonb NOT NULL, expires_at timestamptz NOT NULL)`,
  // The change outbox: one row per version written, inserted by the write statement itself, so in
  // the write's transaction. No index: the write pays one heap insert. The change sequencer moves
  // committed rows into flint_change (storage/change-capture.ts, subscriptions/change-sequencer.ts).
  `CREATE TABLE IF NOT EXISTS flint_change_outbox (
     txid bigint NOT NULL, resource_type text NOT NULL, id text NOT NULL, event text NOT NULL, ts timestamptz NOT NULL DEFAULT now())`,
  // The change feed: every committed change with its position, gap-free and in the order the
  // changes became visible (which keeps each resource's versions in order).
  `CREATE TABLE IF NOT EXISTS flint_change (
     position bigint PRIMARY KEY, txid bigint NOT NULL, resource_type text NOT NULL, id text NOT NULL, event text NOT NULL,
     ts timestamptz NOT NULL)`,
  'CREATE INDEX IF NOT EXISTS flint_change_type ON flint_change (resource_type, position)',
  'CREATE INDEX IF NOT EXISTS flint_change_resource ON flint_change (resource_type, id, position)',
  'CREATE INDEX IF NOT EXISTS flint_change_ts ON flint_change (ts)',
  // Delivery of subscriptions and topic destinations (subscriptions/): a target's numbered events
  // (its eventNumbers), matched once from the feed in the matcher's transaction, and its delivery
  // state: how far it was delivered, the retry of the next delivery, the lease of the process
  // delivering it, the last error.
  `CREATE TABLE IF NOT EXISTS flint_delivery_target (
     target text PRIMARY KEY, start_position bigint NOT NULL, events bigint NOT NULL DEFAULT 0, delivered bigint NOT NULL DEFAULT 0,
     attempts integer NOT NULL DEFAULT 0, failed_attempts bigint NOT NULL DEFAULT 0, next_attempt_at timestamptz NOT NULL DEFAULT now(),
     lease_owner text, lease_until timestamptz, last_error text, last_sent_at timestamptz, state text NOT NULL DEFAULT 'active',
     handshaken boolean NOT NULL DEFAULT false)`,
  `CREATE TABLE IF NOT EXISTS flint_delivery_event (
     target text NOT NULL, event_number bigint NOT NULL, position bigint NOT NULL, resource_type text NOT NULL, id text NOT NULL,
     txid bigint NOT NULL, event text NOT NULL, ts timestamptz NOT NULL, PRIMARY KEY (target, event_number))`,
  'CREATE INDEX IF NOT EXISTS flint_delivery_event_ts ON flint_delivery_event (ts)',
  // Who wrote each Subscription and TopicDestination last (the request's caller, as JSON): its
  // events are those of the rows that caller may read.
  `CREATE TABLE IF NOT EXISTS flint_delivery_owner (target text PRIMARY KEY, caller jsonb NOT NULL)`,
  // How far the matcher has read the feed (one row).
  `CREATE TABLE IF NOT EXISTS flint_delivery_cursor (name text PRIMARY KEY, position bigint NOT NULL)`,
];

/**
 * The system tables that hold secrets (hashes, private keys, codes): never readable through $sql,
 * whatever its role may read otherwise. A new table of secrets belongs here.
 */
export const SECRET_TABLES: readonly string[] = ['flint_credential', 'flint_signing_key', 'flint_authorization_code', 'flint_used_jti'];

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
