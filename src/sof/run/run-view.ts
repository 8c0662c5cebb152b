/**
 * $run (https://sql-on-fhir.org/ig/OperationDefinition-ViewDefinitionRun.html): the view is checked
 * and compiled, then run in memory on the `resource` parameters when there are some, else as SQL
 * over the stored resources, streamed in batches from a cursor. The first batch is read before the
 * output is handed out, so a view failing on the data answers an error instead of a cut response.
 */
import { isJsonObject, isResource, type Resource } from '../../core/index.js';
import { ident, join, sql, type Sql } from '../../sql/index.js';
import { ROW, type CompiledView } from '../compile/compile-view.js';
import { MemoryView, type Row } from '../memory/run-in-memory.js';
import { prepareView, readStored, readViewDefinition, translateViewError, viewSource, type SofContext, type VisibleRowsOf } from '../sof-context.js';
import { CONTENT_TYPES, csvLine, csvText, frameJsonRows } from './output-format.js';
import { patientCondition, patientTest } from './patient-filter.js';
import type { RunParameters } from './run-parameters.js';
import { sofErrors } from '../sof-errors.js';

export interface RunOutput {
  contentType: string;
  columns: CompiledView['columns'];
  chunks: AsyncIterable<string>;
}

const BATCH = 1000;

/** The resource row's alias in compiled views (ROW), as row conditions name it. */
const ROW_ALIAS = 'r';

async function viewJson(ctx: SofContext, run: RunParameters, instanceId?: string, visible?: VisibleRowsOf): Promise<unknown> {
  const given = [instanceId, run.viewReference, run.viewResource].filter((item) => item !== undefined).length;
  if (given !== 1) {
    throw sofErrors['sof.invalid-parameter']({ detail: '$run needs exactly one view: the instance, viewReference or viewResource' });
  }
  if (instanceId !== undefined) return readViewDefinition(ctx, ctx.db, instanceId, visible);
  if (run.viewReference !== undefined) return readViewDefinition(ctx, ctx.db, run.viewReference, visible);
  return run.viewResource;
}

/** The patients of the patient and group parameters (members of the groups: Patient references). */
async function patientIds(ctx: SofContext, run: RunParameters, visible?: VisibleRowsOf): Promise<string[] | undefined> {
  if (run.patients.length === 0 && run.groups.length === 0) return undefined;
  const ids = new Set(run.patients);
  for (const groupId of run.groups) {
    const group = await readStored(ctx, ctx.db, 'Group', groupId, visible);
    const members = Array.isArray(group.member) ? group.member : [];
    for (const member of members) {
      const reference = isJsonObject(member) && isJsonObject(member.entity) ? member.entity.reference : undefined;
      const match = typeof reference === 'string' ? /^Patient\/([A-Za-z0-9.-]{1,64})$/.exec(reference) : null;
      if (match) ids.add(match[1]);
    }
  }
  return [...ids];
}

/** An async iterable whose first item has already been read (errors surface here). */
async function primed<T>(source: AsyncIterable<T>): Promise<AsyncIterable<T>> {
  const iterator = source[Symbol.asyncIterator]();
  const first = await iterator.next();
  return {
    async *[Symbol.asyncIterator]() {
      try {
        if (first.done) return;
        yield first.value;
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
      } finally {
        // A reader that stops early (a client that hung up) closes the source and its cursor.
        await iterator.return?.();
      }
    },
  };
}

async function* translated<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* source;
  } catch (error) {
    throw translateViewError(error);
  }
}

function sqlConditions(ctx: SofContext, compiled: CompiledView, run: RunParameters, patients: string[] | undefined, visible?: VisibleRowsOf): Sql[] {
  const conditions: Sql[] = [];
  const rows = visible?.(compiled.view.resource, ROW_ALIAS);
  if (rows) conditions.push(rows.condition);
  if (patients) conditions.push(patientCondition(viewSource(ctx), compiled.view.resource, patients));
  if (run.since) conditions.push(sql`${ROW}.ts >= ${run.since}::timestamptz`);
  return conditions;
}

