/**
 * Turns PostgreSQL errors into FhirErrors where the cause is known (a cancelled statement, a
 * serialization failure, a lock timeout, an unreachable database: database-outage.ts); anything
 * else stays a fault.
 */
import type { FhirError } from '../core/index.js';
import { dbErrors } from './db-errors.js';
import { isDatabaseError } from './database.js';
import { unavailableError } from './database-outage.js';

export const SERIALIZATION_FAILURE = '40001';
export const DEADLOCK_DETECTED = '40P01';
export const QUERY_CANCELED = '57014';
export const UNIQUE_VIOLATION = '23505';
export const LOCK_NOT_AVAILABLE = '55P03';

export function isRetryableTransactionError(error: unknown): boolean {
  return isDatabaseError(error) && (error.code === SERIALIZATION_FAILURE || error.code === DEADLOCK_DETECTED);
}

export function isUniqueViolation(error: unknown): boolean {
  return isDatabaseError(error) && error.code === UNIQUE_VIOLATION;
}

/** Maps the database errors a client can cause to FhirErrors; returns the error unchanged otherwise. */
export function translateDatabaseError(error: unknown): unknown {
  const unavailable = unavailableError(error);
  if (unavailable !== error || !isDatabaseError(error)) return unavailable;
  if (error.code === QUERY_CANCELED) {
    return dbErrors['db.statement-timeout'](undefined, { cause: error });
  }
  if (error.code === SERIALIZATION_FAILURE || error.code === DEADLOCK_DETECTED) {
    return dbErrors['db.serialization-failure'](undefined, { cause: error });
  }
  if (error.code === LOCK_NOT_AVAILABLE) {
    return dbErrors['db.lock-timeout'](undefined, { cause: error });
  }
  return error;
}

/** The error of work stopped because the client that asked for it went away. */
export function clientClosedError(): FhirError {
  return dbErrors['http.client-closed'](undefined);
}
