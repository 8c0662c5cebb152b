/**
 * The Parameters resources the platform operations take and return
 * (http://hl7.org/fhir/R4/parameters.html). Each operation declares its parameters with the value
 * type it takes; anything else (an unknown or repeated name, another value type) is a 422 that
 * names the parameter.
 */
import { FhirError, isJsonObject, isResource, isValidId, type Resource } from '../core/index.js';
import { parameterError, PLATFORM_CODES as CODES } from './platform-errors.js';

export type ValueKey = 'valueString' | 'valueCanonical' | 'valueBoolean';

export type ParameterSpec = Record<string, ValueKey>;

export type ParameterValues = Map<string, string | boolean>;

export interface ParameterEntry {
  name: string;
  valueString?: string;
  valueCanonical?: string;
  valueBoolean?: boolean;
}

function parameterList(body: unknown, optionalBody: boolean): unknown[] {
  if ((body === undefined || body === null || body === '') && optionalBody) return [];
  if (!isResource(body) || body.resourceType !== 'Parameters') {
    throw new FhirError('invalid', CODES.notParameters, 'The operation takes a Parameters resource in the request body', { expression: 'Parameters' });
  }
  if (body.parameter === undefined) return [];
  if (!Array.isArray(body.parameter)) throw new FhirError('invalid', CODES.notParameters, 'Parameters.parameter must be an array', { expression: 'Parameters.parameter' });
  return body.parameter;
}

function readValue(entry: Record<string, unknown>, name: string, key: ValueKey): string | boolean {
  const valueKeys = Object.keys(entry).filter((field) => field.startsWith('value'));
  const value = entry[key];
  const expected = key === 'valueBoolean' ? 'boolean' : 'string';
  if (valueKeys.length !== 1 || valueKeys[0] !== key || typeof value !== expected || value === '') {
    throw parameterError(CODES.invalidParameter, name, `${name} takes one ${key}${expected === 'string' ? ' (not empty)' : ''}`);
  }
  return value as string | boolean;
}

/** The values of the declared parameters, by name. */
export function readParameters(body: unknown, spec: ParameterSpec, optionalBody = false): ParameterValues {
  const values: ParameterValues = new Map();
  for (const entry of parameterList(body, optionalBody)) {
    const name = isJsonObject(entry) && typeof entry.name === 'string' ? entry.name : undefined;
    if (!name || !isJsonObject(entry)) throw parameterError(CODES.invalidParameter, 'Parameters.parameter', 'Every parameter needs a name');
    const key = spec[name];
    if (!key) {
      const known = Object.keys(spec);
      throw parameterError(CODES.unknownParameter, name,
        `Unknown parameter ${name}${known.length > 0 ? `; this operation takes ${known.join(', ')}` : '; this operation takes none'}`);
    }
    if (values.has(name)) throw parameterError(CODES.duplicateParameter, name, `${name} is given more than once`);
    values.set(name, readValue(entry, name, key));
  }
  return values;
}

export function stringValue(values: ParameterValues, name: string): string | undefined {
  const value = values.get(name);
  return typeof value === 'string' ? value : undefined;
}

export function requiredString(values: ParameterValues, name: string): string {
  const value = stringValue(values, name);
  if (value === undefined) throw parameterError(CODES.missingParameter, name, `${name} is required`);
  return value;
}

/** An id parameter (storageId, apiId): a valid FHIR id when given. */
export function idValue(values: ParameterValues, name: string): string | undefined {
  const value = stringValue(values, name);
  if (value !== undefined && !isValidId(value)) {
    throw parameterError(CODES.invalidParameter, name, `${name} must be a valid id (1-64 of A-Z a-z 0-9 - .)`);
  }
  return value;
}

export function parametersResource(parameter: ParameterEntry[]): Resource {
  return { resourceType: 'Parameters', parameter };
}

/** A collection Bundle of Parameters (the answer of the $list operations). */
export function parametersCollection(items: Resource[]): Resource {
  return { resourceType: 'Bundle', type: 'collection', entry: items.map((resource) => ({ resource })) };
}
