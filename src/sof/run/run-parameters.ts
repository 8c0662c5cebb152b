/**
 * The input of $run (https://sql-on-fhir.org/ig/OperationDefinition-ViewDefinitionRun.html): a
 * Parameters body and/or query parameters. _format (json, ndjson, csv), header, viewReference,
 * viewResource, patient, group, resource, _limit, _since; `source` (an external data source) is
 * not supported. Malformed input is 400 sof.invalid-parameter.
 */
import { FhirError, isJsonObject, isResource, type QueryParams, type Resource } from '../../core/index.js';

export type RunFormat = 'json' | 'ndjson' | 'csv';

export interface RunParameters {
  format: RunFormat;
  header: boolean;
  viewReference?: string;
  viewResource?: Resource;
  patients: string[];
  groups: string[];
  resources?: unknown[];
  limit?: number;
  since?: string;
}

const FORMATS: Record<string, RunFormat> = {
  json: 'json', 'application/json': 'json', 'application/fhir+json': 'json',
  ndjson: 'ndjson', 'application/x-ndjson': 'ndjson', 'application/fhir+ndjson': 'ndjson', 'application/ndjson': 'ndjson',
  csv: 'csv', 'text/csv': 'csv',
};

const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

function bad(name: string, problem: string): FhirError {
  return new FhirError('invalid', 'sof.invalid-parameter', `$run parameter ${name}: ${problem}`, { expression: name });
}

function format(value: string): RunFormat {
  const chosen = FORMATS[value.toLowerCase()];
  if (!chosen) throw bad('_format', `${value} is not one of json, ndjson, csv`);
  return chosen;
}

function patientId(reference: string, name: string): string {
  const match = /^(?:Patient\/)?([A-Za-z0-9.-]{1,64})$/.exec(reference);
  if (!match) throw bad(name, `${reference} is not a Patient reference`);
  return match[1];
}

function groupId(reference: string): string {
  const match = /^(?:Group\/)?([A-Za-z0-9.-]{1,64})$/.exec(reference);
  if (!match) throw bad('group', `${reference} is not a Group reference`);
  return match[1];
}

function limit(value: unknown): number {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 0) throw bad('_limit', 'must be a non-negative integer');
  return number;
}

function since(value: unknown): string {
  if (typeof value !== 'string' || !INSTANT.test(value)) throw bad('_since', 'must be an instant');
  return value;
}

function referenceOf(parameter: Record<string, unknown>, name: string): string {
  const reference = isJsonObject(parameter.valueReference) ? parameter.valueReference.reference : parameter.valueString;
  if (typeof reference !== 'string') throw bad(name, 'needs a valueReference');
  return reference;
}

function applyParameter(run: RunParameters, parameter: Record<string, unknown>): void {
  const name = String(parameter.name ?? '');
  switch (name) {
    case '_format': run.format = format(String(parameter.valueCode ?? parameter.valueString ?? '')); break;
    case 'header': run.header = parameter.valueBoolean !== false; break;
    case 'viewReference': run.viewReference = referenceOf(parameter, name); break;
    case 'viewResource':
      if (!isResource(parameter.resource)) throw bad(name, 'needs a resource');
      run.viewResource = parameter.resource;
      break;
    case 'patient': run.patients.push(patientId(referenceOf(parameter, name), name)); break;
    case 'group': run.groups.push(groupId(referenceOf(parameter, name))); break;
    case 'resource':
      if (!isResource(parameter.resource)) throw bad(name, 'needs a resource');
      (run.resources ??= []).push(parameter.resource);
      break;
    case '_limit': run.limit = limit(parameter.valueInteger ?? parameter.valuePositiveInt); break;
    case '_since': run.since = since(parameter.valueInstant ?? parameter.valueDateTime); break;
    case 'source': throw new FhirError('unsupported', 'sof.invalid-parameter', '$run: external data sources (source) are not supported');
    default: throw bad(name || '(no name)', 'is not a parameter of $run');
  }
}

/** Reads the Parameters body (if any) and the query string of a $run request. */
export function readRunParameters(body: unknown, query: QueryParams): RunParameters {
  const run: RunParameters = { format: 'json', header: true, patients: [], groups: [] };
  if (body !== undefined && body !== null && body !== '') {
    if (!isResource(body) || body.resourceType !== 'Parameters') {
      throw new FhirError('invalid', 'sof.invalid-parameter', '$run takes a Parameters resource');
    }
    const parameters = Array.isArray(body.parameter) ? body.parameter : [];
    for (const parameter of parameters) {
      if (!isJsonObject(parameter)) throw bad('parameter', 'must be an object');
      applyParameter(run, parameter);
    }
  }
  for (const [name, value] of query) {
    if (name === '_format') run.format = format(value);
    else if (name === 'header') run.header = value !== 'false';
    else if (name === '_limit') run.limit = limit(value);
    else if (name === '_since') run.since = since(value);
    else if (name === 'patient') run.patients.push(patientId(value, name));
    else if (name === 'group') run.groups.push(groupId(value));
    else if (name === 'viewReference') run.viewReference = value;
    else if (name !== '_pretty') throw bad(name, 'is not a parameter of $run');
  }
  return run;
}
