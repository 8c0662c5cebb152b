/**
 * Date search (http://hl7.org/fhir/R4/search.html#date): every prefix against the implicit range of
 * the search value and of each stored date, dateTime, instant, Period and Timing (flint_date_ranges;
 * values without a timezone are UTC). A prefilter on flint_date_envelope (the range covering all of
 * a resource's values) lets the GiST index narrow the rows before the exact test. The key
 * functions are in date-functions.ts.
 */
import { dateRange } from '../../core/index.js';
import { sql, type Sql } from '../../sql/index.js';
import type { CompileContext, ValueTest } from '../compile-context.js';
import type { SearchPath } from '../parameter-paths.js';
import { searchErrors } from '../search-errors.js';
import { anyOf } from '../sql-logic.js';
import { DATE_FUNCTIONS_DDL } from './date-functions.js';
import { keyExpression, keyExpressionText } from './key-expressions.js';
import type { ParameterType } from './parameter-type.js';
import { prefixedFilterTest, splitPrefix, type Prefix } from './value-prefix.js';

export interface QueryRange {
  start: string;
  end: string;
}

export function parseDateValue(value: string, param: string): { prefix: Prefix; range: QueryRange } {
  const { prefix, rest } = splitPrefix(value);
  const range = dateRange(rest);
  if (!range) throw searchErrors['search.bad-date']({ value, param }, { expression: param });
  return { prefix, range };
}

/** The approximate range of ap: the value's range widened by 10% of its distance from now (at least a day). */
function approximate(range: QueryRange): QueryRange {
  const start = Date.parse(range.start);
  const end = Date.parse(range.end);
  const margin = Math.max(Math.abs(Date.now() - start) * 0.1, 86_400_000);
  return { start: new Date(start - margin).toISOString(), end: new Date(end + margin).toISOString() };
}

/**
 * The test of one stored range r against the search range q, and a test on the envelope. For gt, ge,
 * lt and le the envelope test is exact (some value ends after X exactly when the envelope does;
 * some value starts before X exactly when the envelope does), so no per-value test is needed.
 */
function rangeTests(prefix: Prefix, q: QueryRange): { value?: Sql; envelope?: Sql } {
  const lower = sql`${q.start}::timestamptz`;
  const upper = sql`${q.end}::timestamptz`;
  switch (prefix) {
    case 'eq': return { value: sql`r <@ tstzrange(${lower}, ${upper})`, envelope: sql`&& tstzrange(${lower}, ${upper})` };
    case 'ne': return { value: sql`NOT (r <@ tstzrange(${lower}, ${upper}))` };
    case 'gt': return { envelope: sql`&& tstzrange(${upper}, NULL)` };
    case 'lt': return { envelope: sql`&& tstzrange(NULL, ${lower})` };
    case 'ge': return { envelope: sql`&& tstzrange(${lower}, NULL)` };
    case 'le': return { envelope: sql`&& tstzrange(NULL, ${upper})` };
    case 'sa': return { value: sql`lower(r) >= ${upper}`, envelope: sql`&& tstzrange(${upper}, NULL)` };
    case 'eb': return { value: sql`upper(r) <= ${lower}`, envelope: sql`&& tstzrange(NULL, ${lower})` };
    case 'ap': {
      const wide = approximate(q);
      return { value: sql`r && tstzrange(${wide.start}::timestamptz, ${wide.end}::timestamptz)`, envelope: sql`&& tstzrange(${wide.start}::timestamptz, ${wide.end}::timestamptz)` };
    }
  }
}

function oneValue(test: ValueTest, value: string): Sql {
  const { prefix, range } = parseDateValue(value, test.param);
  const tests = rangeTests(prefix, range);
  const envelope = keyExpression('flint_date_envelope', test.document, test.parameter.paths);
  const onEnvelope = tests.envelope && sql`${envelope} ${tests.envelope}`;
  if (!tests.value) return onEnvelope as Sql;
  const ranges = keyExpression('flint_date_ranges', test.document, test.parameter.paths);
  const exact = sql`EXISTS (SELECT 1 FROM unnest(${ranges}) AS r WHERE ${tests.value})`;
  return onEnvelope ? sql`(${onEnvelope} AND ${exact})` : exact;
}

function dateCondition(_cc: CompileContext, test: ValueTest): Sql {
  if (test.modifier) throw searchErrors['search.bad-modifier']({ detail: `Date parameter ${test.param.split(':')[0]} does not support :${test.modifier}` }, { expression: test.param });
  return anyOf(test.values.map((value) => oneValue(test, value)));
}

/** The bound a gt, ge, lt or le value puts on the envelope: after (lower) or before (upper) an instant. */
export function envelopeBound(value: string, param: string): { lower?: string; upper?: string } | undefined {
  const { prefix, range } = parseDateValue(value, param);
  switch (prefix) {
    case 'ge': return { lower: range.start };
    case 'gt': return { lower: range.end };
    case 'le': return { upper: range.end };
    case 'lt': return { upper: range.start };
    default: return undefined;
  }
}

/** One envelope test for several bounds of one parameter (ge a & lt b is: the envelope overlaps [a, b)). */
export function envelopeRangeCondition(document: string, parameter: ValueTest['parameter'], lower: string, upper: string): Sql {
  const envelope = keyExpression('flint_date_envelope', document, parameter.paths);
  return sql`${envelope} && tstzrange(${lower}::timestamptz, ${upper}::timestamptz)`;
}

/**
 * The sort key of a date parameter (http://hl7.org/fhir/R4/search.html#sort): the start of the
 * earliest value ascending, the end of the latest value descending. The reference-and-date index
 * is built on the descending one.
 */
export function dateSortText(document: string, paths: readonly SearchPath[], descending: boolean): string {
  return `${descending ? 'upper' : 'lower'}(${keyExpressionText('flint_date_envelope', document, paths)})`;
}

export const dateType: ParameterType = {
  code: 'date',
  valueCondition: dateCondition,
  sortKey: (document, paths, descending) => ({ text: dateSortText(document, paths, descending), type: 'timestamptz' }),
  index: { fn: 'flint_date_envelope', method: 'gist' },
  filterTest: prefixedFilterTest,
  functions: DATE_FUNCTIONS_DDL,
};
