/**
 * Adding, dropping and listing search indexes at run time. Indexes are built and dropped
 * CONCURRENTLY, so writes to the table go on meanwhile; an index left invalid by a failed build is
 * dropped and built again.
 */
import type { Database } from '../../db/index.js';
import type { FhirModel } from '../../model/index.js';
import { quoteIdentifier, raw, sql } from '../../sql/index.js';
import type { ResourceStorage } from '../../storage/index.js';
import { createIndexDdl, defaultIndexes, parameterIndex, searchIndexDefinition } from './search-indexes.js';
import { searchPaths } from '../parameter-paths.js';

export interface SearchIndexInfo {
  name: string;
  resourceType: string;
  /** The parameters whose conditions the index serves. */
  parameters: string[];
  definition: string;
  valid: boolean;
}

interface IndexRow {
  name: string;
  definition: string;
  valid: boolean;
}

async function indexRows(db: Database, table: string, name?: string): Promise<IndexRow[]> {
  const { rows } = await db.query<IndexRow>(sql`
    SELECT c.relname AS name, pg_get_indexdef(c.oid) AS definition, i.indisvalid AS valid
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE n.nspname = current_schema() AND t.relname = ${table} AND c.relname LIKE '%\\_search\\_%'
      AND (${name ?? null}::text IS NULL OR c.relname = ${name ?? null}::text)
    ORDER BY c.relname`);
  return rows;
}

/** The parameters of the type whose index would be this one (a reference-and-date index: both). */
function servedParameters(model: FhirModel, storage: ResourceStorage, name: string): string[] {
  const pair = defaultIndexes(model, storage).find((entry) => entry.definition.name === name && entry.definition.columns);
  if (pair) return pair.parameters;
  const codes: string[] = [];
  for (const [code, parameter] of model.searchParameters.forType(storage.resourceType)) {
    const paths = parameter.expression ? searchPaths(model, storage.resourceType, parameter.expression, parameter.type) : undefined;
    if (paths && searchIndexDefinition(storage.table, parameter, paths)?.name === name) codes.push(code);
  }
  return codes.sort();
}

export async function listSearchIndexes(db: Database, model: FhirModel, storage: ResourceStorage): Promise<SearchIndexInfo[]> {
  const rows = await indexRows(db, storage.table);
  return rows.map((row) => ({ ...row, resourceType: storage.resourceType, parameters: servedParameters(model, storage, row.name) }));
}

/** Index builds on large tables rightly take long: the session's statement timeout is lifted for them. */
const UNLIMITED = { noTimeout: true } as const;

export async function createSearchIndex(db: Database, model: FhirModel, storage: ResourceStorage, code: string): Promise<SearchIndexInfo> {
  const definition = parameterIndex(model, storage, code);
  const [existing] = await indexRows(db, storage.table, definition.name);
  if (existing && !existing.valid) await db.query(raw(`DROP INDEX CONCURRENTLY IF EXISTS ${quoteIdentifier(definition.name)}`), UNLIMITED);
  await db.query(raw(createIndexDdl(storage.table, definition, true)), UNLIMITED);
  const [created] = await indexRows(db, storage.table, definition.name);
  return { ...created, resourceType: storage.resourceType, parameters: servedParameters(model, storage, definition.name) };
}

/** Drops the index a parameter uses; returns its name, or undefined when there was none. */
export async function dropSearchIndex(db: Database, model: FhirModel, storage: ResourceStorage, code: string): Promise<string | undefined> {
  const definition = parameterIndex(model, storage, code);
  const [existing] = await indexRows(db, storage.table, definition.name);
  if (!existing) return undefined;
  await db.query(raw(`DROP INDEX CONCURRENTLY IF EXISTS ${quoteIdentifier(definition.name)}`), UNLIMITED);
  return definition.name;
}
