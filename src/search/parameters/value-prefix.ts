/**
 * The comparison prefixes of number, date and quantity values (http://hl7.org/fhir/R4/search.html#prefix),
 * the implicit range of a decimal at its precision (100 means [99.5, 100.5)), and _filter's
 * comparison operators on those types, which are the same prefixes.
 */
import type { Sql } from '../../sql/index.js';
import { searchErrors } from '../search-errors.js';
import type { FilterOperand } from './parameter-type.js';

export const PREFIXES = ['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap'] as const;
export type Prefix = (typeof PREFIXES)[number];

export function splitPrefix(value: string): { prefix: Prefix; rest: string } {
  const candidate = value.slice(0, 2);
  if ((PREFIXES as readonly string[]).includes(candidate) && /^[\d-]/.test(value.slice(2))) {
    return { prefix: candidate as Prefix, rest: value.slice(2) };
  }
  return { prefix: 'eq', rest: value };
}

export interface DecimalValue {
  /** The value as written (a valid PostgreSQL numeric literal). */
  value: string;
  /** Half the unit of the last significant digit, as a numeric literal. */
  half: string;
}

const DECIMAL = /^([-+]?)(\d+)(?:\.(\d+))?(?:[eE]([-+]?\d+))?$/;

export function parseDecimal(text: string, param: string): DecimalValue {
  const match = DECIMAL.exec(text);
  if (!match) throw searchErrors['search.bad-number']({ text, param }, { expression: param });
  const decimals = match[3]?.length ?? 0;
  const exponent = Number(match[4] ?? 0);
  return { value: text, half: `5e${exponent - decimals - 1}` };
}

/** _filter on a prefixed type: a comparison operator is the value's prefix; any other operator is refused. */
export function prefixedFilterTest(operand: FilterOperand): Sql {
  if (!(PREFIXES as readonly string[]).includes(operand.operator)) operand.unsupported();
  return operand.run(undefined, `${operand.operator}${operand.value}`);
}
