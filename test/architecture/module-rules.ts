/**
 * The module rules of src/ as data: the order of the modules (each may import only the ones after
 * it in the list) and the imports known to break a rule, each with the reason it stays. The order
 * is the table of docs/architecture.md, with the composition root and the command line on top.
 * test/architecture/module-boundaries.test.ts checks every import of src/ against these rules.
 */

/** Top to bottom: a folder of src/ (a module) or a .ts file directly in src/. */
export const moduleOrder: readonly string[] = [
  'cli',
  'embedded-template.ts',
  'server.ts',
  'config.ts',
  'http',
  'auth',
  'subscriptions',
  'access',
  'audit',
  'sof',
  'platform',
  'engine',
  'search',
  'format',
  'validation',
  'patch',
  'metadata',
  'storage',
  'fhirpath',
  'sql-api',
  'model',
  'packages',
  'db',
  'sql',
  'operation',
  'core',
];

export interface KnownException {
  /** The importing file, from the project root: `src/engine/route.ts`. */
  file: string;
  /** The import exactly as written: `../search/execute-search.js`. */
  specifier: string;
  /** Why it stays until a redesign. */
  reason: string;
}

/**
 * Imports that break a rule and stay until a redesign. The check fails when one of them no longer
 * occurs, so the list shrinks with the code. Empty: every import of src/ keeps the rules.
 */
export const knownExceptions: readonly KnownException[] = [];

/** Size warnings (printed, not failures): files and functions longer than these. */
export const sizeLimits = { fileLines: 300, functionLines: 40 };
