/**
 * Chained parameters (subject:Patient.name=x, several levels deep) and reverse chaining
 * (_has:Observation:patient:code=x, nested) (http://hl7.org/fhir/R4/search.html#chaining, #has).
 * A chain becomes the set of Type/id keys of the resources the rest of the chain matches, looked up
 * in the reference keys (GIN); _has becomes the ids the other type's references point to.
 */
import { invalid } from '../core/index.js';
import { ident, join, raw, sql, type Sql } from '../sql/index.js';
import type { CompileContext, ResourceScope } from './compile-context.js';
import { documentOf, tableOf } from './compile-context.js';
import { keyExpression } from './key-expressions.js';
import { referenceKeysCondition, referenceTargets } from './reference-condition.js';
import { findParameter, resolveParameter } from './resolve-parameter.js';
import { parseFilterName, type SearchFilter } from './search-request.js';

export type FilterCompiler = (cc: CompileContext, scope: ResourceScope, filter: SearchFilter) => Sql;

function notReference(param: string, code: string): never {
  throw invalid('search.bad-chain', `${code} in ${param} is not a reference parameter`, { expression: param });
}

export function chainCondition(cc: CompileContext, scope: ResourceScope, filter: SearchFilter, compileFilter: FilterCompiler): Sql {
  const parameter = resolveParameter(cc, scope.resourceType, filter.code, filter.param);
  if (parameter.definition.type !== 'reference') notReference(filter.param, filter.code);
  const [next, ...rest] = filter.chain ?? [];
  const candidates = filter.modifier ? [filter.modifier] : referenceTargets(cc, parameter);
  const targets = candidates.filter((type) => tableOf(cc, type) && findParameter(cc, type, next.code));
  if (targets.length === 0) {
    throw invalid('search.unknown-parameter', `No target type of ${filter.code} has a search parameter "${next.code}"`, { expression: filter.param });
  }
  const selects = targets.map((type) => {
    const alias = cc.nextAlias();
    const inner: SearchFilter = { param: filter.param, code: next.code, modifier: next.modifier, values: filter.values, ...(rest.length > 0 ? { chain: rest } : {}) };
    const condition = compileFilter(cc, { resourceType: type, alias }, inner);
    // A local reference may be stored relative or absolute with this server's base.
    return sql`SELECT k FROM ${ident(tableOf(cc, type) as string)} AS ${raw(alias)},
      unnest(ARRAY[${`${type}/`}::text || ${raw(alias)}.id, ${`${cc.baseUrl}/${type}/`}::text || ${raw(alias)}.id]) AS k WHERE ${condition}`;
  });
  return referenceKeysCondition(documentOf(scope), parameter, sql`ARRAY(${join(selects, ' UNION ALL ')})`);
}

/** _has:Type:reference:rest (rest may be another _has). */
function parseHas(filter: SearchFilter): { type: string; reference: string; inner: Omit<SearchFilter, 'values' | 'param'> } {
  const [, type, reference, ...rest] = filter.param.split(':');
  const remainder = rest.join(':');
  if (!type || !reference || !remainder) {
    throw invalid('search.bad-has', `_has takes _has:Type:reference:parameter, not "${filter.param}"`, { expression: filter.param });
  }
  return { type, reference, inner: remainder.startsWith('_has:') ? { code: '_has' } : parseFilterName(remainder) };
}

export function hasCondition(cc: CompileContext, scope: ResourceScope, filter: SearchFilter, compileFilter: FilterCompiler): Sql {
  const { type, reference, inner } = parseHas(filter);
  const table = tableOf(cc, type);
  if (!table) throw invalid('search.bad-has', `Resource type ${type} in ${filter.param} is not served`, { expression: filter.param });
  const parameter = resolveParameter(cc, type, reference, filter.param);
  if (parameter.definition.type !== 'reference') notReference(filter.param, reference);
  if (!referenceTargets(cc, parameter).includes(scope.resourceType)) {
    throw invalid('search.bad-has', `${type}.${reference} does not refer to ${scope.resourceType}`, { expression: filter.param });
  }
  const alias = cc.nextAlias();
  const innerParam = filter.param.split(':').slice(3).join(':');
  const condition = compileFilter(cc, { resourceType: type, alias }, { ...inner, param: innerParam, values: filter.values });
  const prefix = `${scope.resourceType}/`;
  const absolute = `${cc.baseUrl}/${prefix}`;
  const keys = keyExpression('flint_reference_keys', `${alias}.resource`, parameter.paths);
  const id = sql`CASE WHEN starts_with(k, ${prefix}) THEN substr(k, ${prefix.length + 1}) ELSE substr(k, ${absolute.length + 1}) END`;
  return sql`${raw(scope.alias)}.id IN (SELECT ${id} FROM ${ident(table)} AS ${raw(alias)}, unnest(${keys}) AS k
    WHERE (starts_with(k, ${prefix}) OR starts_with(k, ${absolute})) AND ${condition})`;
}
