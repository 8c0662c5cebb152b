/**
 * db: the connection to PostgreSQL, real (pg pool) or embedded (PGlite), behind one interface;
 * transactions with retries; the system schema; LISTEN/NOTIFY; database error translation.
 */
export * from './database.js';
export * from './database-errors.js';
export { dbErrors } from './db-errors.js';
export { DatabaseOutage, isOutageError, OUTAGE_RETRY_AFTER_SECONDS, outageKind, unavailableError } from './database-outage.js';
export { DEFAULT_DATABASE_TIMEOUTS, type DatabaseTimeouts } from './database-timeouts.js';
export { cancelStatementOf } from './cancel-request.js';
export { newSessionClient, SESSION_SETTINGS, type SessionClientOptions } from './session-client.js';
export { withSignal } from './signalled-database.js';
export * from './transactions.js';
export * from './system-schema.js';
export * from './open-database.js';
export { FHIR_INSTANT_FORMAT, toFhirInstant } from './type-parsers.js';
export { PgliteDatabase, pgliteVersion } from './pglite-database.js';
export { PostgresDatabase } from './postgres-database.js';
export { isNewDataFolder, unpackDataFolder } from './data-folder-template.js';
export { DataFolderLockedError, LOCK_FILE, lockDataFolder, type DataFolderLock } from './data-folder-lock.js';
