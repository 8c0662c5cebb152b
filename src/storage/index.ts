/**
 * storage: where resources live and the SQL that writes and reads them, exactly as the seed's
 * database overview describes (main table + history table per type, global txid sequence).
 */
export * from './resource-storage.js';
export * from './table-ddl.js';
export * from './table-provisioning.js';
export * from './resource-row.js';
export * from './resource-writes.js';
export * from './resource-inserts.js';
export * from './resource-reads.js';
export * from './resource-history.js';
export * from './resource-change.js';
export * from './resource-text.js';
export * from './change-capture.js';
