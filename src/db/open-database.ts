/**
 * Chooses the database: a real PostgreSQL when DATABASE_URL is set, else the embedded PGlite in the
 * data folder.
 */
import { resolve } from 'node:path';
import { raw } from '../sql/index.js';
import type { Database } from './database.js';
import type { DatabaseTimeouts } from './database-timeouts.js';
import { isNewDataFolder } from './data-folder-template.js';
import { PgliteDatabase } from './pglite-database.js';
import { PostgresDatabase } from './postgres-database.js';

export interface DatabaseConfig {
  databaseUrl?: string;
  dataDir?: string;
  poolSize: number;
  /** Connection and session time limits (PostgreSQL; the embedded database takes its statement timeout only). */
  timeouts?: DatabaseTimeouts;
  /** Embedded only: start from this gzipped dump instead of an empty folder. */
  loadDataDir?: Blob;
  /** Embedded only: a new data folder starts as this gzipped dump (a file), unpacked into it. */
  templateFile?: string;
  /** Embedded only: shared_buffers (PGlite's default is 128MB, all of it resident). */
  sharedBuffers?: string;
}

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.databaseUrl) {
    const db = new PostgresDatabase({ connectionString: config.databaseUrl, poolSize: config.poolSize, timeouts: config.timeouts });
    await db.query(raw('SELECT 1'));
    return db;
  }
  return PgliteDatabase.open({ dataDir: config.dataDir, loadDataDir: config.loadDataDir, templateFile: config.templateFile, sharedBuffers: config.sharedBuffers,
    statementTimeoutMs: config.timeouts?.statementMs,
  });
}

/** The database in words for the start-up messages, without the password. */
export function describeDatabase(config: Pick<DatabaseConfig, 'databaseUrl' | 'dataDir'>): string {
  if (config.databaseUrl) {
    const url = new URL(config.databaseUrl);
    return `PostgreSQL at ${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
  }
  const folder = resolve(config.dataDir ?? '.');
  return `the embedded database in ${folder}${isNewDataFolder(folder) ? ' (new: creating it)' : ''}`;
}
