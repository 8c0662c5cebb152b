/** The FHIRPath Patch cases of fhir-test-cases (converted from XML), run through applyFhirPathPatch. */
import { applyFhirPathPatch } from '../../src/patch/index.js';
import { readFixture, runPatchSuite, type PatchCase } from './patch-conformance.js';

interface FhirPathPatchCase {
  name: string;
  mode: string;
  input: object;
  diff: unknown;
  output?: unknown;
  error?: string;
}

const cases = readFixture<FhirPathPatchCase[]>('fhir-patch-tests.json').map((c): PatchCase => ({
  name: c.name,
  input: c.input,
  expected: c.output,
  error: c.error,
  apply: () => applyFhirPathPatch(c.input, c.diff),
}));

runPatchSuite('fhirpath patch', cases, readFixture<Record<string, Record<string, string>>>('known-failures.json')['fhirpath-patch']);
