/**
 * _include and _revinclude (http://hl7.org/fhir/R4/search.html#include), with :iterate and *: the
 * resources the matches refer to through a reference parameter, and the resources that refer to
 * the matches (_revinclude=*: through every reference parameter of every served type). Iteration
 * repeats on what was just added, a bounded number of times. Only the rows the caller's row rule
 * of their type lets it see are included (row-condition.ts).
 */
import { parseReference } from '../../core/index.js';
import type { Queryable } from '../../db/index.js';
import { ident, join, raw, sql, type Sql } from '../../sql/index.js';
import { fromRow, type ResourceRow, type StoredVersion } from '../../storage/index.js';
import { tableOf, type CompileContext, type ResolvedParameter } from '../compile-context.js';
import { keyExpression } from '../parameters/key-expressions.js';
import { referenceKeysCondition, referenceTargets } from '../parameters/reference-type.js';
import { resolveParameter } from '../resolve-parameter.js';
import { andVisible, rowCondition } from '../row-condition.js';
import { searchErrors } from '../search-errors.js';
import type { IncludeRequest } from '../search-request.js';

const MAX_ITERATIONS = 4;

const badInclude = (detail: string, text: string) => searchErrors['search.bad-include']({ detail }, { expression: text });

const keyOf = (version: StoredVersion): string => `${version.resource.resourceType}/${version.resource.id}`;

function referenceParameters(cc: CompileContext, resourceType: string, code: string, text: string): ResolvedParameter[] {
  if (code === '*') {
    return [...cc.search.model.searchParameters.forType(resourceType).values()]
      .filter((definition) => definition.type === 'reference')
      .flatMap((definition) => { try { return [resolveParameter(cc, resourceType, definition.code)]; } catch { return []; } });
  }
  const parameter = resolveParameter(cc, resourceType, code, text);
  if (parameter.definition.type !== 'reference') throw badInclude(`${code} in ${text} is not a reference parameter`, text);
  return [parameter];
}

/** The rows of one type with the ids, those the caller may see. */
function rowsById(cc: CompileContext, type: string, ids: Set<string>): Sql {
  const table = ident(tableOf(cc, type) as string);
  const alias = cc.nextAlias();
  const visible = rowCondition(cc, { resourceType: type, alias });
  if (!visible) return sql`
    SELECT id, txid, ts, resource_type, status, resource FROM ${table} WHERE id = ANY(${[...ids]}::text[])`;
  return sql`
    SELECT id, txid, ts, resource_type, status, resource FROM ${table} AS ${raw(alias)} WHERE ${raw(alias)}.id = ANY(${[...ids]}::text[]) AND ${visible}`;
}

async function fetchByKeys(cc: CompileContext, db: Queryable, keys: Map<string, Set<string>>): Promise<StoredVersion[]> {
  const selects = [...keys].filter(([type]) => tableOf(cc, type)).map(([type, ids]) => rowsById(cc, type, ids));
  if (selects.length === 0) return [];
  const { rows } = await db.query<ResourceRow>(join(selects, ' UNION ALL '));
  return rows.map(fromRow);
}

/** _include: the targets of the sources' references through the parameter(s). */
async function forward(cc: CompileContext, db: Queryable, request: IncludeRequest, sources: StoredVersion[]): Promise<StoredVersion[]> {
  const byType = new Map<string, Set<string>>();
  const types = new Set(sources.map((source) => source.resource.resourceType));
  for (const type of types) {
    if (request.sourceType !== '*' && request.sourceType !== type) continue;
    const ids = sources.filter((source) => source.resource.resourceType === type).map((source) => source.resource.id as string);
    for (const parameter of referenceParameters(cc, type, request.code, request.text)) {
      const targets = request.targetType ? [request.targetType] : referenceTargets(cc, parameter);
      const keys = keyExpression('flint_reference_keys', 's.resource', parameter.paths);
      const { rows } = await db.query<{ k: string }>(sql`SELECT DISTINCT k FROM ${ident(tableOf(cc, type) as string)} AS s, unnest(${keys}) AS k WHERE s.id = ANY(${ids}::text[])`);
      for (const { k } of rows) {
        const key = parseReference(k);
        if (key?.kind !== 'relative' || key.versionId || !targets.includes(key.resourceType as string)) continue;
        const ids = byType.get(key.resourceType as string) ?? new Set<string>();
        byType.set(key.resourceType as string, ids.add(key.id as string));
      }
    }
  }
  return fetchByKeys(cc, db, byType);
}

