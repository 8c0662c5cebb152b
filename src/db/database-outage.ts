/**
 * Database outages: which failures mean the database cannot be reached (refused or lost
 * connections, a server shutting down or starting, a pool that cannot connect in time, a server that
 * does not answer), the 503 a request then gets (busy, with Retry-After), and the one log line when
 * an outage starts and the one when it ends (the first success afterwards), instead of a line per
 * failed request. Recovery needs nothing: the pools open new connections as requests come.
 */
import { FhirError } from '../core/index.js';
import { dbErrors } from './db-errors.js';
import { isDatabaseError, type DatabaseLog } from './database.js';

/** The Retry-After of a 503 during an outage, in seconds. */
export const OUTAGE_RETRY_AFTER_SECONDS = 5;

/** admin_shutdown (also pg_terminate_backend), crash_shutdown, cannot_connect_now (starting or stopping), too many connections. */
const SHUTDOWN_CODES = new Set(['57P01', '57P02', '57P03', '53300']);
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);
/** The driver's own words for a connection that ended, could not be made in time, or went silent. */
const LOST = /Connection terminated|not queryable|Client has encountered a connection error/i;
const CONNECT_TIMEOUT = /timeout exceeded when trying to connect|connection timeout/i;
const SILENT = /Query read timeout/;

/** The catalogue codes of an outage. */
export type UnavailableCode = Extract<keyof typeof dbErrors, 'db.unavailable' | 'db.connection-lost' | 'db.unresponsive'>;

/** The kind of outage an error shows, or undefined when it is not one. */
export function outageKind(error: unknown): UnavailableCode | undefined {
  if (!(error instanceof Error)) return undefined;
  if (error instanceof FhirError) return undefined;
  const code = (error as { code?: unknown }).code;
  if (isDatabaseError(error)) {
    if (code === '57P01' || code === '57P02' || code === '25P03') return 'db.connection-lost';
    if (SHUTDOWN_CODES.has(code as string) || (code as string).startsWith('08')) return 'db.unavailable';
    return undefined;
  }
  if (typeof code === 'string' && SOCKET_CODES.has(code)) return 'db.unavailable';
  if (SILENT.test(error.message)) return 'db.unresponsive';
  if (CONNECT_TIMEOUT.test(error.message)) return 'db.unavailable';
  if (LOST.test(error.message)) return 'db.connection-lost';
  return undefined;
}

export function isOutageError(error: unknown): boolean {
  return outageKind(error) !== undefined;
}

/** The 503 of a request that met an outage (the error when it is no outage). */
export function unavailableError(error: unknown): unknown {
  const kind = outageKind(error);
  if (!kind) return error;
  return dbErrors[kind](undefined, { cause: error, headers: { 'retry-after': String(OUTAGE_RETRY_AFTER_SECONDS) } });
}

/**
 * A success ends an outage when its connection was made after the outage began, or when no failure
 * came for this long: at the edges of a restart, statements on old connections still succeed and
 * fail in turn, and each turn would otherwise be an outage of its own.
 */
const SETTLE_MS = 1000;

/** The outage state of one database: logs its start once and its end once. */
export class DatabaseOutage {
  private since?: number;
  private lastFailure = 0;
  private failures = 0;
  private log?: DatabaseLog;

  useLog(log: DatabaseLog): void {
    this.log = log;
  }

  get down(): boolean {
    return this.since !== undefined;
  }

  /** Notes a failure; the first of an outage is logged with its cause. */
  failed(error: unknown): void {
    this.failures++;
    this.lastFailure = Date.now();
    if (this.since !== undefined) return;
    this.since = Date.now();
    const cause = error as { message?: string; code?: string };
    this.log?.warn({ cause: cause.message, code: cause.code, kind: outageKind(error) }, 'database unavailable');
  }

  /**
   * Notes a success on a connection made at connectedAt (milliseconds); the first that counts after
   * an outage ends it, with its duration and its count of failures.
   */
  succeeded(connectedAt: number): void {
    if (this.since === undefined) return;
    if (connectedAt < this.since && Date.now() - this.lastFailure < SETTLE_MS) return;
    const downMs = Date.now() - this.since;
    this.log?.info({ downMs, failures: this.failures }, 'database available again');
    this.since = undefined;
    this.failures = 0;
  }
}
