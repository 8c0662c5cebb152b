/**
 * $sql on PostgreSQL: each statement gets a connection of its own, logged in as the $sql role, and
 * the connection is closed after it, so nothing the statement did to its session (advisory locks,
 * settings, temporary tables, LISTEN, prepared statements) outlives the request, and no statement
 * ever holds a connection of the pool FHIR requests use. A reading statement becomes a cursor that
 * fetch_rows reads row by row inside PostgreSQL, stopping at the row or byte limit, so rows past
 * the cap are never produced nor sent. The statement timeout is set again right before the fetch,
 * so the statement cannot lift it (its own set_config runs within the fetch). A connection that dies
 * (even by the statement's own pg_terminate_backend) fails the request, never the process.
 */
import type pg from 'pg';
import type { FhirError } from '../core/index.js';
import { cancelStatementOf, isDatabaseError, isOutageError, newSessionClient } from '../db/index.js';
import { compile, raw, sql } from '../sql/index.js';
import { FETCH_ROWS } from './fetch-rows-function.js';
import { sqlErrors } from './sql-errors.js';
import { boundRows, fetchedResult, SqlStatementError, type FetchedRow, type SandboxStatement, type SqlResult, type SqlSandbox } from './sql-sandbox.js';
import { boundStatement, placeError } from './statement-text.js';

const CONNECT_TIMEOUT_MS = 10_000;

/** The statement as a cursor; fetch_rows reads it within the limits. */
const CURSOR_PREFIX = 'DECLARE flint_sql_rows NO SCROLL CURSOR FOR\n';

/** The connection was lost (ended by the statement, an administrator, or the server). */
function connectionLost(error: unknown): FhirError {
  return sqlErrors['sql.connection-lost']({ detail: `The database connection of the statement ended while it ran: ${(error as Error).message}` },
    { headers: { 'retry-after': '1' }, cause: error });
}

export class PostgresSqlSandbox implements SqlSandbox {
  constructor(private readonly connectionString: string, readonly role: string) {}

  async run(statement: SandboxStatement): Promise<SqlResult> {
    const client = newSessionClient(this.connectionString, { applicationName: 'flint-sql', connectTimeoutMs: CONNECT_TIMEOUT_MS });
    let lost: unknown;
    client.on('error', (error) => { lost = error; });
    try {
      await client.connect();
    } catch (error) {
      client.end().catch(() => undefined);
      throw sqlErrors['sql.unavailable']({ detail: `$sql could not connect as ${this.role}: ${(error as Error).message}` },
        { headers: { 'retry-after': '5' }, cause: error });
    }
    const cancel = () => cancelStatementOf(client);
    statement.signal?.addEventListener('abort', cancel, { once: true });
    try {
      statement.signal?.throwIfAborted();
      return await this.runOn(client, statement);
    } catch (error) {
      if (lost !== undefined || isOutageError(error)) throw connectionLost(lost ?? error);
      throw error;
    } finally {
      statement.signal?.removeEventListener('abort', cancel);
      await client.end().catch(() => undefined);
    }
  }

  private async runOn(client: pg.Client, statement: SandboxStatement): Promise<SqlResult> {
    const deadline = Date.now() + statement.timeoutMs;
    const timeout = () => `SET LOCAL statement_timeout = ${Math.max(1, deadline - Date.now())}`;
    await client.query(`BEGIN ISOLATION LEVEL READ COMMITTED${statement.readOnly ? ' READ ONLY' : ''}`);
    await client.query(timeout());
    const result = statement.reading ? await this.fetch(client, statement, timeout) : await this.direct(client, statement);
    await client.query(statement.readOnly ? 'ROLLBACK' : 'COMMIT');
    return result;
  }

  /** A reading statement through a cursor, read by fetch_rows within the row and byte limits. */
  private async fetch(client: pg.Client, statement: SandboxStatement, timeout: () => string): Promise<SqlResult> {
    const body = boundStatement(statement.lexed, statement.params);
    const { text, values } = compile(sql`${raw(CURSOR_PREFIX)}${body}`);
    await this.statement(statement, CURSOR_PREFIX.length, () => client.query({ text, values }));
    const results = await this.statement(statement, undefined, () => client.query(
      `${timeout()}; SELECT line, stop FROM ${FETCH_ROWS}('flint_sql_rows', ${statement.maxRows}, ${statement.maxBytes})`,
    ) as unknown as Promise<pg.QueryResult<FetchedRow>[]>);
    return fetchedResult(results[1].rows);
  }

  /** EXPLAIN, SHOW and (in write mode) writing statements: their rows come at once. */
  private async direct(client: pg.Client, statement: SandboxStatement): Promise<SqlResult> {
    const { text, values } = compile(boundStatement(statement.lexed, statement.params));
    const result = await this.statement(statement, 0, () => client.query({ text, values }));
    return boundRows((result.rows ?? []).map((row) => JSON.stringify(row)), statement.maxRows, statement.maxBytes);
  }

  /**
   * Runs a step of the statement; PostgreSQL's errors come back placed in the statement as sent
   * (prefixLength: the text before it in the step; undefined when the step's text is not the statement's).
   */
  private async statement<T>(statement: SandboxStatement, prefixLength: number | undefined, step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      if (!isDatabaseError(error) || isOutageError(error)) throw error;
      const position = prefixLength === undefined ? undefined : placeError(statement.lexed, statement.lexed, Number(error.position), prefixLength);
      throw new SqlStatementError(error, position);
    }
  }

  async close(): Promise<void> {
    // Connections are closed after each statement.
  }
}
