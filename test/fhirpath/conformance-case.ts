/**
 * Runs one case of the official FHIRPath R4 suite through Flint's adapter and judges the outcome.
 * Rules, from the suite's schema (testSchema.xsd):
 * - `invalid` (syntax | semantic | execution): the case passes when evaluation throws a FhirError
 *   with a fhirpath.* code (fhirpath.syntax for syntax). Flint has no static type checker, so a
 *   semantic error may surface at run time. Where the suite also gives outputs, they are the
 *   accepted result of an engine that does not raise that error.
 * - `predicate`: the result is taken as a Boolean (a single Boolean as it is, else "not empty").
 * - outputs are compared in order unless `ordered` is false. A typed output checks the type
 *   (`FHIR.x` or `System.X` named x) and the value; dates, times and quantities, and outputs
 *   without a type (a literal such as `@2014-01` or `1.58650000`), are compared with FHIRPath
 *   equality (`=`), so `1.5865 = 1.58650000` and second/millisecond precision match as the
 *   specification says.
 * - `mode` or `expressionMode` strict runs the adapter's strict check (rooted at the input's
 *   resource type), with `checkOrderedFunctions` as the case says.
 */
import { readFileSync } from 'node:fs';
import { isFhirError } from '../../src/core/index.js';
import { evaluateFhirPath, evaluateFhirPathTyped, type StrictOptions, type TypedValue } from '../../src/fhirpath/index.js';

export interface SuiteOutput {
  type?: string;
  value: string;
}

export interface SuiteCase {
  name: string;
  expression: string;
  inputfileJson?: string;
  predicate?: boolean;
  ordered?: boolean;
  invalid?: 'syntax' | 'semantic' | 'execution';
  mode?: string;
  expressionMode?: string;
  checkOrderedFunctions?: boolean;
  outputs: SuiteOutput[];
}

export interface CaseOutcome {
  passed: boolean;
  detail: string;
}

const inputs = new Map<string, string>();

function loadInput(folder: URL, file: string | undefined): unknown {
  if (!file) return [];
  let text = inputs.get(file);
  if (text === undefined) {
    text = readFileSync(new URL(`input/${file}`, folder), 'utf8');
    inputs.set(file, text);
  }
  return JSON.parse(text);
}

const typeName = (typed: TypedValue): string => typed.type.replace(/^(FHIR|System)\./, '');

function asLiteral(typed: TypedValue): string | undefined {
  const name = typeName(typed).toLowerCase();
  const value = typed.value;
  if (name === 'date' || name === 'datetime' || name === 'instant') return `@${String(value)}`;
  if (name === 'time') return `@T${String(value)}`;
  if (name === 'quantity') return typeof value === 'string' ? value : undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return undefined;
}

function fhirPathEqual(actual: TypedValue, expectedLiteral: string): boolean {
  const literal = asLiteral(actual);
  if (literal === undefined) return false;
  const result = evaluateFhirPath([], `${literal} = ${expectedLiteral}`);
  return result.length === 1 && result[0] === true;
}

const compareAsLiteral = new Set(['date', 'dateTime', 'time', 'Quantity']);

function matches(actual: TypedValue, expected: SuiteOutput): boolean {
  if (expected.type === undefined) return fhirPathEqual(actual, expected.value);
  if (typeName(actual).toLowerCase() !== expected.type.toLowerCase()) return false;
  if (compareAsLiteral.has(expected.type)) return fhirPathEqual(actual, expected.value);
  switch (expected.type) {
    case 'boolean':
      return actual.value === (expected.value === 'true');
    case 'integer':
    case 'decimal':
      return actual.value === Number(expected.value);
    default:
      return actual.value === expected.value;
  }
}

function sameOutputs(actual: TypedValue[], expected: SuiteOutput[], ordered: boolean): boolean {
  if (actual.length !== expected.length) return false;
  if (ordered) return expected.every((output, i) => matches(actual[i], output));
  const left = [...actual];
  return expected.every((output) => {
    const at = left.findIndex((candidate) => matches(candidate, output));
    if (at < 0) return false;
    left.splice(at, 1);
    return true;
  });
}

function asPredicate(results: TypedValue[]): TypedValue[] {
  const single = results.length === 1 && typeof results[0].value === 'boolean';
  return [{ value: single ? results[0].value : results.length > 0, type: 'System.Boolean' }];
}

const show = (values: TypedValue[]): string => JSON.stringify(values.map((v) => `${v.type}:${JSON.stringify(v.value)}`));

function strictOptions(suiteCase: SuiteCase, input: unknown): StrictOptions | undefined {
  if (suiteCase.mode !== 'strict' && suiteCase.expressionMode !== 'strict') return undefined;
  const rootType = (input as { resourceType?: string }).resourceType ?? 'Resource';
  return { rootType, checkOrderedFunctions: suiteCase.checkOrderedFunctions === true };
}

export function runCase(folder: URL, suiteCase: SuiteCase): CaseOutcome {
  let results: TypedValue[];
  try {
    const input = loadInput(folder, suiteCase.inputfileJson);
    results = evaluateFhirPathTyped(input, suiteCase.expression, { strict: strictOptions(suiteCase, input) });
  } catch (error) {
    if (!isFhirError(error) || !error.code.startsWith('fhirpath.')) {
      return { passed: false, detail: `non-FhirError thrown: ${String(error)}` };
    }
    const passed = suiteCase.invalid !== undefined && (suiteCase.invalid !== 'syntax' || error.code === 'fhirpath.syntax');
    return { passed, detail: `${error.code}: ${error.message}` };
  }
  if (suiteCase.predicate) results = asPredicate(results);
  const passed = (suiteCase.invalid === undefined || suiteCase.outputs.length > 0)
    && sameOutputs(results, suiteCase.outputs, suiteCase.ordered !== false);
  return { passed, detail: `got ${show(results)}, expected ${suiteCase.invalid ?? JSON.stringify(suiteCase.outputs)}` };
}
