/**
 * The PostgreSQL role $sql runs as, which Flint creates and keeps at start. Roles belong to the
 * whole cluster and one cluster may hold many Flint databases, so the role is one per database,
 * named after it (flint_sql_<database>). It may read the resource tables (every table of Flint's
 * schema) and the SQL on FHIR views (schema sof), call the functions of schema fhir, and nothing
 * else: no Flint sequence, no table of schema flint_private (only its function fetch_rows), no
 * superuser, CREATEROLE, CREATEDB, replication,
 * RLS bypass, no membership of any other role (so none of pg_read_server_files, pg_signal_backend...).
 * Default privileges carry the grants to the tables and views created later. With writes allowed
 * ($sql write mode) it may also insert, update and delete resource rows and create tables in a
 * schema of its own. Its password, made by Flint, is kept in schema flint_private, which only
 * Flint's own role can read.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FhirError } from '../core/index.js';
import { SECRET_TABLES, withSchemaLock, type Database, type Queryable } from '../db/index.js';
import { quoteIdentifier, quoteLiteral, raw, sql } from '../sql/index.js';
import { sqlErrors } from './sql-errors.js';

export const PRIVATE_SCHEMA = 'flint_private';

/** The role's name for a database: the name itself when it is plain, else a hash keeps it apart. */
export function sandboxRoleName(database: string): string {
  if (/^[a-z0-9_]{1,40}$/.test(database)) return `flint_sql_${database}`;
  const hash = createHash('sha1').update(database).digest('hex').slice(0, 10);
  return `flint_sql_${database.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 30)}_${hash}`;
}

export async function currentSchema(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ schema: string }>(sql`SELECT current_schema() AS schema`);
  return rows[0].schema;
}

export async function currentDatabase(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ name: string }>(sql`SELECT current_database() AS name`);
  return rows[0].name;
}

/**
 * Creates the role when missing (race-safe: another server may create it at the same moment) and
 * sets what it may be: able to log in with the stored password (login: true), nothing more.
 */
export async function createSandboxRole(db: Database, role: string, login: boolean): Promise<string | undefined> {
  const name = quoteIdentifier(role);
  return withSchemaLock(db, async (tx) => {
    await privateSchema(tx);
    await tx.query(raw(`DO $$ BEGIN CREATE ROLE ${name} NOLOGIN;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`));
    const password = login ? await storedPassword(tx, role) : undefined;
    const attributes = 'NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS';
    await tx.query(raw(`ALTER ROLE ${name} WITH ${login ? 'LOGIN' : 'NOLOGIN'} ${attributes}${password ? ` PASSWORD ${quoteLiteral(password)}` : ''}`));
    // Its own schema first (tables it creates in write mode), then Flint's tables.
    await tx.query(raw(`ALTER ROLE ${name} IN DATABASE ${quoteIdentifier(await currentDatabase(tx))} SET search_path = ${name}, ${quoteIdentifier(await currentSchema(tx))}`));
    return password;
  });
}

async function privateSchema(tx: Queryable): Promise<void> {
  await tx.query(raw(`CREATE SCHEMA IF NOT EXISTS ${PRIVATE_SCHEMA}`));
  await tx.query(raw(`REVOKE ALL ON SCHEMA ${PRIVATE_SCHEMA} FROM PUBLIC`));
  await tx.query(raw(`CREATE TABLE IF NOT EXISTS ${PRIVATE_SCHEMA}.sql_role_password (role text PRIMARY KEY, password text NOT NULL)`));
}

/** The role's password, made once (hex, so it needs no quoting) and kept for every later start. */
async function storedPassword(tx: Queryable, role: string): Promise<string> {
  await tx.query(sql`INSERT INTO ${raw(PRIVATE_SCHEMA)}.sql_role_password (role, password)
    VALUES (${role}, ${randomBytes(24).toString('hex')}) ON CONFLICT (role) DO NOTHING`);
  const { rows } = await tx.query<{ password: string }>(sql`SELECT password FROM ${raw(PRIVATE_SCHEMA)}.sql_role_password WHERE role = ${role}`);
  return rows[0].password;
}

