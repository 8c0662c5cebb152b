/**
 * Runs one SQL statement for the $sql endpoint: `?` placeholders bound as parameters (never
 * spliced), one statement per request, a statement timeout (SET LOCAL statement_timeout), a row
 * limit, and read-only mode: a READ ONLY transaction that is rolled back at the end, so not even a
 * session setting survives it, and only reading statements (SELECT, WITH, VALUES, TABLE, EXPLAIN,
 * SHOW). Rows of reading statements come from PostgreSQL as JSON (row_to_json), so numbers,
 * timestamps and jsonb keep PostgreSQL's exact text whichever driver runs them.
 */
import { FhirError } from '../core/index.js';
import type { Database, Queryable } from '../db/index.js';
import { join, param, raw, sql, type Sql } from '../sql/index.js';
import { inputPosition, lexStatement, type LexedStatement } from './statement-lexer.js';

export interface SqlRequest {
  sql: string;
  /** Values of the `?` placeholders; undefined for the plain-text form (no placeholders). */
  params?: unknown[];
  readOnly: boolean;
  timeoutMs: number;
  maxRows: number;
  /** The HTTP request's signal: the statement is cancelled when the client goes away. */
  signal?: AbortSignal;
}

export interface SqlResult {
  /** Each row as the text of a JSON object. */
  rows: string[];
  /** More rows than maxRows were available. */
  truncated: boolean;
}

/** A failure of the statement inside the database, with where in the caller's text it happened. */
export class SqlStatementError extends Error {
  constructor(readonly databaseError: unknown, readonly position: number | undefined) {
    super((databaseError as Error).message, { cause: databaseError });
  }
}

const READING = new Set(['SELECT', 'WITH', 'VALUES', 'TABLE']);
const READ_ONLY_OTHERS = new Set(['EXPLAIN', 'SHOW']);
const DATA_MODIFYING = ['INSERT', 'UPDATE', 'DELETE', 'MERGE'];
/** Transaction control and session state belong to Flint, not to a request. */
const FORBIDDEN = new Set(['BEGIN', 'START', 'COMMIT', 'END', 'ROLLBACK', 'ABORT', 'SAVEPOINT', 'RELEASE', 'PREPARE', 'SET', 'RESET', 'DISCARD']);

/** The prefix put before a reading statement; its length shifts PostgreSQL's error positions. */
const ROW_JSON_PREFIX = 'SELECT row_to_json(flint_sql.*)::text AS row FROM (\n';

function bad(code: string, message: string): FhirError {
  return new FhirError('invalid', code, message);
}

function check(lexed: LexedStatement, request: SqlRequest): void {
  if (lexed.firstKeyword === '') throw bad('sql.empty', 'The request holds no SQL statement');
  if (lexed.hasSecondStatement) throw bad('sql.multiple-statements', 'Send one statement per request');
  if (FORBIDDEN.has(lexed.firstKeyword)) throw bad('sql.forbidden-statement', `${lexed.firstKeyword} statements are not allowed through $sql`);
  const given = request.params?.length ?? 0;
  if (lexed.placeholders !== given) {
    throw bad('sql.parameter-count', `The statement has ${lexed.placeholders} ? placeholders but ${given} values were given`);
  }
  if (request.readOnly && !READING.has(lexed.firstKeyword) && !READ_ONLY_OTHERS.has(lexed.firstKeyword)) {
    throw new FhirError('forbidden', 'sql.read-only', `$sql is read-only here; ${lexed.firstKeyword} statements are refused`);
  }
}

function bind(value: unknown): unknown {
  return value !== null && typeof value === 'object' ? JSON.stringify(value) : value;
}

/** The statement as SQL: its text with $n placeholders and the values as parameters, in order. */
function statement(lexed: LexedStatement, params: unknown[]): Sql {
  return join(lexed.chunks.map((chunk) => (typeof chunk === 'number' ? param(bind(params[chunk - 1])) : raw(chunk))), '');
}

function isReading(lexed: LexedStatement): boolean {
  return READING.has(lexed.firstKeyword) && !DATA_MODIFYING.some((keyword) => lexed.keywords.has(keyword));
}

class Rollback {
  constructor(readonly result: SqlResult) {}
}

async function run(tx: Queryable, lexed: LexedStatement, request: SqlRequest): Promise<SqlResult> {
  await tx.query(sql`SELECT set_config('statement_timeout', ${String(request.timeoutMs)}, true)`);
  const body = statement(lexed, request.params ?? []);
  try {
    if (isReading(lexed)) {
      const { rows } = await tx.query<{ row: string }>(sql`${raw(ROW_JSON_PREFIX)}${body}\n) AS flint_sql LIMIT ${raw(String(request.maxRows + 1))}`);
      return { rows: rows.slice(0, request.maxRows).map((row) => row.row), truncated: rows.length > request.maxRows };
    }
    const { rows } = await tx.query(body);
    return { rows: rows.slice(0, request.maxRows).map((row) => JSON.stringify(row)), truncated: rows.length > request.maxRows };
  } catch (error) {
    const position = Number((error as { position?: string }).position);
    const prefix = isReading(lexed) ? ROW_JSON_PREFIX.length : 0;
    const inText = position - prefix;
    throw new SqlStatementError(error, Number.isFinite(inText) && inText >= 1 ? inputPosition(lexed, inText) : undefined);
  }
}

/** Runs the statement; SqlStatementError for a failure inside the database. */
export async function executeSql(db: Database, request: SqlRequest): Promise<SqlResult> {
  const lexed = lexStatement(request.sql, request.params !== undefined);
  check(lexed, request);
  try {
    return await db.transaction(async (tx) => {
      const result = await run(tx, lexed, request);
      if (request.readOnly) throw new Rollback(result);
      return result;
    }, { readOnly: request.readOnly, timeoutMs: request.timeoutMs, signal: request.signal });
  } catch (error) {
    if (error instanceof Rollback) return error.result;
    throw error;
  }
}
