/**
 * Expression -> checked, compiled, cached evaluator of raw library results. Compiling parses the
 * expression (fhirpath.syntax), checks each function call against the library's functions, Flint's
 * standard functions and the caller's (fhirpath.unknown-function, fhirpath.wrong-arity), notes the
 * %variables it names, and has the library compile it with the R4 model (`.div` and `.mod` after a
 * dot are read as element names, see keyword-members.ts). Compiled expressions are
 * kept in an LRU cache keyed by expression, function set and base path.
 */
import type { LibraryInvocationTable } from './fhirpath-library.js';
import { library, r4 } from './fhirpath-library.js';
import { builtinFunctions } from './builtin-functions.js';
import { evaluationError, unknownFunction, wrongArity } from './fhirpath-errors.js';
import type { FhirPathFunctions } from './fhirpath-functions.js';
import { toInvocationTable, userArgumentCounts } from './fhirpath-functions.js';
import { standardArgumentCounts, standardFunctions } from './standard-functions.js';
import { collectReferences, parseLibraryTree, type FunctionCall } from './library-tree.js';
import { environmentFor } from './fhir-variables.js';
import { withScope } from './evaluation-scope.js';
import { LruCache } from './compile-cache.js';
import { escapeKeywordMembers } from './keyword-members.js';
import { checkStrict, type StrictOptions } from './strict-check.js';

export interface CompileOptions {
  functions?: FhirPathFunctions;
  /**
   * The model path of the input when it is a part of a resource (`Observation.component`,
   * `HumanName`), so its choice elements and types resolve.
   */
  base?: string;
  /** Check the expression against the model before it runs (see strict-check.ts). */
  strict?: StrictOptions;
}

/** A compiled expression: evaluates to the library's raw results. */
export interface CompiledExpression {
  readonly expression: string;
  /** `scope` is what user functions of this one evaluation see as `this.scope` (evaluation-scope.ts). */
  evaluateRaw(input: unknown, variables?: Record<string, unknown>, scope?: unknown): unknown[];
}

const noFunctions: FhirPathFunctions = Object.freeze({});
const tables = new WeakMap<FhirPathFunctions, { id: number; table: LibraryInvocationTable }>();
let nextTableId = 1;

function invocationTable(functions: FhirPathFunctions): { id: number; table: LibraryInvocationTable } {
  let entry = tables.get(functions);
  if (!entry) {
    entry = { id: nextTableId++, table: { ...standardFunctions, ...toInvocationTable(functions) } };
    tables.set(functions, entry);
  }
  return entry;
}

function checkCall(expression: string, call: FunctionCall, functions: FhirPathFunctions): void {
  const counts = userArgumentCounts(functions, call.name) ?? standardArgumentCounts.get(call.name);
  if (counts) {
    if (!counts.includes(call.argumentCount)) throw wrongArity(expression, call.name, call.argumentCount);
    return;
  }
  const builtin = builtinFunctions.get(call.name);
  if (!builtin) throw unknownFunction(expression, call.name);
  if (call.argumentCount < builtin.min || call.argumentCount > builtin.max) {
    throw wrongArity(expression, call.name, call.argumentCount);
  }
}

const ignoreTrace = (): void => {};

function build(expression: string, functions: FhirPathFunctions, options: CompileOptions): CompiledExpression {
  const { base, strict } = options;
  const source = escapeKeywordMembers(expression);
  const tree = parseLibraryTree(source);
  const { calls, variables } = collectReferences(tree);
  for (const call of calls) checkCall(expression, call, functions);
  if (strict) checkStrict(tree, expression, strict);
  const libraryOptions = {
    resolveInternalTypes: false,
    preciseMath: true,
    traceFn: ignoreTrace,
    userInvocationTable: invocationTable(functions).table,
  };
  const path = base === undefined ? source : { base, expression: source };
  let compiled: ReturnType<typeof library.compile>;
  try {
    compiled = library.compile(path, r4, libraryOptions);
  } catch (error) {
    throw evaluationError(expression, error);
  }
  return {
    expression,
    evaluateRaw(input, vars, scope) {
      try {
        return compiled(input, withScope(environmentFor(variables, input, vars), scope)) as unknown[];
      } catch (error) {
        throw evaluationError(expression, error);
      }
    },
  };
}

const cache = new LruCache<string, CompiledExpression>(10_000);

/** The compiled form of an expression, from the cache when it was compiled before. */
export function compileExpression(expression: string, options: CompileOptions = {}): CompiledExpression {
  const functions = options.functions ?? noFunctions;
  const strict = options.strict ? `${options.strict.rootType}/${options.strict.checkOrderedFunctions === true}` : '';
  const key = `${invocationTable(functions).id}\u0000${options.base ?? ''}\u0000${strict}\u0000${expression}`;
  let compiled = cache.get(key);
  if (!compiled) {
    compiled = build(expression, functions, options);
    cache.set(key, compiled);
  }
  return compiled;
}

/** How many compiled expressions the cache holds (for tests and metrics). */
export function compiledExpressionCount(): number {
  return cache.size;
}

export function clearCompiledExpressions(): void {
  cache.clear();
}
