/**
 * Which rows a caller may see and write, per resource type: the plain data the access module
 * computes from its policies and SMART scopes (docs/access-control.md), and the search compiler
 * turns into SQL on every path that reads rows (search/row-condition.ts). A rule is a small logic
 * tree whose leaves are FHIR search criteria on the type or a compartment.
 */
import type { QueryParams } from './query-params.js';

export type RowRule =
  /** Every row of the type. */
  | { kind: 'all' }
  /** No row of the type. */
  | { kind: 'none' }
  /** The rows a search of the type with these parameters matches (values already substituted). */
  | { kind: 'criteria'; query: QueryParams }
  /** The rows in a compartment (https://hl7.org/fhir/R4/compartmentdefinition.html): Patient/123. */
  | { kind: 'compartment'; compartment: string; id: string }
  /** The rows any of the rules allows. */
  | { kind: 'any'; rules: RowRule[] }
  /** The rows every one of the rules allows. */
  | { kind: 'every'; rules: RowRule[] };

/** The rows of each type a caller may see; a request without rules sees every row. */
export interface RowRules {
  forType(resourceType: string): RowRule;
}

export const ALL_ROWS: RowRule = Object.freeze({ kind: 'all' });
export const NO_ROWS: RowRule = Object.freeze({ kind: 'none' });

/** The rows both rules allow, simplified where one side is all or none. */
export function bothRules(left: RowRule, right: RowRule): RowRule {
  if (left.kind === 'none' || right.kind === 'none') return NO_ROWS;
  if (left.kind === 'all') return right;
  if (right.kind === 'all') return left;
  return { kind: 'every', rules: [left, right] };
}

/** The rows any of the rules allows, simplified where one is all or none. */
export function anyRule(rules: readonly RowRule[]): RowRule {
  if (rules.some((rule) => rule.kind === 'all')) return ALL_ROWS;
  const some = rules.filter((rule) => rule.kind !== 'none');
  if (some.length === 0) return NO_ROWS;
  return some.length === 1 ? some[0] : { kind: 'any', rules: some };
}

/** Whether the rules narrow the type at all (a request without rules, or `all`, does not). */
export function narrowsType(rules: RowRules | undefined, resourceType: string): boolean {
  return rules !== undefined && rules.forType(resourceType).kind !== 'all';
}
