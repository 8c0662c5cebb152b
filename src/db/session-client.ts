/**
 * The settings every PostgreSQL session of Flint starts with, and a connection of its own (outside
 * the pools) that starts with them too, for work that must not share a pooled session (the $sql
 * sandbox logs in as another role and closes its connection after each statement).
 */
import pg from 'pg';

/**
 * The settings of every session: UTC, and JIT off. The search key functions' declared cost lifts
 * many search plans over jit_above_cost, and compiling such a plan took up to two seconds (a chain
 * at 100,000 patients) for nothing: the PL/pgSQL functions are not compiled. (PGlite has no JIT.)
 */
export const SESSION_SETTINGS = '-c TimeZone=UTC -c jit=off';

export interface SessionClientOptions {
  /** application_name, as pg_stat_activity shows it. */
  applicationName: string;
  /** How long to wait for the connection. */
  connectTimeoutMs: number;
}

/** A client (not yet connected) whose session has Flint's settings. */
export function newSessionClient(connectionString: string, options: SessionClientOptions): pg.Client {
  return new pg.Client({
    connectionString, application_name: options.applicationName, options: SESSION_SETTINGS, connectionTimeoutMillis: options.connectTimeoutMs,
  });
}
