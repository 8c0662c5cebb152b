/**
 * FHIRPath's singleton evaluation (https://hl7.org/fhirpath/N1/#singleton-evaluation-of-collections)
 * and the static value class of an operand. An operand that may hold several items is reduced by
 * fhir.fp_singleton(), which fails the query when it meets more than one (a view runs over data
 * that may break what its author expected; FHIRPath says that is an error).
 */
import { quoteLiteral, raw, sql } from '../../sql/index.js';
import { expressionError } from '../sof-errors.js';
import type { ExpressionContext } from './expression-context.js';
import { valueClasses, type ValueClass } from './fhir-types.js';
import { settle } from './navigation.js';
import { toArray, type One, type Value } from './values.js';

/**
 * The value as one item (NULL when empty); more than one item fails at run time, naming `column`
 * when the value is a column's (SQLSTATE SOF01, see sql-api/fhir-functions.ts).
 */
export function single(value: Value, column?: string): One {
  const settled = settle(value);
  if (settled.card === 'one') return settled;
  const name = column === undefined ? sql`NULL` : raw(quoteLiteral(column));
  return { card: 'one', sql: sql`fhir.fp_singleton(${toArray(settled)}, ${name})`, repr: 'jsonb', types: settled.types };
}

/**
 * The one value class of an operand, or undefined when it is the empty collection ({}). An
 * operand whose type is not decided (a choice element read without ofType()) is 'mixed'.
 */
export function classOf(ctx: ExpressionContext, value: Value): ValueClass | 'mixed' | undefined {
  const settled = settle(value);
  if (settled.types.length === 0) return undefined;
  const classes = valueClasses(ctx.model, settled.types);
  return classes.length === 1 ? classes[0] : 'mixed';
}

/** Fails with sof.type-mismatch unless the operand is of one of the allowed classes (or empty). */
export function expectClass(ctx: ExpressionContext, value: Value, allowed: ValueClass[], what: string): ValueClass | undefined {
  const found = classOf(ctx, value);
  if (found === undefined) return undefined;
  if (found === 'mixed' || !allowed.includes(found)) {
    const types = settle(value).types.map((type) => type.name).join(' | ');
    throw expressionError('sof.type-mismatch', `${what} needs ${allowed.join(' or ')}, not ${types}`, ctx.site);
  }
  return found;
}

export const isNumeric = (valueClass: ValueClass | 'mixed' | undefined): boolean => valueClass === 'integer' || valueClass === 'decimal';
export const isTemporal = (valueClass: ValueClass | 'mixed' | undefined): boolean =>
  valueClass === 'date' || valueClass === 'dateTime' || valueClass === 'time';
