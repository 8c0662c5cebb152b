/**
 * View constants for the in-memory runner. Strings, numbers and booleans are FHIRPath variables;
 * dates, dateTimes, instants and times are written into the expression as FHIRPath literals
 * (@1978-03-12, @T18:12:00), as the specification describes constants, because a variable holding
 * the text '1978-03-12' would be a string, not a date.
 */
import { skipOpaque } from '../../fhirpath/index.js';
import { TEMPORAL_FORMS } from '../view/parse-view.js';
import type { ViewConstant } from '../view/view-types.js';

/** The FHIRPath literal of a temporal constant, or undefined for other constants. */
export function temporalLiteral(constant: ViewConstant): string | undefined {
  if (!TEMPORAL_FORMS[constant.type]) return undefined;
  const text = String(constant.value);
  if (constant.type === 'time') return `@T${text}`;
  if (constant.type === 'date' || text.includes('T')) return `@${text}`;
  return `@${text}T`;
}

const NAME = /^%(?:([A-Za-z_][A-Za-z0-9_]*)|`([^`]*)`)/;

/** Replaces %name of each temporal constant by its literal, outside strings and comments. */
export function substituteConstants(expression: string, literals: ReadonlyMap<string, string>): string {
  if (literals.size === 0 || !expression.includes('%')) return expression;
  let out = '';
  let i = 0;
  while (i < expression.length) {
    const end = skipOpaque(expression, i);
    if (end > i) {
      out += expression.slice(i, end);
      i = end;
      continue;
    }
    const match = expression[i] === '%' ? NAME.exec(expression.slice(i)) : null;
    const literal = match ? literals.get(match[1] ?? match[2]) : undefined;
    if (match && literal !== undefined) {
      out += literal;
      i += match[0].length;
      continue;
    }
    out += expression[i];
    i += 1;
  }
  return out;
}

/** The variables of a view's constants (temporal ones excepted: they are substituted). */
export function constantVariables(constants: ViewConstant[]): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const constant of constants) if (temporalLiteral(constant) === undefined) variables[constant.name] = constant.value;
  return variables;
}
