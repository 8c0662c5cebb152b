/**
 * Row rules (core/row-rules.ts) as SQL: the condition a table alias of one type must meet for the
 * caller to see or write a row. Criteria compile as a strict search of the type, a compartment as
 * compartment search does (compartment-condition.ts), any/every as OR/AND, none as FALSE, and
 * all as no condition at all (so a request without rules runs the SQL it always did). A rule's own
 * criteria are the policy author's: they compile without row rules, never recursively. The search
 * compiler adds the condition to every table it reads (the searched types, chain and _has
 * subqueries, _list, includes); the engine's other reads take it from visibleCondition.
 */
import { narrowsType, type QueryParams, type RowRule, type RowRules } from '../core/index.js';
import { raw, type Sql } from '../sql/index.js';
import { createCompileContext, type CompileContext, type ResourceScope } from './compile-context.js';
import { compartmentCondition } from './compartment-condition.js';
import type { SearchContext } from './search-context.js';
import { parseSearch } from './search-request.js';
import { compileWhere } from './search-where.js';
import { allOf, anyOf } from './sql-logic.js';

const FALSE = raw('FALSE');

function criteriaCondition(cc: CompileContext, query: QueryParams, scope: ResourceScope): Sql | undefined {
  const { filters } = parseSearch(query, cc.search.limits.maxTerms);
  if (filters.length === 0) return undefined;
  return compileWhere(cc, scope, filters, 'strict').where;
}

/** The conditions of several rules; undefined stands for a rule that allows every row. */
function conditionsOf(cc: CompileContext, rules: readonly RowRule[], scope: ResourceScope): (Sql | undefined)[] {
  return rules.map((rule) => ruleCondition(cc, rule, scope));
}

/** One rule on one scope: undefined when it allows every row. cc must carry no rows (see withoutRows). */
export function ruleCondition(cc: CompileContext, rule: RowRule, scope: ResourceScope): Sql | undefined {
  switch (rule.kind) {
    case 'all': return undefined;
    case 'none': return FALSE;
    case 'criteria': return criteriaCondition(cc, rule.query, scope);
    case 'compartment':
      return compartmentCondition(cc, scope.resourceType, scope.alias, { type: rule.compartment, id: rule.id }) ?? FALSE;
    case 'any': {
      const conditions = conditionsOf(cc, rule.rules, scope);
      return conditions.includes(undefined) ? undefined : anyOf(conditions as Sql[]);
    }
    case 'every': {
      const conditions = conditionsOf(cc, rule.rules, scope).filter((condition): condition is Sql => condition !== undefined);
      return conditions.length === 0 ? undefined : allOf(conditions);
    }
  }
}

/** The same compilation without row rules: what a rule's own criteria compile in. */
function withoutRows(cc: CompileContext): CompileContext {
  const { rows: _rows, ...rest } = cc;
  return rest;
}

/** The caller's rule for the scope's type in the search being compiled; undefined when it narrows nothing. */
export function rowCondition(cc: CompileContext, scope: ResourceScope): Sql | undefined {
  if (!narrowsType(cc.rows, scope.resourceType)) return undefined;
  return ruleCondition(withoutRows(cc), (cc.rows as RowRules).forType(scope.resourceType), scope);
}

/** condition AND the scope's row rule, or condition as it is when the rule narrows nothing. */
export function andVisible(cc: CompileContext, scope: ResourceScope, condition: Sql): Sql {
  const visible = rowCondition(cc, scope);
  return visible ? allOf([condition, visible]) : condition;
}

/**
 * The condition a row of the type under `alias` must meet for a caller with these rules to see or
 * write it, for reads outside search (read, vread, history, writes, $run); undefined when the rules
 * narrow nothing. Its subqueries' aliases start with `<alias>_rule`, apart from the statement's own.
 */
export function visibleCondition(
  ctx: SearchContext, rows: RowRules | undefined, resourceType: string, alias: string, baseUrl = '',
): Sql | undefined {
  if (!narrowsType(rows, resourceType)) return undefined;
  const cc = createCompileContext(ctx, baseUrl, undefined, `${alias}_rule`);
  return ruleCondition(cc, (rows as RowRules).forType(resourceType), { resourceType, alias });
}
