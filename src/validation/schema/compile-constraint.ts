/**
 * ElementDefinition.constraint -> a compiled invariant evaluated through the project's FHIRPath
 * engine (http://hl7.org/fhir/R4/conformance-rules.html#constraints). An invariant passes unless
 * its expression evaluates to false (an empty result passes, as for ref-1 on a Reference without
 * a reference). The invariants nearly every value carries (ele-1, ext-1, ref-1) are evaluated
 * natively with the same verdict (native-constraints.ts).
 */
import { compileFhirPath, type CompiledFhirPath } from '../../fhirpath/index.js';
import { VALIDATION_FUNCTIONS, type ResolutionScope } from './validation-functions.js';
import { constraintHeads, hasAnyHead } from './constraint-heads.js';
import { constraintShortcuts, passesByShortcut } from './constraint-shortcuts.js';
import { evaluatedExpression } from './corrected-expressions.js';
import { NATIVE_CONSTRAINTS } from './native-constraints.js';

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
  /** It calls resolve(), which looks in the scope the check is given. */
  resolves: boolean;
  check(focus: unknown, variables: ConstraintVariables, scope?: ResolutionScope): ConstraintResult;
}

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
/** Is this constraint one the walk checks natively (ele-1, ext-1, dom-3 with their published expressions)? */
export function isWalkConstraint(definition: ConstraintDefinition): boolean {
  const native = Object.hasOwn(NATIVE_CONSTRAINTS, definition.key) ? NATIVE_CONSTRAINTS[definition.key] : undefined;
  return native !== undefined && native.expression === definition.expression && native.check === undefined;
}

export function compileConstraint(definition: ConstraintDefinition, base: string | undefined, skeleton: unknown): CompiledConstraint | undefined {
  const expression = definition.expression;
  if (!expression) return undefined;
  const native = Object.hasOwn(NATIVE_CONSTRAINTS, definition.key) ? NATIVE_CONSTRAINTS[definition.key] : undefined;
  if (native?.expression === expression && !native.check) return undefined;
  const evaluated = evaluatedExpression(definition.key, expression);
  const evaluate: CompiledFhirPath = compileFhirPath(evaluated, { functions: VALIDATION_FUNCTIONS, ...(base === undefined ? {} : { base }) });
  const { heads } = constraintHeads(evaluated);
  const shortcuts = constraintShortcuts(evaluated, { functions: VALIDATION_FUNCTIONS, ...(base === undefined ? {} : { base }) });
  let absentResult: ConstraintResult | undefined;
  const run = (focus: unknown, variables: ConstraintVariables, scope: ResolutionScope | undefined): ConstraintResult => {
    try {
      return verdict(evaluate(focus, variables as unknown as Record<string, unknown>, scope));
    } catch (error) {
      return errorResult(error);
    }
  };
  const nativeCheck = native?.expression === expression ? native.check : undefined;
  return {
    key: definition.key,
    severity: definition.severity === 'warning' ? 'warning' : 'error',
    human: definition.human ?? definition.key,
    expression,
    resolves: /\bresolve\s*\(/.test(evaluated),
    check(focus, variables, scope) {
      if (nativeCheck) {
        const verdict = nativeCheck(focus, variables.rootResource);
        if (verdict !== undefined) return verdict ? PASS : FAIL;
      }
      // A primitive value has no child elements, so every head is absent.
      const absent = heads && (typeof focus !== 'object' || focus === null || (!Array.isArray(focus) && !hasAnyHead(focus as Record<string, unknown>, heads)));
      if (absent) {
        absentResult ??= run(skeleton, variables, scope);
        return absentResult;
      }
      if (shortcuts.length > 0 && passesByShortcut(shortcuts, focus, skeleton, scope)) return PASS;
      return run(focus, variables, scope);
    },
  };
}
