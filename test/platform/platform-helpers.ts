/**
 * Helpers of the platform tests: Parameters bodies for the storage and API operations, reading a
 * Parameters answer back, and looking at the database's tables directly.
 */
import type { TestFlint } from '../support/test-server.js';
import type { Queryable } from '../../src/db/index.js';
import { ident, sql, type Sql } from '../../src/sql/index.js';

export type Param = { name: string; valueString?: string; valueCanonical?: string; valueBoolean?: boolean };

export function parameters(parameter: Param[] = []) {
  return { resourceType: 'Parameters', parameter };
}

export const canonical = (name: string, valueCanonical: string): Param => ({ name, valueCanonical });
export const string = (name: string, valueString: string): Param => ({ name, valueString });
export const boolean = (name: string, valueBoolean: boolean): Param => ({ name, valueBoolean });

export const OBSERVATION = 'http://hl7.org/fhir/StructureDefinition/Observation|4.0.1';
export const PATIENT = 'http://hl7.org/fhir/StructureDefinition/Patient|4.0.1';

export function storageParams(options: { sd?: string; table: string; history?: boolean; historyTable?: string; id?: string; ifNoneExist?: boolean }): Param[] {
  return [
    canonical('structureDefinition', options.sd ?? OBSERVATION),
    string('storageType', 'default'),
    string('tableName', options.table),
    ...(options.history !== undefined ? [boolean('history', options.history)] : []),
    ...(options.historyTable !== undefined ? [string('historyTableName', options.historyTable)] : []),
    ...(options.id !== undefined ? [string('storageId', options.id)] : []),
    ...(options.ifNoneExist !== undefined ? [boolean('ifNoneExist', options.ifNoneExist)] : []),
  ];
}

export function apiParams(options: { type: string; storageId: string; id?: string; ifNoneExist?: boolean; template?: string }): Param[] {
  return [
    string('resourceType', options.type),
    string('storageId', options.storageId),
    string('apiTemplate', options.template ?? 'pre-2604'),
    ...(options.id !== undefined ? [string('apiId', options.id)] : []),
    ...(options.ifNoneExist !== undefined ? [boolean('ifNoneExist', options.ifNoneExist)] : []),
  ];
}

/** The value of a parameter of a Parameters answer. */
export function valueOf(body: any, name: string): unknown {
  const entry = body?.parameter?.find((parameter: any) => parameter.name === name);
  if (!entry) return undefined;
  const key = Object.keys(entry).find((field) => field.startsWith('value')) as string;
  return entry[key];
}

export async function createStorage(flint: TestFlint, params: Param[]): Promise<string> {
  const answer = await flint.post('/fhir/$create-storage', parameters(params));
  if (answer.status !== 201) throw new Error(`$create-storage answered ${answer.status}: ${answer.text}`);
  return valueOf(answer.body, 'storageId') as string;
}

export async function createApi(flint: TestFlint, params: Param[]): Promise<string> {
  const answer = await flint.post('/fhir/$create-api', parameters(params));
  if (answer.status !== 201) throw new Error(`$create-api answered ${answer.status}: ${answer.text}`);
  return valueOf(answer.body, 'apiId') as string;
}

export async function tableExists(flint: { db: Queryable }, name: string): Promise<boolean> {
  const { rows } = await flint.db.query(sql`
    SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relname = ${name}`);
  return rows.length > 0;
}

export async function rowCount(flint: { db: Queryable }, table: string, where: Sql = sql`TRUE`): Promise<number> {
  const { rows } = await flint.db.query<{ n: string }>(sql`SELECT count(*) AS n FROM ${ident(table)} WHERE ${where}`);
  return Number(rows[0].n);
}