/** The rows of one type whose references through any of its reference parameters name one of the keys. */
function referringRows(cc: CompileContext, resourceType: string, table: string, keys: string[]): Sql | undefined {
  const conditions = referenceParameters(cc, resourceType, '*', '*').flatMap((parameter) => {
    const targets = referenceTargets(cc, parameter);
    const named = keys.filter((key) => targets.includes(key.split('/')[0]));
    return named.length > 0 ? [referenceKeysCondition('s.resource', parameter, named)] : [];
  });
  if (conditions.length === 0) return undefined;
  const visible = rowCondition(cc, { resourceType, alias: 's' });
  const referring = visible ? sql`(${join(conditions, ' OR ')}) AND ${visible}` : join(conditions, ' OR ');
  return sql`SELECT id, txid, ts, resource_type, status, resource FROM ${ident(table)} AS s WHERE ${referring}`;
}

/** _revinclude=*: the resources of every served type that refer to the matches, in one query. */
async function reverseAll(cc: CompileContext, db: Queryable, matches: StoredVersion[]): Promise<StoredVersion[]> {
  const keys = [...new Set(matches.map(keyOf))];
  if (keys.length === 0) return [];
  const selects = cc.search.storages.allStorages()
    .flatMap((storage) => referringRows(cc, storage.resourceType, storage.table, keys) ?? []);
  if (selects.length === 0) return [];
  const { rows } = await db.query<ResourceRow>(join(selects, ' UNION ALL '));
  return rows.map(fromRow);
}

/** _revinclude: the resources of the source type whose references point at the matches. */
async function reverse(cc: CompileContext, db: Queryable, request: IncludeRequest, matches: StoredVersion[]): Promise<StoredVersion[]> {
  if (request.sourceType === '*') return reverseAll(cc, db, matches);
  const table = tableOf(cc, request.sourceType);
  if (!table) return [];
  const found: StoredVersion[] = [];
  for (const parameter of referenceParameters(cc, request.sourceType, request.code, request.text)) {
    const targets = request.targetType ? [request.targetType] : referenceTargets(cc, parameter);
    const keys = matches.map(keyOf).filter((key) => targets.includes(key.split('/')[0]));
    if (keys.length === 0) continue;
    const referring = andVisible(cc, { resourceType: request.sourceType, alias: 's' }, referenceKeysCondition('s.resource', parameter, keys));
    const { rows } = await db.query<ResourceRow>(sql`SELECT id, txid, ts, resource_type, status, resource FROM ${ident(table)} AS s
      WHERE ${referring}`);
    found.push(...rows.map(fromRow));
  }
  return found;
}

function addNew(seen: Set<string>, target: StoredVersion[], found: StoredVersion[]): StoredVersion[] {
  const added = found.filter((version) => !seen.has(keyOf(version)));
  for (const version of added) {
    seen.add(keyOf(version));
    target.push(version);
  }
  return added;
}

/** Checks every _include and _revinclude names a served type and a reference parameter of it (400 otherwise). */
export function checkIncludes(cc: CompileContext, requests: IncludeRequest[]): void {
  for (const request of requests) {
    if (request.sourceType === '*') continue;
    if (!tableOf(cc, request.sourceType)) throw badInclude(`${request.text}: ${request.sourceType} is not a served resource type`, request.text);
    if (request.targetType && !cc.search.model.isResourceType(request.targetType)) {
      throw badInclude(`${request.text}: ${request.targetType} is not a resource type`, request.text);
    }
    referenceParameters(cc, request.sourceType, request.code, request.text);
  }
}

export async function loadIncludes(cc: CompileContext, db: Queryable, requests: IncludeRequest[], matches: StoredVersion[]): Promise<StoredVersion[]> {
  const seen = new Set(matches.map(keyOf));
  const included: StoredVersion[] = [];
  const run = (request: IncludeRequest, sources: StoredVersion[]) => (request.reverse ? reverse(cc, db, request, sources) : forward(cc, db, request, sources));
  for (const request of requests.filter((candidate) => !candidate.iterate)) addNew(seen, included, await run(request, matches));
  let latest = included.slice();
  const iterating = requests.filter((request) => request.iterate);
  for (let round = 0; round < MAX_ITERATIONS && iterating.length > 0; round++) {
    const sources = round === 0 ? [...matches, ...latest] : latest;
    const added: StoredVersion[] = [];
    for (const request of iterating) added.push(...addNew(seen, included, await run(request, sources)));
    if (added.length === 0) break;
    latest = added;
  }
  return included;
}

