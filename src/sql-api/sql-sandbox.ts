/**
 * Where a $sql statement runs: a sandbox that runs it as the role of sandbox-role.ts, never as
 * Flint's own role, and leaves no session state behind. PostgreSQL: a connection of its own per
 * statement (postgres-sandbox.ts); the embedded database: a function owned by the role
 * (embedded-sandbox.ts). When no such role can be had, every $sql request answers 503 saying how
 * to configure one.
 */
import type { LexedStatement } from './statement-lexer.js';

export interface SandboxStatement {
  lexed: LexedStatement;
  params: unknown[];
  /** A SELECT-like statement: its rows are read as JSON, bounded in rows and bytes as they come. */
  reading: boolean;
  /** It answers rows (reading, EXPLAIN, SHOW, ... RETURNING). */
  returnsRows: boolean;
  readOnly: boolean;
  timeoutMs: number;
  maxRows: number;
  maxBytes: number;
  /** The request's signal: when its client goes away, the statement is cancelled (PostgreSQL). */
  signal?: AbortSignal;
}

export type TruncationReason = 'rows' | 'bytes';

export interface SqlResult {
  /** Each row as the text of a JSON object. */
  rows: string[];
  /** Why rows were left out, when some were. */
  truncated?: TruncationReason;
}

/** A failure of the statement inside the database, with where in the caller's text it happened. */
export class SqlStatementError extends Error {
  constructor(readonly databaseError: unknown, readonly position: number | undefined) {
    super((databaseError as Error).message, { cause: databaseError });
  }
}

export interface SqlSandbox {
  /** The role statements run as (undefined when $sql is unavailable). */
  readonly role: string | undefined;
  run(statement: SandboxStatement): Promise<SqlResult>;
  close(): Promise<void>;
}

/** A row of fetch_rows: a row's JSON, or, last, why the rows stopped. */
export interface FetchedRow {
  line: string | null;
  stop: TruncationReason | null;
}

/** The answer of the rows fetch_rows gave. */
export function fetchedResult(fetched: FetchedRow[]): SqlResult {
  const last = fetched.at(-1);
  const rows = (last?.stop ? fetched.slice(0, -1) : fetched).map((row) => row.line as string);
  return last?.stop ? { rows, truncated: last.stop } : { rows };
}

/** The bytes a row adds to the answer: its JSON and the comma (or bracket) beside it. */
export function rowBytes(line: string): number {
  return Buffer.byteLength(line, 'utf8') + 1;
}

/**
 * The rows an answer keeps: at most maxRows, and only while their bytes stay within maxBytes. The
 * same rule the SQL of the sandboxes applies as rows come (there it keeps the rows it never fetched
 * out of memory); this is for statements whose rows come at once.
 */
export function boundRows(lines: string[], maxRows: number, maxBytes: number): SqlResult {
  const rows: string[] = [];
  let bytes = 0;
  for (const line of lines) {
    if (rows.length === maxRows) return { rows, truncated: 'rows' };
    bytes += rowBytes(line);
    if (bytes > maxBytes) return { rows, truncated: 'bytes' };
    rows.push(line);
  }
  return { rows };
}
