/**
 * _filter (http://hl7.org/fhir/R4/search_filter.html): the parsed expression compiled into one
 * condition. Each test becomes an ordinary filter (a prefix for dates, numbers and quantities, a
 * modifier for co, sw, ne on tokens and pr), so _filter shares every type's semantics and indexes;
 * what an operator means for a type is the type's (ParameterType.filterTest), eq, ne and pr are
 * common to all.
 */
import type { Sql } from '../../sql/index.js';
import type { CompileContext, ResourceScope } from '../compile-context.js';
import type { FilterOperand } from '../parameters/parameter-type.js';
import { parameterTypeOf } from '../parameters/parameter-types.js';
import { referenceTargets } from '../parameters/reference-type.js';
import { prefixedFilterTest } from '../parameters/value-prefix.js';
import { findParameter, resolveParameter } from '../resolve-parameter.js';
import { searchErrors } from '../search-errors.js';
import type { ChainStep, SearchFilter } from '../search-request.js';
import { allOf, anyOf, not } from '../sql-logic.js';
import { parseFilter, type FilterExpression, type FilterPath } from './filter-expression.js';

type FilterCompiler = (cc: CompileContext, scope: ResourceScope, filter: SearchFilter) => Sql;

const badFilter = (detail: string) => searchErrors['search.bad-filter']({ detail }, { expression: '_filter' });

function steps(path: FilterPath): ChainStep[] {
  return [{ code: path.parameter }, ...(path.chain ? steps(path.chain) : [])];
}

/** The type of the last parameter of a chain (followed through the first target that has the next one). */
function finalType(cc: CompileContext, resourceType: string, chain: ChainStep[]): string {
  let type = resourceType;
  for (let index = 0; index < chain.length - 1; index++) {
    const parameter = resolveParameter(cc, type, chain[index].code, '_filter');
    const next = referenceTargets(cc, parameter).find((target) => findParameter(cc, target, chain[index + 1].code));
    if (!next) throw badFilter(`_filter: nothing ${chain[index].code} refers to has a parameter ${chain[index + 1].code}`);
    type = next;
  }
  if (chain[chain.length - 1].code.startsWith('_')) return 'special';
  return resolveParameter(cc, type, chain[chain.length - 1].code, '_filter').definition.type;
}

function unsupported(operator: string, type: string): never {
  throw badFilter(`_filter: operator ${operator} is not supported on ${type} parameters`);
}

function asFilter(chain: ChainStep[], modifier: string | undefined, value: string): SearchFilter {
  const [first, ...rest] = chain;
  return { param: '_filter', code: first.code, ...(modifier ? { modifier } : {}), ...(rest.length > 0 ? { chain: rest } : {}), values: [value] };
}

/** What the type of the test's last parameter makes of its operators (_lastUpdated compares as a date does). */
function typeFilterTest(type: string, chain: ChainStep[]): ((operand: FilterOperand) => Sql | undefined) | undefined {
  if (type === 'special') return chain[0].code === '_lastUpdated' ? prefixedFilterTest : undefined;
  return parameterTypeOf(type)?.filterTest;
}

function testCondition(cc: CompileContext, scope: ResourceScope, expression: Extract<FilterExpression, { kind: 'test' }>, compile: FilterCompiler): Sql {
  const chain = steps(expression.path);
  const type = finalType(cc, scope.resourceType, chain);
  const { operator, value } = expression;
  const run = (modifier: string | undefined, text = value) => compile(cc, scope, asFilter(chain, modifier, text));
  if (operator === 'pr') return run('missing', value === 'true' ? 'false' : 'true');
  const operand: FilterOperand = {
    cc, scope, operator, value, run, unsupported: () => unsupported(operator, type), ...(chain.length === 1 ? { direct: chain[0].code } : {}),
  };
  const typed = typeFilterTest(type, chain)?.(operand);
  if (typed) return typed;
  if (operator === 'eq') return run(undefined);
  // ne holds for a value that differs: a resource without a value does not match.
  if (operator === 'ne') return allOf([run('missing', 'false'), not(run(undefined))]);
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
      throw badFilter('_filter: filters on elements of a parameter (name[...]) are not supported');
  }
}

export function filterCondition(cc: CompileContext, scope: ResourceScope, filter: SearchFilter, compile: FilterCompiler): Sql {
  if (filter.modifier) throw searchErrors['search.bad-modifier']({ detail: '_filter takes no modifier' }, { expression: filter.param });
  return allOf(filter.values.map((value) => compileExpression(cc, scope, parseFilter(value), compile)));
}