function sqlChunks(ctx: SofContext, compiled: CompiledView, run: RunParameters, patients: string[] | undefined, visible?: VisibleRowsOf): AsyncIterable<string> {
  const select = compiled.select({ conditions: sqlConditions(ctx, compiled, run, patients, visible), limit: run.limit });
  if (run.format !== 'csv') {
    const rows = ctx.db.stream<{ row: string }>(sql`SELECT row_to_json(sof_rows.*)::text AS row FROM (${select}) AS sof_rows`, BATCH);
    return frameJsonRows(mapBatches(rows, (row) => row.row), run.format);
  }
  const columns = compiled.columns.map((column) => sql`sof_rows.${ident(column.name)}::text AS ${ident(column.name)}`);
  const rows = ctx.db.stream<Record<string, string | null>>(sql`SELECT ${join(columns, ', ')} FROM (${select}) AS sof_rows`, BATCH);
  return csvChunks(compiled, run.header, mapBatches(rows, (row) => compiled.columns.map((column) => row[column.name])));
}

async function* mapBatches<T, U>(batches: AsyncIterable<T[]>, map: (row: T) => U): AsyncGenerator<U[]> {
  for await (const batch of batches) yield batch.map(map);
}

async function* csvChunks(compiled: CompiledView, header: boolean, rows: AsyncIterable<(string | null)[][]>): AsyncGenerator<string> {
  // The header goes out with the first batch, so an error there still becomes an answer.
  let pending = header ? csvLine(compiled.columns.map((column) => column.name)) : '';
  for await (const batch of rows) {
    if (batch.length === 0) continue;
    yield pending + batch.map(csvLine).join('');
    pending = '';
  }
  if (pending) yield pending;
}

async function* memoryBatches(rows: Iterable<Row>): AsyncGenerator<Row[]> {
  let batch: Row[] = [];
  for (const row of rows) {
    batch.push(row);
    if (batch.length >= BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

function memoryChunks(ctx: SofContext, compiled: CompiledView, run: RunParameters, patients: string[] | undefined): AsyncIterable<string> {
  const inPatients = patients ? patientTest(ctx.model, compiled.view.resource, patients) : () => true;
  const since = run.since ? Date.parse(run.since) : undefined;
  const resources = (run.resources ?? []).filter((resource) => {
    if (!inPatients(resource)) return false;
    if (since === undefined) return true;
    const lastUpdated = isResource(resource) ? (resource as Resource).meta?.lastUpdated : undefined;
    return typeof lastUpdated === 'string' && Date.parse(lastUpdated) >= since;
  });
  const batches = memoryBatches(new MemoryView(compiled).rows(resources, run.limit));
  if (run.format !== 'csv') return frameJsonRows(mapBatches(batches, (row) => JSON.stringify(row)), run.format);
  return csvChunks(compiled, run.header, mapBatches(batches, (row) => compiled.columns.map((column) => csvText(row[column.name]))));
}

/**
 * Runs a view; validation, unknown views and the first batch fail before any output is produced.
 * With the caller's row rules (visible), the stored rows the view reads, the stored view and the
 * groups it names are only those the caller may see; inline resources are the caller's own.
 */
export async function runView(ctx: SofContext, run: RunParameters, instanceId?: string, visible?: VisibleRowsOf): Promise<RunOutput> {
  const compiled = prepareView(ctx, await viewJson(ctx, run, instanceId, visible));
  const patients = await patientIds(ctx, run, visible);
  const chunks = run.resources !== undefined
    ? memoryChunks(ctx, compiled, run, patients)
    : sqlChunks(ctx, compiled, run, patients, visible);
  return { contentType: CONTENT_TYPES[run.format], columns: compiled.columns, chunks: await primed(translated(chunks)) };
}
