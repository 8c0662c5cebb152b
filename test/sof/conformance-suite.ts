/**
 * The SQL on FHIR v2 suite (test/fixtures/sql-on-fhir-v2): reading its files, running one test
 * through either runner, comparing rows as the reference runner does (row and key order do not
 * count), and the report in the suite's test-report format.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Resource } from '../../src/core/index.js';
import type { Database } from '../../src/db/index.js';
import { ident, sql } from '../../src/sql/index.js';
import { compileView, MemoryView, parseJsonWithDecimals, parseView, stringifyWithDecimals, type ViewSource } from '../../src/sof/index.js';
import { toStoredJson, type StorageResolver } from '../../src/storage/index.js';

export const SUITE_FOLDER = new URL('../fixtures/sql-on-fhir-v2/tests/', import.meta.url).pathname;

export interface SuiteTest {
  title: string;
  view: unknown;
  expect?: Record<string, unknown>[];
  expectError?: boolean;
  expectColumns?: string[];
}

export interface SuiteFile {
  file: string;
  resources: Resource[];
  tests: SuiteTest[];
}

export type Runner = 'memory' | 'sql';

export interface Outcome {
  passed: boolean;
  error?: string;
}

/** Every suite file, parsed keeping decimals as written. */
export function readSuite(): SuiteFile[] {
  return readdirSync(SUITE_FOLDER).filter((name) => name.endsWith('.json')).sort().map((file) => {
    const json = parseJsonWithDecimals(readFileSync(join(SUITE_FOLDER, file), 'utf8')) as { resources: Resource[]; tests: SuiteTest[] };
    return { file, resources: json.resources, tests: json.tests };
  });
}

/** Replaces the stored resources of the suite's types with a file's resources. */
export async function storeResources(db: Database, storages: StorageResolver, types: string[], resources: Resource[]): Promise<void> {
  for (const type of types) await db.query(sql`DELETE FROM ${ident(storages.storageFor(type)!.table)}`);
  let generated = 0;
  for (const resource of resources) {
    const storage = storages.storageFor(resource.resourceType)!;
    // A resource without an id gets one, as a create would give it.
    const id = resource.id ?? `suite-generated-${++generated}`;
    await db.query(sql`
      INSERT INTO ${ident(storage.table)} (id, txid, ts, cts, resource_type, status, resource)
      VALUES (${id}, nextval('transaction_id_seq'), now(), now(), ${resource.resourceType}, 'created',
              ${stringifyWithDecimals(toStoredJson(resource))}::jsonb)`);
  }
}

function canonical(rows: Record<string, unknown>[]): string[] {
  return rows.map((row) => JSON.stringify(row, Object.keys(row).sort())).sort();
}

async function rowsOf(runner: Runner, source: ViewSource, db: Database, suite: SuiteFile, test: SuiteTest) {
  const compiled = compileView(source, parseView(test.view));
  const columns = compiled.columns.map((column) => column.name);
  if (runner === 'memory') return { columns, rows: [...new MemoryView(compiled).rows(suite.resources)] };
  const { rows } = await db.query<{ row: string }>(sql`SELECT row_to_json(sof_rows.*)::text AS row FROM (${compiled.select()}) AS sof_rows`);
  return { columns, rows: rows.map((row) => JSON.parse(row.row) as Record<string, unknown>) };
}

/** Runs one test through a runner and judges it. */
export async function runTest(runner: Runner, source: ViewSource, db: Database, suite: SuiteFile, test: SuiteTest): Promise<Outcome> {
  let result: { columns: string[]; rows: Record<string, unknown>[] };
  try {
    result = await rowsOf(runner, source, db, suite, test);
  } catch (error) {
    return test.expectError ? { passed: true } : { passed: false, error: `${(error as { code?: string }).code ?? ''} ${(error as Error).message}` };
  }
  if (test.expectError) return { passed: false, error: `expected an error, got ${result.rows.length} rows` };
  if (test.expectColumns && result.columns.join(',') !== test.expectColumns.join(',')) {
    return { passed: false, error: `columns ${result.columns.join(', ')}, expected ${test.expectColumns.join(', ')}` };
  }
  const got = canonical(result.rows);
  const expected = canonical(test.expect ?? []);
  if (JSON.stringify(got) !== JSON.stringify(expected)) {
    return { passed: false, error: `rows ${JSON.stringify(result.rows)}, expected ${JSON.stringify(test.expect)}` };
  }
  return { passed: true };
}

export type Report = Record<string, { tests: { name: string; result: { passed: boolean; error?: string; details?: Record<string, unknown> } }[] }>;

/** Writes a report (the suite's test-report.schema.json format) under test-results/. */
export function writeReport(name: string, report: Report): string {
  const folder = new URL('../../test-results/', import.meta.url).pathname;
  mkdirSync(folder, { recursive: true });
  const path = join(folder, name);
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
  return path;
}
