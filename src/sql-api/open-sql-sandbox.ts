/**
 * Chooses and prepares the $sql sandbox at start. The embedded database: the role and its
 * security-definer function. PostgreSQL: with FLINT_SQL_DATABASE_URL, the role an operator made
 * (checked to be no superuser or member of other roles, and granted the reads); otherwise the role
 * Flint creates, which needs CREATEROLE; without it, $sql answers 503 saying how to configure it.
 */
import { isDatabaseError, newSessionClient, PostgresDatabase, type Database } from '../db/index.js';
import { EmbeddedSqlSandbox } from './embedded-sandbox.js';
import { fetchRowsDdl } from './fetch-rows-function.js';
import { PostgresSqlSandbox } from './postgres-sandbox.js';
import { createSandboxRole, currentDatabase, grantSandbox, sandboxRoleName, sandboxUnavailable, unsafeRole } from './sandbox-role.js';
import type { SqlSandbox } from './sql-sandbox.js';

export interface SandboxOptions {
  readOnly: boolean;
  /** FLINT_SQL_DATABASE_URL: connect as this (operator-made) role instead of creating one. */
  databaseUrl?: string;
}

/** A sandbox that refuses every statement, saying why (503 sql.sandbox-unavailable). */
export class UnavailableSqlSandbox implements SqlSandbox {
  readonly role = undefined;
  constructor(readonly reason: string) {}
  run(): Promise<never> {
    return Promise.reject(sandboxUnavailable(this.reason));
  }
  async close(): Promise<void> {}
}

/** The wait for the connection that checks the $sql role's login. */
const LOGIN_TIMEOUT_MS = 10_000;

/** The same server and database, logged in as another role. */
function loginUrl(connectionString: string, role: string, password: string): string {
  const url = new URL(connectionString);
  url.username = encodeURIComponent(role);
  url.password = encodeURIComponent(password);
  url.searchParams.delete('user');
  url.searchParams.delete('password');
  return url.toString();
}

async function roleOf(url: string): Promise<string> {
  const client = newSessionClient(url, { applicationName: 'flint-sql', connectTimeoutMs: LOGIN_TIMEOUT_MS });
  await client.connect();
  try {
    return (await client.query<{ role: string }>('SELECT current_user AS role')).rows[0].role;
  } finally {
    await client.end();
  }
}

async function operatorSandbox(db: Database, options: SandboxOptions & { databaseUrl: string }): Promise<SqlSandbox> {
  const role = await roleOf(options.databaseUrl);
  const unsafe = await unsafeRole(db, role);
  if (unsafe) return new UnavailableSqlSandbox(`FLINT_SQL_DATABASE_URL logs in as a role that must not run $sql: ${unsafe}`);
  await grantSandbox(db, role, options.readOnly, () => fetchRowsDdl(role));
  return new PostgresSqlSandbox(options.databaseUrl, role);
}

async function createdSandbox(db: PostgresDatabase, readOnly: boolean): Promise<SqlSandbox> {
  const role = sandboxRoleName(await currentDatabase(db));
  let password: string | undefined;
  try {
    password = await createSandboxRole(db, role, true);
  } catch (error) {
    if (isDatabaseError(error) && error.code === '42501') {
      return new UnavailableSqlSandbox(`Flint's database role may not create or alter the role ${role} (${error.message})`);
    }
    throw error;
  }
  // A role of that name made by someone else may have been granted other roles' rights.
  const unsafe = await unsafeRole(db, role);
  if (unsafe) return new UnavailableSqlSandbox(`${unsafe}; revoke those memberships, or drop the role and restart`);
  await grantSandbox(db, role, readOnly, () => fetchRowsDdl(role));
  const url = loginUrl(db.connectionString, role, password as string);
  // A DATABASE_URL without a host part (a Unix socket given in the query) takes no user name: make
  // sure the login is really the role's before any statement runs with it.
  const login = await roleOf(url).catch((error: unknown) => `none (${(error as Error).message})`);
  if (login !== role) return new UnavailableSqlSandbox(`logging in as ${role} gave the role ${login}; set FLINT_SQL_DATABASE_URL`);
  return new PostgresSqlSandbox(url, role);
}

export async function openSqlSandbox(db: Database, options: SandboxOptions): Promise<SqlSandbox> {
  if (db.kind === 'pglite') return EmbeddedSqlSandbox.open(db, options.readOnly);
  if (options.databaseUrl) return operatorSandbox(db, { ...options, databaseUrl: options.databaseUrl });
  if (!(db instanceof PostgresDatabase)) return new UnavailableSqlSandbox('the database gives no connection string to log in with');
  return createdSandbox(db, options.readOnly);
}
