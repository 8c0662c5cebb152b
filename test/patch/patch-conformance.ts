/**
 * Shared by the two PATCH conformance tests: loads a suite from test/fixtures/fhir-patch, runs each
 * case (expected output, or an expected failure with a patch.* or fhirpath.* FhirError), prints the
 * pass count, and checks the result against known-failures.json in both directions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { isFhirError } from '../../src/core/index.js';

export const fixtures = new URL('../fixtures/fhir-patch/', import.meta.url);

export function readFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, fixtures), 'utf8')) as T;
}

export interface PatchCase {
  name: string;
  input: unknown;
  expected?: unknown;
  /** Set when the case expects the patch to fail. */
  error?: string;
  apply(): unknown;
}

interface Outcome {
  name: string;
  passed: boolean;
  detail: string;
}

/** XHTML narrative compared with its whitespace collapsed (the suite's XML sources differ in layout). */
function normalise(value: unknown, key = ''): unknown {
  if (key === 'div' && typeof value === 'string') return value.replace(/\s+/g, ' ').replace(/> </g, '><').trim();
  if (Array.isArray(value)) return value.map((item) => normalise(item));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v, k)]));
  }
  return value;
}

function run(patchCase: PatchCase): Outcome {
  const before = structuredClone(patchCase.input);
  let result: unknown;
  try {
    result = patchCase.apply();
  } catch (error) {
    const coded = isFhirError(error) && /^(patch|fhirpath)\./.test(error.code);
    const detail = isFhirError(error) ? `${error.code}: ${error.message}` : `unexpected ${String(error)}`;
    return { name: patchCase.name, passed: coded && patchCase.error !== undefined, detail };
  }
  if (!isDeepStrictEqual(patchCase.input, before)) return { name: patchCase.name, passed: false, detail: 'the input was modified' };
  const passed = patchCase.error === undefined && isDeepStrictEqual(normalise(result), normalise(patchCase.expected));
  return { name: patchCase.name, passed, detail: `got ${JSON.stringify(result)}, expected ${patchCase.error ?? JSON.stringify(patchCase.expected)}` };
}

export function runPatchSuite(label: string, cases: PatchCase[], knownFailures: Record<string, string>): void {
  const outcomes = cases.map(run);
  console.log(`${label}: ${outcomes.filter((o) => o.passed).length}/${outcomes.length} passed (${Object.keys(knownFailures).length} known failures)`);
  for (const outcome of outcomes) {
    test(`${label} / ${outcome.name}`, () => {
      if (outcome.name in knownFailures) assert.equal(outcome.passed, false, 'listed in known-failures.json but passes now: remove it');
      else assert.ok(outcome.passed, outcome.detail);
    });
  }
  test(`${label} / known failures name cases of the suite`, () => {
    assert.deepEqual(Object.keys(knownFailures).filter((name) => !outcomes.some((o) => o.name === name)), []);
  });
}
