/**
 * The public evaluation API of Flint's FHIRPath engine (FHIRPath N1, http://hl7.org/fhirpath/N1/,
 * with the FHIR R4 model, http://hl7.org/fhir/R4/fhirpath.html): compile once, evaluate often.
 */
import type { CompileOptions } from './compile-expression.js';
import type { StrictOptions } from './strict-check.js';
import { compileExpression } from './compile-expression.js';
import type { FhirPathFunctions } from './fhirpath-functions.js';
import { toPlainValues, toTypedValues, type TypedValue } from './result-values.js';

export interface FhirPathOptions {
  /** %name variables; FHIR's own (%resource, %sct, %"vs-x"...) are there unless given here. */
  variables?: Record<string, unknown>;
  /** User-defined functions (see defineFhirPathFunctions). */
  functions?: FhirPathFunctions;
  /** The model path of the input when it is part of a resource (`Observation.component`, `HumanName`). */
  base?: string;
  /** Check the expression against the model first (fhirpath.semantic), e.g. `{ rootType: 'Patient' }`. */
  strict?: StrictOptions;
  /** What user functions of this evaluation see as `this.scope` (see fhirpath-functions.ts). */
  scope?: unknown;
}

/**
 * A reusable evaluator: the input and variables in, the results as plain JSON values out. `scope`
 * is what user functions of this one evaluation see as `this.scope`.
 */
export type CompiledFhirPath = (input: unknown, variables?: Record<string, unknown>, scope?: unknown) => unknown[];

/** A reusable evaluator that also reports the FHIRPath type of each result. */
export type CompiledTypedFhirPath = (input: unknown, variables?: Record<string, unknown>, scope?: unknown) => TypedValue[];

function compileOptions(options: FhirPathOptions | undefined): CompileOptions {
  return { functions: options?.functions, base: options?.base, strict: options?.strict };
}

/**
 * Compiles an expression (cached): syntax, unknown functions and wrong argument counts fail here
 * with FhirError fhirpath.syntax / fhirpath.unknown-function / fhirpath.wrong-arity.
 */
export function compileFhirPath(expression: string, options?: Omit<FhirPathOptions, 'variables' | 'scope'>): CompiledFhirPath {
  const compiled = compileExpression(expression, compileOptions(options));
  return (input, variables, scope) => toPlainValues(compiled.evaluateRaw(input, variables, scope));
}

export function compileTypedFhirPath(expression: string, options?: Omit<FhirPathOptions, 'variables' | 'scope'>): CompiledTypedFhirPath {
  const compiled = compileExpression(expression, compileOptions(options));
  return (input, variables, scope) => toTypedValues(compiled.evaluateRaw(input, variables, scope));
}

/** Evaluates an expression on an input (a resource, a part of one with `base`, or any JSON). */
export function evaluateFhirPath(input: unknown, expression: string, options?: FhirPathOptions): unknown[] {
  return toPlainValues(compileExpression(expression, compileOptions(options)).evaluateRaw(input, options?.variables, options?.scope));
}

/** Like evaluateFhirPath, with each result's FHIRPath type (`FHIR.date`, `System.Integer`...). */
export function evaluateFhirPathTyped(input: unknown, expression: string, options?: FhirPathOptions): TypedValue[] {
  return toTypedValues(compileExpression(expression, compileOptions(options)).evaluateRaw(input, options?.variables, options?.scope));
}
