/**
 * Chained parameters (subject:Patient.name=x, several levels deep) and reverse chaining
 * (_has:Observation:patient:code=x, nested) (http://hl7.org/fhir/R4/search.html#chaining, #has).
 * A chain becomes the set of Type/id keys of the resources the rest of the chain matches, looked up
 * in the reference keys (GIN), or, for many targets, a probe of each candidate's references by
 * the targets' primary key (the number counted first, chain-targets.ts); _has becomes the ids the
 * other type's references point to. The rows a chain or _has reads are narrowed by the caller's
 * row rule of their type (row-condition.ts), or a hidden resource would still be matched through.
 */
import { ident, join, raw, sql, type Sql } from '../../sql/index.js';
import type { CompileContext, ResolvedParameter, ResourceScope } from '../compile-context.js';
import { documentOf, tableOf } from '../compile-context.js';
import { keyExpression } from '../parameters/key-expressions.js';
import { referenceKeysCondition, referenceTargets } from '../parameters/reference-type.js';
import { findParameter, resolveParameter } from '../resolve-parameter.js';
import { andVisible } from '../row-condition.js';
import { searchErrors } from '../search-errors.js';
import { parseFilterName, type SearchFilter } from '../search-request.js';

export type FilterCompiler = (cc: CompileContext, scope: ResourceScope, filter: SearchFilter) => Sql;

function notReference(param: string, code: string): never {
  throw searchErrors['search.bad-chain']({ code, param }, { expression: param });
}

interface ChainTarget {
  type: string;
  table: string;
  alias: string;
  /** The rest of the chain on the target table. */
  condition: Sql;
}

/** The chain's reference parameter and, per target type that has the next parameter, the rest of the chain on it. */
function chainTargets(cc: CompileContext, scope: ResourceScope, filter: SearchFilter, compileFilter: FilterCompiler): { parameter: ResolvedParameter; targets: ChainTarget[] } {
  const parameter = resolveParameter(cc, scope.resourceType, filter.code, filter.param);
  if (parameter.definition.type !== 'reference') notReference(filter.param, filter.code);
  const [next, ...rest] = filter.chain ?? [];
  const candidates = filter.modifier ? [filter.modifier] : referenceTargets(cc, parameter);
  const types = candidates.filter((type) => tableOf(cc, type) && findParameter(cc, type, next.code));
  if (types.length === 0) {
    throw searchErrors['search.unknown-parameter']({ detail: `No target type of ${filter.code} has a search parameter "${next.code}"` }, { expression: filter.param });
  }
  const targets = types.map((type) => {
    const alias = cc.nextAlias();
    const inner: SearchFilter = { param: filter.param, code: next.code, modifier: next.modifier, values: filter.values, ...(rest.length > 0 ? { chain: rest } : {}) };
    const scope = { resourceType: type, alias };
    return { type, table: tableOf(cc, type) as string, alias, condition: andVisible(cc, scope, compileFilter(cc, scope, inner)) };
  });
  return { parameter, targets };
}

/** The SELECT of the keys (Type/id, relative and absolute) of the resources the rest of a chain matches. */
export function chainTargetKeys(cc: CompileContext, scope: ResourceScope, filter: SearchFilter, compileFilter: FilterCompiler): { parameter: ResolvedParameter; keys: Sql } {
  const { parameter, targets } = chainTargets(cc, scope, filter, compileFilter);
  // A local reference may be stored relative or absolute with this server's base.
  const selects = targets.map(({ type, table, alias, condition }) => sql`SELECT k FROM ${ident(table)} AS ${raw(alias)},
      unnest(ARRAY[${`${type}/`}::text || ${raw(alias)}.id, ${`${cc.baseUrl}/${type}/`}::text || ${raw(alias)}.id]) AS k WHERE ${condition}`);
  return { parameter, keys: join(selects, ' UNION ALL ') };
}

/**
 * Each of the resource's reference keys probed against the targets: the id a key names (relative
 * Type/id or absolute with this server's base) looked up by primary key and the rest of the chain
 * tested on that one resource. The same matches as the key array.
 */
