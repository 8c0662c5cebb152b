/**
 * The comparison prefixes of number, date and quantity values (http://hl7.org/fhir/R4/search.html#prefix)
 * and the implicit range of a decimal at its precision (100 means [99.5, 100.5)).
 */
import { invalid } from '../../core/index.js';

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
  if (!match) throw invalid('search.bad-number', `"${text}" is not a number for ${param}`, { expression: param });
  const decimals = match[3]?.length ?? 0;
  const exponent = Number(match[4] ?? 0);
  return { value: text, half: `5e${exponent - decimals - 1}` };
}
