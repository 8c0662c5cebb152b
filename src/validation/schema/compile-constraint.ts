/**
 * ElementDefinition.constraint -> a compiled invariant evaluated through the project's FHIRPath
 * engine (http://hl7.org/fhir/R4/conformance-rules.html#constraints). An invariant passes unless
 * its expression evaluates to false (an empty result passes, as for ref-1 on a Reference without
 * a reference). Two invariants that every element and extension carry are checked natively by
 * the walk instead, with the same meaning: ele-1 (an element has a value or children) and ext-1
 * (an extension has a value or extensions, not both).
 */
import { compileFhirPath, type CompiledFhirPath } from '../../fhirpath/index.js';
import { VALIDATION_FUNCTIONS } from '../xhtml-check.js';
import { constraintHeads, hasAnyHead } from './constraint-heads.js';
import { evaluatedExpression } from './corrected-expressions.js';

export interface ConstraintDefinition {
  key: string;
  severity: string;
  human?: string;
  expression?: string;
  source?: string;
}

export interface ConstraintVariables {
  resource: unknown;
  rootResource: unknown;
}

export type ConstraintResult = { outcome: 'pass' } | { outcome: 'fail' } | { outcome: 'error'; message: string };

export interface CompiledConstraint {
  key: string;
  severity: 'error' | 'warning';
  human: string;
  expression: string;
  check(focus: unknown, variables: ConstraintVariables): ConstraintResult;
}

/** The invariants the walk checks natively, by key and the expression they must have. */
export const NATIVE_CONSTRAINTS: Record<string, string> = {
  'ele-1': 'hasValue() or (children().count() > id.count())',
  'ext-1': 'extension.exists() != value.exists()',
};

const PASS: ConstraintResult = { outcome: 'pass' };
const FAIL: ConstraintResult = { outcome: 'fail' };

function verdict(result: unknown[]): ConstraintResult {
  return result.length === 1 && result[0] === false ? FAIL : PASS;
}

function errorResult(error: unknown): ConstraintResult {
  return { outcome: 'error', message: error instanceof Error ? error.message : String(error) };
}

/**
 * Compiles one constraint for values at `base` (a model path such as Patient.contact or Reference;
 * undefined for a resource). Throws a FhirError when the expression does not compile.
 */
export function compileConstraint(definition: ConstraintDefinition, base: string | undefined, skeleton: unknown): CompiledConstraint | undefined {
  const expression = definition.expression;
  if (!expression || NATIVE_CONSTRAINTS[definition.key] === expression) return undefined;
  const evaluated = evaluatedExpression(definition.key, expression);
  const evaluate: CompiledFhirPath = compileFhirPath(evaluated, { functions: VALIDATION_FUNCTIONS, ...(base === undefined ? {} : { base }) });
  const { heads } = constraintHeads(evaluated);
  let absentResult: ConstraintResult | undefined;
  const run = (focus: unknown, variables: ConstraintVariables): ConstraintResult => {
    try {
      return verdict(evaluate(focus, variables as unknown as Record<string, unknown>));
    } catch (error) {
      return errorResult(error);
    }
  };
  return {
    key: definition.key,
    severity: definition.severity === 'warning' ? 'warning' : 'error',
    human: definition.human ?? definition.key,
    expression,
    check(focus, variables) {
      // A primitive value has no child elements, so every head is absent.
      const absent = heads && (typeof focus !== 'object' || focus === null || (!Array.isArray(focus) && !hasAnyHead(focus as Record<string, unknown>, heads)));
      if (absent) {
        absentResult ??= run(skeleton, variables);
        return absentResult;
      }
      return run(focus, variables);
    },
  };
}
