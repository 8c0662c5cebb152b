/**
 * lowBoundary() and highBoundary() (FHIRPath 3.0, https://build.fhir.org/ig/HL7/FHIRPath/#lowboundaryprecision-integer-decimal--date--datetime--time)
 * in SQL, through the fhir.fp_boundary_* functions: decimals by their precision (1.0 -> 0.95 and
 * 1.05), partial dates, dateTimes and times filled to the millisecond, a dateTime without a time
 * zone taken at +14:00 (low) or -12:00 (high). On a Period, as SQL on FHIR asks: the low boundary
 * of its start and the high boundary of its end. The in-memory runner implements the same rules
 * (memory/boundaries.ts).
 */
import { sql, type Sql } from '../../sql/index.js';
import { expressionError } from '../sof-errors.js';
import type { ExpressionContext } from './expression-context.js';
import { systemType, type FhirType } from './fhir-types.js';
import { expectClass } from './singletons.js';
import { castRepr, jsonKey, type Many, type One, type Repr } from './values.js';

interface Rule {
  fn: Sql;
  input: Repr;
  type: FhirType;
  /** For Period: the element the boundary is taken of. */
  element?: 'start' | 'end';
}

function rule(ctx: ExpressionContext, value: One | Many, side: 'low' | 'high'): Rule {
  if (value.types.length > 0 && value.types.every((type) => type.name === 'Period')) {
    return { fn: sql`fhir.fp_boundary_datetime`, input: 'text', type: systemType('DateTime'), element: side === 'low' ? 'start' : 'end' };
  }
  const valueClass = expectClass(ctx, value, ['decimal', 'integer', 'date', 'dateTime', 'time'], `${side}Boundary()`);
  switch (valueClass) {
    case 'decimal': case 'integer': return { fn: sql`fhir.fp_boundary_decimal`, input: 'numeric', type: systemType('Decimal') };
    case 'date': return { fn: sql`fhir.fp_boundary_date`, input: 'text', type: systemType('Date') };
    case 'dateTime': return { fn: sql`fhir.fp_boundary_datetime`, input: 'text', type: systemType('DateTime') };
    case 'time': return { fn: sql`fhir.fp_boundary_time`, input: 'text', type: systemType('Time') };
    default: throw expressionError('sof.type-mismatch', `${side}Boundary() needs a value`, ctx.site);
  }
}

export function boundary(ctx: ExpressionContext, value: One | Many, side: 'low' | 'high'): One | Many {
  const { fn, input, type, element } = rule(ctx, value, side);
  const low = side === 'low' ? sql`true` : sql`false`;
  const apply = (json: Sql, repr: Repr, nav?: One['nav']): Sql => {
    const argument = element ? sql`(${json} ->> ${jsonKey(element)})` : castRepr(json, repr, input, nav);
    return sql`${fn}(${argument}, ${low})`;
  };
  const repr: Repr = input === 'numeric' ? 'numeric' : 'text';
  if (value.card === 'one') return { card: 'one', sql: apply(value.sql, value.repr, value.nav), repr, types: [type] };
  return { ...value, item: apply(value.item, value.repr), repr, types: [type], nullable: true, array: undefined };
}
