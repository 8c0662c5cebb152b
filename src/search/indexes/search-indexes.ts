/**
 * The expression indexes search uses (docs/search.md#indexes): for a parameter, the index its type
 * declares (ParameterType.index: a GIN index on token, reference or uri keys, a trigram GIN index
 * on string text, a GiST index on the date envelope), over exactly the expression the conditions use. Indexes are named after a hash of
 * their definition, so one index serves every parameter with the same paths (Observation subject
 * and patient). A default set is created with each table; administrators add or drop more.
 * With the defaults comes a btree index per pair of a single-reference parameter and a date
 * parameter among them, on the referenced id and the descending date sort key, for the latest
 * resources of one target (reference-date-order.ts).
 */
import { createHash } from 'node:crypto';
import type { FhirModel, SearchParameterResource } from '../../model/index.js';
import { quoteIdentifier } from '../../sql/index.js';
import type { ResourceStorage } from '../../storage/index.js';
import { searchPaths, type SearchPath } from '../parameter-paths.js';
import { dateSortText } from '../parameters/date-type.js';
import { keyExpressionText } from '../parameters/key-expressions.js';
import { parameterTypeOf } from '../parameters/parameter-types.js';
import { searchErrors } from '../search-errors.js';
import { holdsOneReference } from './reference-date-order.js';

/** Parameters indexed by default on every type that has them (ids and _lastUpdated have their own). */
export const DEFAULT_INDEXED_PARAMETERS = ['identifier', 'patient', 'subject', 'code', 'date', 'name', 'family'];

export interface SearchIndexDefinition {
  name: string;
  method: 'gin' | 'gist' | 'btree';
  /** The indexed expression over the column resource (the first column of a multi-column index). */
  expression: string;
  opclass?: string;
  /** The columns of a multi-column index: expression and order (DESC NULLS LAST). */
  columns?: { expression: string; order?: string }[];
}

function indexNameFor(table: string, definition: string): string {
  const hash = createHash('sha1').update(definition).digest('hex').slice(0, 10);
  return `${table.slice(0, 40)}_search_${hash}`;
}

/** The index a parameter's conditions can use, on a table; undefined when its type has none. */
export function searchIndexDefinition(table: string, parameter: SearchParameterResource, paths: SearchPath[]): SearchIndexDefinition | undefined {
  const indexed = parameterTypeOf(parameter.type)?.index;
  if (!indexed || paths.length === 0) return undefined;
  const expression = keyExpressionText(indexed.fn, 'resource', paths);
  const name = indexNameFor(table, `${indexed.method} ${expression} ${indexed.opclass ?? ''}`);
  return indexed.opclass ? { name, method: indexed.method, expression, opclass: indexed.opclass } : { name, method: indexed.method, expression };
}

/** The index of a parameter of a type: an error when the parameter is unknown or cannot have one. */
export function parameterIndex(model: FhirModel, storage: ResourceStorage, code: string): SearchIndexDefinition {
  const parameter = model.searchParameters.get(storage.resourceType, code);
  if (!parameter) throw searchErrors['search.unknown-parameter']({ detail: `Unknown search parameter "${code}" for ${storage.resourceType}` }, { expression: 'code' });
  const paths = parameter.expression ? searchPaths(model, storage.resourceType, parameter.expression, parameter.type) : undefined;
  const definition = paths && searchIndexDefinition(storage.table, parameter, paths);
  if (!definition) throw searchErrors['search.not-indexable']({ code, type: parameter.type, resourceType: storage.resourceType }, { expression: 'code' });
  return definition;
}

/**
 * GIN indexes keep new entries in a pending list that every search reads in full until it is
 * merged into the index (by VACUUM, or by the insert that finds it over gin_pending_list_limit,
 * 4 MB by default). 4 MB of recent writes made a family search over 10,000 Patients read 270
 * pages per query; 64 kB, the least PostgreSQL allows, bounds that to 8 and keeps the batching.
 */
const GIN_STORAGE = ' WITH (gin_pending_list_limit = 64)';

export function createIndexDdl(table: string, definition: SearchIndexDefinition, concurrently: boolean): string {
  const storage = definition.method === 'gin' ? GIN_STORAGE : '';
  const columns = definition.columns
    ? definition.columns.map((column) => `(${column.expression})${column.order ? ` ${column.order}` : ''}`).join(', ')
    : `(${definition.expression})${definition.opclass ? ` ${definition.opclass}` : ''}`;
  return `CREATE INDEX ${concurrently ? 'CONCURRENTLY ' : ''}IF NOT EXISTS ${quoteIdentifier(definition.name)} ON ${quoteIdentifier(table)} USING ${definition.method} (${columns})${storage}`;
}

/** The btree index on a single-reference parameter's referenced id and a date parameter's descending sort key. */
export function referenceDateIndexDefinition(table: string, reference: SearchPath[], date: SearchPath[]): SearchIndexDefinition {
  const columns = [
    { expression: keyExpressionText('flint_reference_id', 'resource', reference) },
    { expression: dateSortText('resource', date, true), order: 'DESC NULLS LAST' },
  ];
  const expression = columns.map((column) => column.expression).join(', ');
  return { name: indexNameFor(table, `btree ${expression} DESC NULLS LAST`), method: 'btree', expression, columns };
}

interface DefaultParameter {
  code: string;
  parameter: SearchParameterResource;
  paths: SearchPath[];
}

function defaultParameters(model: FhirModel, storage: ResourceStorage): DefaultParameter[] {
  return DEFAULT_INDEXED_PARAMETERS.flatMap((code) => {
    const parameter = model.searchParameters.get(storage.resourceType, code);
    const paths = parameter?.expression ? searchPaths(model, storage.resourceType, parameter.expression, parameter.type) : undefined;
    return parameter && paths && paths.length > 0 ? [{ code, parameter, paths }] : [];
  });
}

/** The default indexes of a table with the parameters each serves, deduplicated (subject and patient share one). */
export function defaultIndexes(model: FhirModel, storage: ResourceStorage): { definition: SearchIndexDefinition; parameters: string[] }[] {
  const found = new Map<string, { definition: SearchIndexDefinition; parameters: Set<string> }>();
  const add = (definition: SearchIndexDefinition | undefined, ...codes: string[]) => {
    if (!definition) return;
    const entry = found.get(definition.name) ?? { definition, parameters: new Set<string>() };
    codes.forEach((code) => entry.parameters.add(code));
    found.set(definition.name, entry);
  };
  const parameters = defaultParameters(model, storage);
  for (const { code, parameter, paths } of parameters) add(searchIndexDefinition(storage.table, parameter, paths), code);
  const references = parameters.filter((entry) => entry.parameter.type === 'reference' && holdsOneReference(entry.paths));
  for (const date of parameters.filter((entry) => entry.parameter.type === 'date')) {
    for (const reference of references) add(referenceDateIndexDefinition(storage.table, reference.paths, date.paths), reference.code, date.code);
  }
  return [...found.values()].map(({ definition, parameters: codes }) => ({ definition, parameters: [...codes].sort() }));
}

/** The DDL of the default indexes of a new table. */
export function defaultIndexDdl(model: FhirModel, storage: ResourceStorage): string[] {
  return defaultIndexes(model, storage).map(({ definition }) => createIndexDdl(storage.table, definition, false));
}
