/**
 * FHIRPath operators in SQL (https://hl7.org/fhirpath/N1/#operations): equality, comparison,
 * boolean logic (FHIRPath's three-valued logic is SQL's, with empty as NULL), arithmetic and string
 * concatenation. Operands are typed statically: strings compare by code point (COLLATE "C"),
 * numbers as numeric, dates and times by fhir.fp_compare() (empty when precisions differ), other
 * values as JSON. Comparing values of different kinds is a type mismatch; equivalence (~),
 * union (|), in and contains are not supported.
 */
import { raw, sql, type Sql } from '../../sql/index.js';
import type { BinaryOperator } from '../../fhirpath/index.js';
import { expressionError } from '../sof-errors.js';
import type { ExpressionContext } from './expression-context.js';
import { systemType, type ValueClass } from './fhir-types.js';
import { settle } from './navigation.js';
import { classOf, expectClass, isNumeric, isTemporal, single } from './singletons.js';
import { emptyOne, one, oneAs, toArray, type One, type Value } from './values.js';

type Kind = 'string' | 'number' | 'boolean' | 'temporal' | 'json';

const boolean = [systemType('Boolean')];

function comparisonKind(ctx: ExpressionContext, left: Value, right: Value, operator: string): Kind | undefined {
  const a = classOf(ctx, left);
  const b = classOf(ctx, right);
  if (a === undefined || b === undefined) return undefined;
  if (a === 'quantity' || b === 'quantity') {
    throw expressionError('sof.unsupported', `'${operator}' on quantities is not supported`, ctx.site);
  }
  if (a === 'mixed' || b === 'mixed') return 'json';
  if (a === b && a === 'string') return 'string';
  if (isNumeric(a) && isNumeric(b)) return 'number';
  if (a === b && a === 'boolean') return 'boolean';
  if ((a === 'time') === (b === 'time') && isTemporal(a) && isTemporal(b)) return 'temporal';
  if (a === b && (a === 'object' || a === 'resource')) return 'json';
  throw expressionError('sof.type-mismatch', `cannot compare ${a} with ${b} using '${operator}'`, ctx.site);
}

function typedEquals(kind: Kind, a: One, b: One): Sql {
  switch (kind) {
    case 'string': return sql`(${oneAs(a, 'text')} = ${oneAs(b, 'text')})`;
    case 'number': return sql`(${oneAs(a, 'numeric')} = ${oneAs(b, 'numeric')})`;
    case 'boolean': return sql`(${oneAs(a, 'boolean')} = ${oneAs(b, 'boolean')})`;
    case 'temporal': return sql`(fhir.fp_compare(${oneAs(a, 'text')}, ${oneAs(b, 'text')}) = 0)`;
    case 'json': return sql`(${oneAs(a, 'jsonb')} = ${oneAs(b, 'jsonb')})`;
  }
}

/** Collection equality: empty if either is empty, item by item otherwise (typed when both are single). */
function collectionEquals(ctx: ExpressionContext, kind: Kind, left: Value, right: Value): Sql {
  const l = settle(left);
  const r = settle(right);
  if (l.card === 'one' && r.card === 'one') return typedEquals(kind, l, r);
  const alias = ctx.aliases.take('q');
  const a = sql`${alias}.a`;
  const b = sql`${alias}.b`;
  const first = (array: Sql, types: One['types']): One => ({ card: 'one', sql: sql`(${array} -> 0)`, repr: 'jsonb', types });
  return sql`(SELECT CASE WHEN jsonb_array_length(${a}) = 0 OR jsonb_array_length(${b}) = 0 THEN NULL
    WHEN jsonb_array_length(${a}) = 1 AND jsonb_array_length(${b}) = 1 THEN ${typedEquals(kind, first(a, l.types), first(b, r.types))}
    ELSE ${a} = ${b} END FROM (SELECT ${toArray(l)} AS a, ${toArray(r)} AS b) AS ${alias})`;
}

function compare(ctx: ExpressionContext, operator: '<' | '>' | '<=' | '>=', left: Value, right: Value): One {
  const kind = comparisonKind(ctx, left, right, operator);
  if (kind === undefined) return emptyOne(boolean, 'boolean');
  const a = single(left);
  const b = single(right);
  const op = raw(operator);
  switch (kind) {
    case 'string': return one(sql`((${oneAs(a, 'text')} COLLATE "C") ${op} ${oneAs(b, 'text')})`, 'boolean', boolean);
    case 'number': return one(sql`(${oneAs(a, 'numeric')} ${op} ${oneAs(b, 'numeric')})`, 'boolean', boolean);
    case 'temporal': return one(sql`(fhir.fp_compare(${oneAs(a, 'text')}, ${oneAs(b, 'text')}) ${op} 0)`, 'boolean', boolean);
    default: throw expressionError('sof.type-mismatch', `'${operator}' does not order ${kind} values`, ctx.site);
  }
}

