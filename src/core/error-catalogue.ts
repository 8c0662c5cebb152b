/**
 * Error catalogues: every stable error code a user can get is declared once, in its module's
 * catalogue, with its category, FHIR issue type, a message template and a one-line summary for the
 * documentation. Throw sites ask the catalogue for an error instead of spelling a code inline, so a
 * code cannot drift between two paths, and docs/errors.md is checked against the catalogues.
 *
 *   export const searchErrors = defineErrors('search', {
 *     'search.unknown-parameter': {
 *       category: 'invalid',
 *       summary: 'The query names a search parameter the resource type does not have',
 *       message: (a: { name: string; type: string }) => `Unknown search parameter "${a.name}" for ${a.type}`,
 *     },
 *   });
 *   throw searchErrors['search.unknown-parameter']({ name, type }, { expression: name });
 */
import { FhirError, type ErrorCategory, type FhirErrorOptions, type IssueType } from './fhir-error.js';

/** One code in a catalogue. A message's argument type is what the throw site must supply. */
export interface ErrorSpec<Args> {
  category: ErrorCategory;
  /** The OperationOutcome issue type when it is not the category's default. */
  issueType?: IssueType;
  /** What the code means, for docs/errors.md (one sentence, no trailing period needed). */
  summary: string;
  message: (args: Args) => string;
}

/** A catalogue entry as listed in the documentation. */
export interface CatalogueEntry {
  module: string;
  code: string;
  category: ErrorCategory;
  issueType?: IssueType;
  summary: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each spec keeps its own argument type
type Specs = Record<string, ErrorSpec<any>>;

/** Given a spec table, the function that raises each of its codes. */
export type ErrorRaisers<T extends Specs> = {
  readonly [Code in keyof T]: (args: Parameters<T[Code]['message']>[0], options?: FhirErrorOptions) => FhirError;
};

const catalogues = new Map<string, CatalogueEntry[]>();

/**
 * Declares a module's codes and returns one raiser per code. A code may be declared only once in
 * the whole program: declaring it in a second catalogue throws at start, so two modules cannot
 * give the same code two meanings.
 */
export function defineErrors<T extends Specs>(module: string, specs: T): ErrorRaisers<T> {
  const entries = catalogues.get(module) ?? [];
  const raisers: Record<string, (args: unknown, options?: FhirErrorOptions) => FhirError> = {};
  for (const [code, spec] of Object.entries(specs)) {
    assertUndeclared(code);
    entries.push({ module, code, category: spec.category, issueType: spec.issueType, summary: spec.summary });
    raisers[code] = (args, options = {}) => new FhirError(spec.category, code, spec.message(args), {
      ...(spec.issueType ? { issueType: spec.issueType } : {}),
      ...options,
    });
  }
  catalogues.set(module, entries);
  return raisers as ErrorRaisers<T>;
}

function assertUndeclared(code: string): void {
  for (const entries of catalogues.values()) {
    if (entries.some((entry) => entry.code === code)) {
      throw new Error(`Error code ${code} is declared in two catalogues`);
    }
  }
}

/** Every code declared so far, by module then code (for docs and the catalogue test). */
export function listErrorCodes(): CatalogueEntry[] {
  return [...catalogues.values()].flat()
    .sort((a, b) => a.module.localeCompare(b.module) || a.code.localeCompare(b.code));
}

/** A message that is the detail itself, for codes whose text is computed where they are raised. */
export const detail = (a: { detail: string }): string => a.detail;
