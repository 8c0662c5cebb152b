/** The JSON Patch cases of fhir-test-cases (RFC 6902 examples), run through applyJsonPatch. */
import { applyJsonPatch } from '../../src/patch/index.js';
import { readFixture, runPatchSuite, type PatchCase } from './patch-conformance.js';

interface JsonPatchCase {
  comment: string;
  doc: object;
  patch: unknown;
  expected?: unknown;
  error?: string;
}

const cases = readFixture<JsonPatchCase[]>('json-patch-tests.json').map((c): PatchCase => ({
  name: c.comment,
  input: c.doc,
  expected: c.expected,
  error: c.error,
  apply: () => applyJsonPatch(c.doc, c.patch),
}));

runPatchSuite('json patch', cases, readFixture<Record<string, Record<string, string>>>('known-failures.json')['json-patch']);
