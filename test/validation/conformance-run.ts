/**
 * Runs one case of the R4 validator test suite (test/fixtures/validation): parses the file (a
 * file that is not JSON counts as one error, as the server answers 400) and counts the errors
 * the validator finds. Unknown extensions are errors here, as the suite expects. The options a
 * case sets for the reference validator become the matching settings of Flint's validator where
 * it has them (example URLs, HTML in markdown, extension domains, resolving references).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Issue, Resource } from '../../src/core/index.js';
import type { FhirValidator, ValidatorSettings } from '../../src/validation/index.js';

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

/** The options of the suite's manifest that Flint's validator has counterparts for. */
export interface CaseOptions {
  settings: Partial<ValidatorSettings>;
  /** Relative references must resolve (inside the resource, a Bundle or Parameters: nothing else exists). */
  checkReferences: boolean;
}

type ManifestEntry = Record<string, unknown> & { name: string };

let manifest: Map<string, ManifestEntry> | undefined;

function manifestEntry(name: string): ManifestEntry | undefined {
  manifest ??= new Map((JSON.parse(readFileSync(join(SUITE, 'manifest-r4-subset.json'), 'utf8')) as { 'test-cases': ManifestEntry[] })['test-cases']
    .map((entry) => [entry.name, entry]));
  return manifest.get(name);
}

const CHECKS_REFERENCES = new Set(['CHECK_EXISTS', 'CHECK_EXISTS_AND_TYPE', 'CHECK_VALID']);

export function caseOptions(suiteCase: SuiteCase): CaseOptions {
  const entry: ManifestEntry = manifestEntry(suiteCase.name) ?? { name: suiteCase.name };
  const settings: Partial<ValidatorSettings> = {};
  if (entry.examples === false) settings.exampleUrls = 'error';
  if (entry.noHtmlInMarkdown === true) settings.markdownHtml = 'error';
  if (typeof entry['allowed-extension-domain'] === 'string') settings.extensionDomains = [entry['allowed-extension-domain']];
  return { settings, checkReferences: CHECKS_REFERENCES.has(entry.validateReference as string) };
}

export async function caseErrors(validator: FhirValidator, suiteCase: SuiteCase, options: CaseOptions = caseOptions(suiteCase)): Promise<Issue[]> {
  const text = readFileSync(join(SUITE, suiteCase.file), 'utf8').replace(/^\uFEFF/, '');
  let resource: unknown;
  try {
    resource = JSON.parse(text);
  } catch (error) {
    return [{ severity: 'error', type: 'structure', code: 'json.syntax', diagnostics: (error as Error).message }];
  }
  const issues = options.checkReferences
    ? await validator.validate(resource as Resource, { referenceExists: async () => false })
    : validator.walk(resource).issues;
  return issues.filter((issue) => issue.severity === 'error' || issue.severity === 'fatal');
}