/** Why a role must not run $sql (a superuser, a member of other roles...), or undefined when it may. */
export async function unsafeRole(db: Queryable, role: string): Promise<string | undefined> {
  const { rows } = await db.query<{ unsafe: boolean; member: boolean }>(sql`
    SELECT r.rolsuper OR r.rolcreaterole OR r.rolcreatedb OR r.rolreplication OR r.rolbypassrls AS unsafe,
           EXISTS (SELECT 1 FROM pg_auth_members m WHERE m.member = r.oid) AS member
    FROM pg_roles r WHERE r.rolname = ${role}`);
  if (!rows[0]) return `the role ${role} does not exist`;
  if (rows[0].unsafe) return `the role ${role} has SUPERUSER, CREATEROLE, CREATEDB, REPLICATION or BYPASSRLS`;
  if (rows[0].member) return `the role ${role} is a member of other roles`;
  return undefined;
}

function grantStatements(role: string, schema: string, readOnly: boolean): string[] {
  const r = quoteIdentifier(role);
  const s = quoteIdentifier(schema);
  const writes = readOnly
    ? [`REVOKE INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} FROM ${r}`,
      `ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} REVOKE INSERT, UPDATE, DELETE ON TABLES FROM ${r}`,
      `REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${s} FROM ${r}`,
      `REVOKE CREATE ON SCHEMA ${r} FROM ${r}`]
    : [`GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} TO ${r}`,
      `ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT INSERT, UPDATE, DELETE ON TABLES TO ${r}`,
      `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${s} TO ${r}`,
      `GRANT CREATE ON SCHEMA ${r} TO ${r}`];
  return [
    'CREATE SCHEMA IF NOT EXISTS sof',
    // The role's own schema, where write mode lets it create tables (owned by Flint's role, which
    // need not be a member of the $sql role to make it).
    `CREATE SCHEMA IF NOT EXISTS ${r}`,
    `GRANT USAGE ON SCHEMA ${s}, fhir, sof, ${r} TO ${r}`,
    `GRANT SELECT ON ALL TABLES IN SCHEMA ${s}, sof TO ${r}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${s}, sof GRANT SELECT ON TABLES TO ${r}`,
    `GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA fhir TO ${r}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA fhir GRANT EXECUTE ON FUNCTIONS TO ${r}`,
    ...writes,
    // The secrets of the identity types and the signing keys stay out of reach (db/system-schema.ts).
    `REVOKE ALL ON ${SECRET_TABLES.map((table) => `${s}.${quoteIdentifier(table)}`).join(', ')} FROM ${r}`,
  ];
}

/** Bump when the grants or the sandbox's functions change, so that running servers redo them. */
const SANDBOX_VERSION = 'flint-sql-sandbox 2';

/**
 * What the grants were made for, kept as the comment of schema flint_private: the version, the
 * role (with its oid: a role dropped and made again has lost its grants) and the mode.
 */
async function grantMark(db: Queryable, role: string, readOnly: boolean): Promise<{ wanted: string; found: string | null }> {
  const { rows } = await db.query<{ oid: string | null; mark: string | null }>(sql`
    SELECT (SELECT oid::text FROM pg_roles WHERE rolname = ${role}) AS oid,
           (SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = ${PRIVATE_SCHEMA}) AS mark`);
  return { wanted: `${SANDBOX_VERSION} ${role}/${rows[0].oid} ${readOnly ? 'read-only' : 'write'}`, found: rows[0].mark };
}

/**
 * Grants the role what $sql may do, now and for the tables and views made later (default
 * privileges), then runs the extra DDL; nothing when the mark says it was done already.
 */
export async function grantSandbox(db: Database, role: string, readOnly: boolean, extra: (schema: string) => string[] = () => []): Promise<void> {
  const before = await grantMark(db, role, readOnly);
  if (before.found === before.wanted) return;
  await withSchemaLock(db, async (tx) => {
    const { wanted, found } = await grantMark(tx, role, readOnly);
    if (found === wanted) return;
    await privateSchema(tx);
    const schema = await currentSchema(tx);
    for (const statement of [...grantStatements(role, schema, readOnly), ...extra(schema)]) await tx.query(raw(statement));
    await tx.query(raw(`COMMENT ON SCHEMA ${PRIVATE_SCHEMA} IS ${quoteLiteral(wanted)}`));
  });
}

/** What $sql answers when it has no role to run as. */
export function sandboxUnavailable(reason: string): FhirError {
  return sqlErrors['sql.sandbox-unavailable']({ detail: `$sql is not available: ${reason}. Give Flint's database role CREATEROLE (Flint then creates the role $sql runs as), `
    + 'or create a role with SELECT rights only and set FLINT_SQL_DATABASE_URL to connect as it (see docs/sql.md)' }, { headers: { 'retry-after': '3600' } });
}
