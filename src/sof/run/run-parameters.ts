/**
 * The input of $run (https://sql-on-fhir.org/ig/OperationDefinition-ViewDefinitionRun.html): its
 * parameters as the operation reader takes them (a Parameters body and/or the query string), and
 * the RunParameters the runner needs. _format (json, ndjson, csv), header, viewReference,
 * viewResource, patient, group, resource, _limit, _since; `source` (an external data source) is
 * not supported. Malformed input is 400 sof.invalid-parameter.
 */
import { isJsonObject, type QueryParams, type Resource } from '../../core/index.js';
import { oneCodeForAll, readOperationInput, type OperationInput, type OperationParameter } from '../../operation/index.js';
import { sofErrors } from '../sof-errors.js';

export type RunFormat = 'json' | 'ndjson' | 'csv';

export interface RunParameters {
  format: RunFormat;
  header: boolean;
  viewReference?: string;
  viewResource?: Resource;
  patients: string[];
  groups: string[];
  resources?: Resource[];
  limit?: number;
  since?: string;
}

/** Every input problem of the view operations is 400 sof.invalid-parameter. */
export const SOF_PARAMETER_ERRORS = oneCodeForAll(sofErrors['sof.invalid-parameter']);

const REFERENCE = { type: 'Reference', alsoAccepts: ['string'] } as const;

export const RUN_PARAMETERS: OperationParameter[] = [
  { name: '_format', min: 0, max: 1, type: 'code', alsoAccepts: ['string'] },
  { name: 'header', min: 0, max: 1, type: 'boolean' },
  { name: 'viewReference', min: 0, max: 1, ...REFERENCE },
  { name: 'viewResource', min: 0, max: 1, type: 'Resource' },
  { name: 'patient', min: 0, max: '*', ...REFERENCE },
  { name: 'group', min: 0, max: '*', ...REFERENCE },
  { name: 'source', min: 0, max: 1, type: 'string' },
  { name: 'resource', min: 0, max: '*', type: 'Resource' },
  { name: '_limit', min: 0, max: 1, type: 'integer', alsoAccepts: ['positiveInt'] },
  { name: '_since', min: 0, max: 1, type: 'instant', alsoAccepts: ['dateTime'] },
];

const FORMATS: Record<string, RunFormat> = {
  json: 'json', 'application/json': 'json', 'application/fhir+json': 'json',
  ndjson: 'ndjson', 'application/x-ndjson': 'ndjson', 'application/fhir+ndjson': 'ndjson', 'application/ndjson': 'ndjson',
  csv: 'csv', 'text/csv': 'csv',
};

const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

function bad(name: string, problem: string) {
  return sofErrors['sof.invalid-parameter']({ detail: `$run parameter ${name}: ${problem}` }, { expression: name });
}

function format(value: string | undefined): RunFormat {
  if (value === undefined) return 'json';
  const chosen = Object.hasOwn(FORMATS, value.toLowerCase()) ? FORMATS[value.toLowerCase()] : undefined;
  if (!chosen) throw bad('_format', `${value} is not one of json, ndjson, csv`);
  return chosen;
}

/** The text of a Reference value (or of a string given for one). */
function referenceText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return isJsonObject(value) && typeof value.reference === 'string' ? value.reference : undefined;
}

function idOf(value: unknown, type: 'Patient' | 'Group', name: string): string {
  const reference = referenceText(value);
  const match = reference === undefined ? null : new RegExp(`^(?:${type}/)?([A-Za-z0-9.-]{1,64})$`).exec(reference);
  if (!match) throw bad(name, `${reference ?? 'the value'} is not a ${type} reference`);
  return match[1];
}

function limit(value: number | undefined): number | undefined {
  if (value !== undefined && value < 0) throw bad('_limit', 'must be a non-negative integer');
  return value;
}

function since(value: string | undefined): string | undefined {
  if (value !== undefined && !INSTANT.test(value)) throw bad('_since', 'must be an instant');
  return value;
}

/** The runner's parameters from the checked input of $run. */
export function runParameters(input: OperationInput): RunParameters {
  if (input.has('source')) {
    throw sofErrors['sof.invalid-parameter']({ detail: '$run: external data sources (source) are not supported' },
      { expression: 'source', issueType: 'not-supported' });
  }
  const viewReference = referenceText(input.one('viewReference'));
  const viewResource = input.resource('viewResource');
  const rowLimit = limit(input.number('_limit'));
  const changedSince = since(input.string('_since'));
  return {
    format: format(input.string('_format')),
    header: input.boolean('header') !== false,
    patients: input.all('patient').map((value) => idOf(value, 'Patient', 'patient')),
    groups: input.all('group').map((value) => idOf(value, 'Group', 'group')),
    ...(viewReference !== undefined ? { viewReference } : {}),
    ...(viewResource !== undefined ? { viewResource } : {}),
    ...(input.has('resource') ? { resources: input.resources('resource') } : {}),
    ...(rowLimit !== undefined ? { limit: rowLimit } : {}),
    ...(changedSince !== undefined ? { since: changedSince } : {}),
  };
}

/** Reads the Parameters body (if any) and the query string of a $run request. */
export function readRunParameters(body: unknown, query: QueryParams): RunParameters {
  return runParameters(readOperationInput({ parameters: RUN_PARAMETERS, parameterErrors: SOF_PARAMETER_ERRORS }, { query, body }));
}
