/**
 * Runs one case of the R4 validator test suite (test/fixtures/validation): parses the file (a
 * file that is not JSON counts as one error, as the server answers 400) and counts the errors
 * the validator finds. Unknown extensions are errors here, as the suite expects.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Issue } from '../../src/core/index.js';
import type { FhirValidator } from '../../src/validation/index.js';

export const SUITE = join(import.meta.dirname, '..', 'fixtures', 'validation');

export interface SuiteCase {
  name: string;
  module: string;
  file: string;
  expectedErrorCount: number;
  usesExternalTerminology: boolean;
}

export interface KnownDifference {
  /** The number of errors Flint finds (the suite expects another number). */
  ours: number;
  reason: string;
}

export function suiteCases(): SuiteCase[] {
  return (JSON.parse(readFileSync(join(SUITE, 'index.json'), 'utf8')) as { tests: SuiteCase[] }).tests;
}

export function knownDifferences(): Record<string, KnownDifference> {
  return JSON.parse(readFileSync(join(SUITE, 'known-differences.json'), 'utf8')) as Record<string, KnownDifference>;
}

export function caseErrors(validator: FhirValidator, suiteCase: SuiteCase): Issue[] {
  const text = readFileSync(join(SUITE, suiteCase.file), 'utf8').replace(/^\uFEFF/, '');
  let resource: unknown;
  try {
    resource = JSON.parse(text);
  } catch (error) {
    return [{ severity: 'error', type: 'structure', code: 'json.syntax', diagnostics: (error as Error).message }];
  }
  return validator.walk(resource).issues.filter((issue) => issue.severity === 'error' || issue.severity === 'fatal');
}