function targetProbe(cc: CompileContext, document: string, parameter: ResolvedParameter, targets: ChainTarget[]): Sql {
  const key = raw(`${cc.nextAlias()}_key`);
  const probes = targets.map(({ type, table, alias, condition }) => {
    const relative = `${type}/`;
    const absolute = `${cc.baseUrl}/${type}/`;
    const id = sql`CASE WHEN starts_with(${key}, ${relative}) THEN substr(${key}, ${relative.length + 1})
      WHEN starts_with(${key}, ${absolute}) THEN substr(${key}, ${absolute.length + 1}) END`;
    return sql`EXISTS (SELECT 1 FROM ${ident(table)} AS ${raw(alias)} WHERE ${raw(alias)}.id = ${id} AND ${condition})`;
  });
  return sql`EXISTS (SELECT 1 FROM unnest(${keyExpression('flint_reference_keys', document, parameter.paths)}) AS ${key} WHERE ${join(probes, ' OR ')})`;
}

/**
 * A chain as a condition, by the number of its targets (counted before compiling, chain-targets.ts).
 * Few targets are an array of their keys the reference index looks up: GIN's overlap test costs
 * the matches times the keys, so only while the keys are few. The counted keys enter as an
 * InitPlan (ARRAY(SELECT unnest($n))), which PostgreSQL plans as any key subquery: bound as a
 * plain array they let it estimate the matches well enough to walk the primary key instead, past
 * whole patients' runs of ids (seconds at 300 targets). Many targets are a probe per candidate
 * (targetProbe): the search walks its own order and stops at the page's end, its cost set by how
 * many candidates it reads, not by the number of targets. Chains not counted (inside _filter,
 * below another chain) are key arrays of a subquery.
 */
export function chainCondition(cc: CompileContext, scope: ResourceScope, filter: SearchFilter, compileFilter: FilterCompiler): Sql {
  const document = documentOf(scope);
  const counted = cc.chainTargets.get(filter)?.get(scope.resourceType);
  if (counted === 'many') {
    const { parameter, targets } = chainTargets(cc, scope, filter, compileFilter);
    return targetProbe(cc, document, parameter, targets);
  }
  if (counted) {
    const parameter = resolveParameter(cc, scope.resourceType, filter.code, filter.param);
    return referenceKeysCondition(document, parameter, sql`ARRAY(SELECT unnest(${counted.few}::text[]))`);
  }
  const { parameter, keys } = chainTargetKeys(cc, scope, filter, compileFilter);
  return referenceKeysCondition(document, parameter, sql`ARRAY(${keys})`);
}

const badHas = (detail: string, filter: SearchFilter) => searchErrors['search.bad-has']({ detail }, { expression: filter.param });

/** _has:Type:reference:rest (rest may be another _has). */
function parseHas(filter: SearchFilter): { type: string; reference: string; inner: Omit<SearchFilter, 'values' | 'param'> } {
  const [, type, reference, ...rest] = filter.param.split(':');
  const remainder = rest.join(':');
  if (!type || !reference || !remainder) {
    throw badHas(`_has takes _has:Type:reference:parameter, not "${filter.param}"`, filter);
  }
  return { type, reference, inner: remainder.startsWith('_has:') ? { code: '_has' } : parseFilterName(remainder) };
}

export function hasCondition(cc: CompileContext, scope: ResourceScope, filter: SearchFilter, compileFilter: FilterCompiler): Sql {
  const { type, reference, inner } = parseHas(filter);
  const table = tableOf(cc, type);
  if (!table) throw badHas(`Resource type ${type} in ${filter.param} is not served`, filter);
  const parameter = resolveParameter(cc, type, reference, filter.param);
  if (parameter.definition.type !== 'reference') notReference(filter.param, reference);
  if (!referenceTargets(cc, parameter).includes(scope.resourceType)) {
    throw badHas(`${type}.${reference} does not refer to ${scope.resourceType}`, filter);
  }
  const alias = cc.nextAlias();
  const innerParam = filter.param.split(':').slice(3).join(':');
  const hasScope = { resourceType: type, alias };
  const condition = andVisible(cc, hasScope, compileFilter(cc, hasScope, { ...inner, param: innerParam, values: filter.values }));
  const prefix = `${scope.resourceType}/`;
  const absolute = `${cc.baseUrl}/${prefix}`;
  const keys = keyExpression('flint_reference_keys', `${alias}.resource`, parameter.paths);
  const id = sql`CASE WHEN starts_with(k, ${prefix}) THEN substr(k, ${prefix.length + 1}) ELSE substr(k, ${absolute.length + 1}) END`;
  return sql`${raw(scope.alias)}.id IN (SELECT ${id} FROM ${ident(table)} AS ${raw(alias)}, unnest(${keys}) AS k
    WHERE (starts_with(k, ${prefix}) OR starts_with(k, ${absolute})) AND ${condition})`;
}