function logic(ctx: ExpressionContext, operator: 'and' | 'or' | 'xor' | 'implies', left: Value, right: Value): One {
  expectClass(ctx, left, ['boolean'], `'${operator}'`);
  expectClass(ctx, right, ['boolean'], `'${operator}'`);
  const a = oneAs(single(left), 'boolean');
  const b = oneAs(single(right), 'boolean');
  const text = {
    and: sql`(${a} AND ${b})`, or: sql`(${a} OR ${b})`, xor: sql`(${a} <> ${b})`, implies: sql`(NOT ${a} OR ${b})`,
  }[operator];
  return one(text, 'boolean', boolean);
}

function numberType(a: ValueClass | undefined, b: ValueClass | undefined, operator: string) {
  const integral = a === 'integer' && b === 'integer' && operator !== '/';
  return [systemType(integral ? 'Integer' : 'Decimal')];
}

function arithmetic(ctx: ExpressionContext, operator: '+' | '-' | '*' | '/' | 'div' | 'mod', left: Value, right: Value): One {
  const allowed: ValueClass[] = operator === '+' ? ['integer', 'decimal', 'string'] : ['integer', 'decimal'];
  const a = expectClass(ctx, left, allowed, `'${operator}'`);
  const b = expectClass(ctx, right, allowed, `'${operator}'`);
  if (a === undefined || b === undefined) return emptyOne([], 'numeric');
  if ((a === 'string') !== (b === 'string')) throw expressionError('sof.type-mismatch', `cannot add ${a} and ${b}`, ctx.site);
  if (a === 'string') return one(sql`(${oneAs(single(left), 'text')} || ${oneAs(single(right), 'text')})`, 'text', [systemType('String')]);
  const x = oneAs(single(left), 'numeric');
  const y = oneAs(single(right), 'numeric');
  const text = {
    '+': sql`(${x} + ${y})`, '-': sql`(${x} - ${y})`, '*': sql`(${x} * ${y})`,
    '/': sql`trim_scale(${x} / NULLIF(${y}, 0))`, div: sql`div(${x}, NULLIF(${y}, 0))`, mod: sql`mod(${x}, NULLIF(${y}, 0))`,
  }[operator];
  return one(text, 'numeric', numberType(a, b, operator));
}

function concatenate(ctx: ExpressionContext, left: Value, right: Value): One {
  expectClass(ctx, left, ['string'], "'&'");
  expectClass(ctx, right, ['string'], "'&'");
  const text = (value: Value): Sql => (settle(value).types.length === 0 ? sql`''` : sql`coalesce(${oneAs(single(value), 'text')}, '')`);
  return one(sql`(${text(left)} || ${text(right)})`, 'text', [systemType('String')]);
}

export function compileBinary(ctx: ExpressionContext, operator: BinaryOperator, left: Value, right: Value): One {
  switch (operator) {
    case '=': case '!=': {
      const kind = comparisonKind(ctx, left, right, operator);
      if (kind === undefined) return emptyOne(boolean, 'boolean');
      const equals = collectionEquals(ctx, kind, left, right);
      return one(operator === '=' ? equals : sql`(NOT ${equals})`, 'boolean', boolean);
    }
    case '<': case '>': case '<=': case '>=': return compare(ctx, operator, left, right);
    case 'and': case 'or': case 'xor': case 'implies': return logic(ctx, operator, left, right);
    case '+': case '-': case '*': case '/': case 'div': case 'mod': return arithmetic(ctx, operator, left, right);
    case '&': return concatenate(ctx, left, right);
    default: throw expressionError('sof.unsupported', `the '${operator}' operator is not supported in views`, ctx.site);
  }
}

export function compileNegation(ctx: ExpressionContext, operand: Value): One {
  const valueClass = expectClass(ctx, operand, ['integer', 'decimal'], "unary '-'");
  if (valueClass === undefined) return emptyOne([], 'numeric');
  return one(sql`(- ${oneAs(single(operand), 'numeric')})`, 'numeric', settle(operand).types);
}
