/**
 * Runs one SQL statement for the $sql endpoint: `?` placeholders bound as parameters, one
 * statement per request, a statement timeout, a row limit, a byte limit, and read-only mode: a
 * READ ONLY transaction that is rolled back at the end, and only reading statements (SELECT, WITH,
 * VALUES, TABLE, EXPLAIN, SHOW). The statement runs in the sandbox (sql-sandbox.ts: the $sql role,
 * never Flint's own; no session state kept), behind the concurrency limit (sql-gate.ts). Rows of
 * reading statements come from PostgreSQL as JSON (row_to_json), so numbers, timestamps and jsonb
 * keep PostgreSQL's exact text whichever driver runs them.
 */
import { sqlErrors } from './sql-errors.js';
import type { SqlGate } from './sql-gate.js';
import { SqlStatementError, type SqlResult, type SqlSandbox } from './sql-sandbox.js';
import { statementFailure } from './statement-failure.js';
import { lexStatement, type LexedStatement } from './statement-lexer.js';

export interface SqlRequest {
  sql: string;
  /** Values of the `?` placeholders; undefined for the plain-text form (no placeholders). */
  params?: unknown[];
  readOnly: boolean;
  timeoutMs: number;
  maxRows: number;
  /** The HTTP request's signal: the statement is cancelled when the client goes away. */
  signal?: AbortSignal;
  /** The most bytes the rows of the answer may hold (as JSON). */
  maxBytes: number;
}

export interface SqlAccess {
  sandbox: SqlSandbox;
  gate: SqlGate;
}

const READING = new Set(['SELECT', 'WITH', 'VALUES', 'TABLE']);
const READ_ONLY_OTHERS = new Set(['EXPLAIN', 'SHOW']);
const DATA_MODIFYING = ['INSERT', 'UPDATE', 'DELETE', 'MERGE'];
/** Transaction control and session state belong to Flint, not to a request. */
const FORBIDDEN = new Set(['BEGIN', 'START', 'COMMIT', 'END', 'ROLLBACK', 'ABORT', 'SAVEPOINT', 'RELEASE', 'PREPARE', 'SET', 'RESET', 'DISCARD']);

function check(lexed: LexedStatement, request: SqlRequest): void {
  if (lexed.firstKeyword === '') throw sqlErrors['sql.empty']({ detail: 'The request holds no SQL statement' });
  if (lexed.hasSecondStatement) throw sqlErrors['sql.multiple-statements']({ detail: 'Send one statement per request' });
  if (FORBIDDEN.has(lexed.firstKeyword)) {
    throw sqlErrors['sql.forbidden-statement']({ detail: `${lexed.firstKeyword} statements are not allowed through $sql` });
  }
  const given = request.params?.length ?? 0;
  if (lexed.placeholders !== given) {
    throw sqlErrors['sql.parameter-count']({ detail: `The statement has ${lexed.placeholders} ? placeholders but ${given} values were given` });
  }
  if (request.readOnly && !READING.has(lexed.firstKeyword) && !READ_ONLY_OTHERS.has(lexed.firstKeyword)) {
    throw sqlErrors['sql.read-only']({ detail: `$sql is read-only here; ${lexed.firstKeyword} statements are refused` });
  }
}

function isReading(lexed: LexedStatement): boolean {
  return READING.has(lexed.firstKeyword) && !DATA_MODIFYING.some((keyword) => lexed.keywords.has(keyword));
}

/** Whether the statement answers rows: reading ones, EXPLAIN, SHOW, and writes with RETURNING. */
function returnsRows(lexed: LexedStatement): boolean {
  return READING.has(lexed.firstKeyword) || READ_ONLY_OTHERS.has(lexed.firstKeyword) || lexed.keywords.has('RETURNING');
}

/** Runs the statement; a failure inside the database is a FhirError of the catalogue (statement-failure.ts). */
export async function executeSql(access: SqlAccess, request: SqlRequest): Promise<SqlResult> {
  const lexed = lexStatement(request.sql, request.params !== undefined);
  check(lexed, request);
  try {
    return await runStatement(access, request, lexed);
  } catch (error) {
    throw error instanceof SqlStatementError ? statementFailure(error) : error;
  }
}

function runStatement(access: SqlAccess, request: SqlRequest, lexed: LexedStatement): Promise<SqlResult> {
  return access.gate.run(() => access.sandbox.run({
    lexed,
    params: request.params ?? [],
    reading: isReading(lexed),
    returnsRows: returnsRows(lexed),
    readOnly: request.readOnly,
    timeoutMs: request.timeoutMs,
    maxRows: request.maxRows,
    maxBytes: request.maxBytes,
    signal: request.signal,
  }));
}
