/**
 * Turns PostgreSQL errors into FhirErrors where the cause is known (a cancelled statement, a
 * serialization failure, a lock timeout, an unreachable database: database-outage.ts); anything
 * else stays a fault.
 */
import { FhirError } from '../core/index.js';
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
    return new FhirError('too-costly', 'db.statement-timeout',
      'The statement ran longer than its time limit allows and was stopped; nothing it did was kept', { cause: error });
  }
  if (error.code === SERIALIZATION_FAILURE || error.code === DEADLOCK_DETECTED) {
    return new FhirError('conflict', 'db.serialization-failure',
      'The transaction conflicted with concurrent transactions and could not be completed; retry it',
      { issueType: 'transient', cause: error });
  }
  if (error.code === LOCK_NOT_AVAILABLE) {
    return new FhirError('conflict', 'db.lock-timeout', 'A lock needed by the request could not be obtained in time',
      { issueType: 'lock-error', cause: error });
  }
  return error;
}

/** The error of work stopped because the client that asked for it went away. */
export function clientClosedError(): FhirError {
  return new FhirError('invalid', 'http.client-closed', 'The client closed the connection before the answer; the work was stopped',
    { issueType: 'incomplete' });
}
