/**
 * Writes docs/errors.md: every error code a client can get, by module, with its HTTP status, issue
 * type and summary, as the modules' catalogues declare them (core/error-catalogue.ts). It imports
 * every module's index.ts, which declares the catalogues, then lists them.
 *
 *   npx tsx scripts/errors-doc.ts
 *
 * test/docs/errors-doc.test.ts fails when docs/errors.md differs from what this writes.
 */
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defaultIssueType, listErrorCodes, STATUS_BY_CATEGORY, type CatalogueEntry } from '../src/core/index.js';

const root = new URL('..', import.meta.url).pathname;
export const ERRORS_DOC = join(root, 'docs/errors.md');

/**
 * The index.ts of a module, or, for a module without one of its own yet, those of its parts
 * (src/<module>/<part>/index.ts).
 */
function moduleIndexes(folder: string): string[] {
  const index = join(folder, 'index.ts');
  if (existsSync(index)) return [index];
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return [];
  return readdirSync(folder).sort().map((part) => join(folder, part, 'index.ts')).filter((path) => existsSync(path));
}

/**
 * Imports the index.ts of every module of src/, so that every catalogue is declared, and returns
 * the codes of those modules' catalogues (a module's catalogue is named after its folder). A
 * catalogue declared by something else in the same process (a test's made-up one) is left out.
 */
export async function sourceCatalogueEntries(): Promise<CatalogueEntry[]> {
  const src = join(root, 'src');
  const modules = new Set<string>();
  for (const name of readdirSync(src).sort()) {
    for (const index of moduleIndexes(join(src, name))) {
      modules.add(name);
      await import(pathToFileURL(index).href);
    }
  }
  return listErrorCodes().filter((entry) => modules.has(entry.module));
}

const HEADER = `# Error codes

Every error Flint answers is an OperationOutcome whose issue carries a stable code in
\`issue.details.coding\` (system \`urn:flint:issue-code\`); clients and tests rely on the code, not on the
text of \`diagnostics\`. This page lists every code of the modules' error catalogues
(\`src/<module>/<module>-errors.ts\`), with the HTTP status and the FHIR issue type it is answered with
(a throw site may name a more precise issue type). See [architecture.md](architecture.md#errors).

It is generated: \`npx tsx scripts/errors-doc.ts\` writes it, and \`test/docs/errors-doc.test.ts\` fails
when it differs from the catalogues. Every module has its catalogue, and no throw site spells a code
of its own (\`test/architecture/error-codes.test.ts\`).
`;

function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

function row(entry: CatalogueEntry): string {
  const issueType = entry.issueType ?? defaultIssueType[entry.category];
  return `| \`${entry.code}\` | ${STATUS_BY_CATEGORY[entry.category]} | ${issueType} | ${cell(entry.summary)} |`;
}

/** The page for these catalogue entries (listErrorCodes() sorts them by module, then code). */
export function renderErrorsDoc(entries: CatalogueEntry[]): string {
  const modules = [...new Set(entries.map((entry) => entry.module))];
  const sections = modules.map((module) => [
    `## ${module}`, '', '| code | status | issue type | summary |', '|---|---|---|---|',
    ...entries.filter((entry) => entry.module === module).map(row),
  ].join('\n'));
  return `${[HEADER.trimEnd(), ...sections].join('\n\n')}\n`;
}

async function main(): Promise<void> {
  const entries = await sourceCatalogueEntries();
  writeFileSync(ERRORS_DOC, renderErrorsDoc(entries));
  console.log(`wrote ${ERRORS_DOC} (${entries.length} codes)`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
