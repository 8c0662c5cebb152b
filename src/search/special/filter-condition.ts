/**
 * _filter (http://hl7.org/fhir/R4/search_filter.html): the parsed expression compiled into one
 * condition. Each test becomes an ordinary filter (a prefix for dates, numbers and quantities, a
 * modifier for co, sw, ne on tokens and pr), so _filter shares every type's semantics and indexes.
 */
import { invalid } from '../../core/index.js';
import { sql, type Sql } from '../../sql/index.js';
import type { CompileContext, ResourceScope } from '../compile-context.js';
import { documentOf } from '../compile-context.js';
import { parseFilter, type FilterExpression, type FilterPath } from './filter-expression.js';
import { keyExpression } from '../parameters/key-expressions.js';
import { referenceTargets } from '../parameters/reference-condition.js';
import { findParameter, resolveParameter } from '../resolve-parameter.js';
import type { ChainStep, SearchFilter } from '../search-request.js';
import { allOf, anyOf, not } from '../sql-logic.js';

type FilterCompiler = (cc: CompileContext, scope: ResourceScope, filter: SearchFilter) => Sql;

const PREFIXED_TYPES = new Set(['date', 'number', 'quantity']);
const COMPARISONS = new Set(['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap']);

function steps(path: FilterPath): ChainStep[] {
  return [{ code: path.parameter }, ...(path.chain ? steps(path.chain) : [])];
}

/** The type of the last parameter of a chain (followed through the first target that has the next one). */
function finalType(cc: CompileContext, resourceType: string, chain: ChainStep[]): string {
  let type = resourceType;
  for (let index = 0; index < chain.length - 1; index++) {
    const parameter = resolveParameter(cc, type, chain[index].code, '_filter');
    const next = referenceTargets(cc, parameter).find((target) => findParameter(cc, target, chain[index + 1].code));
    if (!next) throw invalid('search.bad-filter', `_filter: nothing ${chain[index].code} refers to has a parameter ${chain[index + 1].code}`, { expression: '_filter' });
    type = next;
  }
  if (chain[chain.length - 1].code.startsWith('_')) return 'special';
  return resolveParameter(cc, type, chain[chain.length - 1].code, '_filter').definition.type;
}

function unsupported(operator: string, type: string): never {
  throw invalid('search.bad-filter', `_filter: operator ${operator} is not supported on ${type} parameters`, { expression: '_filter' });
}

function asFilter(chain: ChainStep[], modifier: string | undefined, value: string): SearchFilter {
  const [first, ...rest] = chain;
  return { param: '_filter', code: first.code, ...(modifier ? { modifier } : {}), ...(rest.length > 0 ? { chain: rest } : {}), values: [value] };
}

/** String eq and ew compare whole (normalized) values, which the other modifiers cannot say. */
function stringWhole(cc: CompileContext, scope: ResourceScope, code: string, operator: 'eq' | 'ew', value: string): Sql {
  const parameter = resolveParameter(cc, scope.resourceType, code, '_filter');
  const values = keyExpression('flint_string_exact', documentOf(scope), parameter.paths);
  const test = operator === 'eq' ? sql`flint_norm(v) = flint_norm(${value})` : sql`flint_norm(v) LIKE '%' || flint_norm(${value.replace(/[\\%_]/g, (c) => `\\${c}`)})`;
  return sql`EXISTS (SELECT 1 FROM unnest(${values}) AS v WHERE ${test})`;
}

function testCondition(cc: CompileContext, scope: ResourceScope, expression: Extract<FilterExpression, { kind: 'test' }>, compile: FilterCompiler): Sql {
  const chain = steps(expression.path);
  const type = finalType(cc, scope.resourceType, chain);
  const { operator, value } = expression;
  const run = (modifier: string | undefined, text = value) => compile(cc, scope, asFilter(chain, modifier, text));
  if (operator === 'pr') return run('missing', value === 'true' ? 'false' : 'true');
  if (PREFIXED_TYPES.has(type) || (type === 'special' && chain[0].code === '_lastUpdated')) {
    if (!COMPARISONS.has(operator)) unsupported(operator, type);
    return run(undefined, `${operator}${value}`);
  }
  // ne holds for a value that differs: a resource without a value does not match.
  const present = () => run('missing', 'false');
  if (type === 'string' && chain.length === 1) {
    if (operator === 'co') return run('contains');
    if (operator === 'sw') return run(undefined);
    if (operator === 'eq' || operator === 'ew') return stringWhole(cc, scope, chain[0].code, operator, value);
    if (operator === 'ne') return allOf([present(), not(stringWhole(cc, scope, chain[0].code, 'eq', value))]);
  }
  if (operator === 'eq') return run(undefined);
  if (operator === 'ne') return allOf([present(), not(run(undefined))]);
  if (type === 'string' && (operator === 'co' || operator === 'sw')) return run(operator === 'co' ? 'contains' : undefined);
  if (type === 'uri' && (operator === 'sw' || operator === 'sb')) return run('below');
  return unsupported(operator, type);
}

/** The operands of a chain of one connective (a or b or c), gathered without recursion, in order. */
function operands(expression: FilterExpression, kind: 'and' | 'or'): FilterExpression[] {
  const found: FilterExpression[] = [];
  const stack = [expression];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.kind === kind) stack.push(node.right, node.left);
    else found.push(node);
  }
  return found;
}

/** Compiles an expression; a chain of and/or becomes one flat list, so depth follows parentheses only. */
function compileExpression(cc: CompileContext, scope: ResourceScope, expression: FilterExpression, compile: FilterCompiler): Sql {
  const each = (kind: 'and' | 'or') => operands(expression, kind).map((operand) => compileExpression(cc, scope, operand, compile));
  switch (expression.kind) {
    case 'and': return allOf(each('and'));
    case 'or': return anyOf(each('or'));
    case 'not': return not(compileExpression(cc, scope, expression.expression, compile));
    case 'test': return testCondition(cc, scope, expression, compile);
    case 'nested':
      throw invalid('search.bad-filter', '_filter: filters on elements of a parameter (name[...]) are not supported', { expression: '_filter' });
  }
}

export function filterCondition(cc: CompileContext, scope: ResourceScope, filter: SearchFilter, compile: FilterCompiler): Sql {
  if (filter.modifier) throw invalid('search.bad-modifier', '_filter takes no modifier', { expression: filter.param });
  return allOf(filter.values.map((value) => compileExpression(cc, scope, parseFilter(value), compile)));
}
