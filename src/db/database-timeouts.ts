/**
 * The time limits of database work (settings FLINT_DB_*, read in config.ts): how long a new
 * connection may take, the statement timeout every session starts with (reads and writes alike;
 * searches and $sql set their own), the idle-in-transaction timeout, TCP keepalive, and how long
 * the driver waits for an answer beyond a statement's own limit before it gives the connection up
 * (a server that is frozen or cut off never sends the cancellation).
 */
export interface DatabaseTimeouts {
  /** A new connection fails after this many milliseconds (pg connectionTimeoutMillis). */
  connectMs: number;
  /** The statement_timeout of every session (0: none). */
  statementMs: number;
  /** idle_in_transaction_session_timeout of every session (0: none). */
  idleInTransactionMs: number;
  /** TCP keepalive probes start after this many idle milliseconds (0: no keepalive). */
  keepAliveMs: number;
}

export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = {
  connectMs: 5000,
  statementMs: 60_000,
  idleInTransactionMs: 60_000,
  keepAliveMs: 10_000,
};

/** The wait for an answer beyond the statement timeout before the connection counts as silent. */
export const ANSWER_GRACE_MS = 2000;

/** The driver's wait for the answer to a statement under this statement timeout (undefined: no limit). */
export function answerTimeoutMs(statementMs: number): number | undefined {
  return statementMs > 0 ? statementMs + ANSWER_GRACE_MS : undefined;
}

/** The session settings (libpq options) that carry the timeouts. */
export function timeoutSessionOptions(timeouts: DatabaseTimeouts): string {
  return `-c statement_timeout=${timeouts.statementMs} -c idle_in_transaction_session_timeout=${timeouts.idleInTransactionMs}`;
}
