/**
 * Evaluates the invariants of the rules that describe a value (each key once per value), and the
 * native form of ele-1.
 */
import type { JsonObject } from '../../core/index.js';
import type { ElementRule } from '../schema/element-rule.js';
import { VALIDATION_CODES as CODES } from '../validation-issues.js';
import { resolutionScope } from './resolution-scope.js';
import { report, type WalkContext } from './walk-context.js';

/** Evaluates each invariant of the rules once per value (by key). */
export function checkConstraints(walk: WalkContext, value: unknown, rules: readonly ElementRule[], path: string): void {
  let seen: Set<string> | undefined;
  let withConstraints = 0;
  for (const rule of rules) if (rule.constraints.length > 0) withConstraints++;
  if (withConstraints === 0) return;
  for (const rule of rules) {
    for (const constraint of rule.constraints) {
      if (withConstraints > 1) {
        seen ??= new Set();
        if (seen.has(constraint.key)) continue;
        seen.add(constraint.key);
      }
      const variables = { resource: walk.resource, rootResource: walk.rootResource };
      const result = constraint.check(value, variables, constraint.resolves ? resolutionScope(walk) : undefined);
      if (result.outcome === 'fail') {
        report(walk, constraint.severity, 'invariant', CODES.invariant,
          `Constraint failed: ${constraint.key}: '${constraint.human}' (${constraint.expression})`, path);
      } else if (result.outcome === 'error') {
        report(walk, 'warning', 'invariant', CODES.invariantFailed,
          `Constraint ${constraint.key} could not be evaluated: ${result.message}`, path);
      }
    }
  }
}

/** ele-1: every element has a value or children other than id. */
export function checkHasContent(walk: WalkContext, value: JsonObject, keys: string[], path: string): void {
  if (keys.length > 0 && keys.every((key) => key === 'id')) {
    report(walk, 'error', 'invariant', CODES.invariant, "Constraint failed: ele-1: 'All FHIR elements must have a @value or children'", path);
  }
}
