/**
 * User-defined FHIRPath functions: the contract Flint modules implement (SQL on FHIR's
 * getResourceKey(), getReferenceKey(), a validator's conformsTo()...) and its translation into the
 * library's invocation table (https://github.com/HL7/fhirpath.js#user-defined-functions).
 *
 * Contract of `fn(input, ...args)`:
 * - `input` is the focus collection as plain JSON values (as evaluateFhirPath returns them), or as
 *   FhirPathNode values (value, type, location) when the definition sets `nodes: true`.
 * - one argument per declared parameter: `String`, `Integer`, `Number`, `Boolean` give the single
 *   value or `undefined` when the argument is empty (more than one item is an error); `Any` and
 *   `AnyAtRoot` give the argument's collection as plain values (`AnyAtRoot` evaluates it against
 *   the root, not the focus); `TypeSpecifier` gives `{ namespace, name }` (`Patient` -> name
 *   `Patient`).
 * - it returns a value, an array of values, or undefined/null for the empty collection; with
 *   `returnsResources: true` the values are resources (JSON objects with a resourceType), typed
 *   by their resourceType for what follows (`resolve().ofType(Practitioner)`).
 * - it throws a FhirError for a failure the caller should see with its own code; any other error
 *   becomes `fhirpath.evaluation`.
 * - `this.scope` is the scope the caller gave the evaluation (the third argument of a compiled
 *   expression, or the `scope` option): what the function may look in besides its input, such as
 *   the resources a validation can resolve references to. Each evaluation has its own, so
 *   evaluations running at the same time, or one inside another, never see each other's.
 */
import type { LibraryInvocationTable } from './fhirpath-library.js';
import { scopeOf, type LibraryCallContext } from './evaluation-scope.js';
import { fhirpathErrors } from './fhirpath-errors.js';
import { isLibraryValue, resourceNode } from './fhirpath-library.js';
import { toPlainValues } from './result-values.js';
import { toFhirPathNodes } from './result-nodes.js';

export type FhirPathParameterType = 'String' | 'Integer' | 'Number' | 'Boolean' | 'Any' | 'AnyAtRoot' | 'TypeSpecifier';

export interface FhirPathTypeSpecifier {
  namespace?: string;
  name: string;
}

/** What a user function knows of the evaluation calling it (its `this`). */
export interface FhirPathCall {
  /** The scope the caller gave the evaluation, undefined when none. */
  readonly scope: unknown;
}

export interface FhirPathFunction {
  /** The accepted argument lists by count, e.g. `{ 0: [], 1: ['TypeSpecifier'] }`. */
  arity: Readonly<Record<number, readonly FhirPathParameterType[]>>;
  /** The implementation; its arguments follow the declared parameter types (see the header). */
  fn: (this: FhirPathCall, input: unknown[], ...args: never[]) => unknown;
  /** When true, an empty argument makes the result empty without calling `fn`. */
  nullable?: boolean;
  /**
   * When true, `input` is the focus as FhirPathNode values (the value, its FHIR type and where it
   * lives in the input JSON), for functions that need more than the value, such as the source
   * text of a decimal.
   */
  nodes?: boolean;
  /** When true, the returned values are resources, typed by their resourceType (see the header). */
  returnsResources?: boolean;
}

/** A named set of functions; make one with defineFhirPathFunctions() and reuse it (it keys the compile cache). */
export type FhirPathFunctions = Readonly<Record<string, FhirPathFunction>>;

const functionName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Checks and freezes a function set. */
export function defineFhirPathFunctions(functions: Record<string, FhirPathFunction>): FhirPathFunctions {
  for (const [name, definition] of Object.entries(functions)) {
    if (!functionName.test(name)) {
      throw fhirpathErrors['fhirpath.function-definition']({ detail: `invalid FHIRPath function name '${name}'` });
    }
    if (Object.keys(definition.arity).length === 0) {
      throw fhirpathErrors['fhirpath.function-definition']({ detail: `function '${name}' declares no arity` });
    }
  }
  return Object.freeze({ ...functions });
}

type RawEntry = LibraryInvocationTable[string];

function plainArgument(type: FhirPathParameterType, value: unknown): unknown {
  switch (type) {
    case 'Any':
    case 'AnyAtRoot':
      return toPlainValues(value as unknown[]);
    case 'TypeSpecifier': {
      const spec = value as { namespace?: string; name: string };
      return { namespace: spec.namespace, name: spec.name };
    }
    default:
      if (Array.isArray(value)) return undefined;
      return isLibraryValue(value) ? value.toJSON() : value;
  }
}

/** The library entry for one Flint function: converts the arguments, then calls `fn`. */
export function toLibraryEntry(definition: FhirPathFunction): RawEntry {
  const arity = definition.arity as Record<number, FhirPathParameterType[]>;
  return {
    arity,
    nullable: definition.nullable ?? false,
    internalStructures: true,
    fn(this: LibraryCallContext, input: unknown[], ...args: unknown[]) {
      const types = arity[args.length] ?? [];
      const plain = args.map((arg, i) => plainArgument(types[i] ?? 'Any', arg));
      const fn = definition.fn as (this: FhirPathCall, input: unknown[], ...args: unknown[]) => unknown;
      const call: FhirPathCall = { scope: scopeOf(this) };
      const result = fn.call(call, definition.nodes ? toFhirPathNodes(input) : toPlainValues(input), ...plain) ?? [];
      if (!definition.returnsResources) return result;
      return (Array.isArray(result) ? result : [result]).map((resource) => resourceNode(resource as object));
    },
  };
}

export function toInvocationTable(functions: FhirPathFunctions): LibraryInvocationTable {
  const table: LibraryInvocationTable = {};
  for (const [name, definition] of Object.entries(functions)) table[name] = toLibraryEntry(definition);
  return table;
}

/** The argument counts a function set accepts for `name`, or undefined when it has no such function. */
export function userArgumentCounts(functions: FhirPathFunctions, name: string): number[] | undefined {
  const definition = Object.prototype.hasOwnProperty.call(functions, name) ? functions[name] : undefined;
  return definition ? Object.keys(definition.arity).map(Number) : undefined;
}
