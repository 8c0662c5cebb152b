/**
 * The one reader of operation input (http://hl7.org/fhir/R4/operations.html#request): the
 * parameters of the query string and of the body, checked against the operation's definition.
 * The body is a Parameters resource or, for an operation with one resource parameter, that
 * resource itself. Every problem is one of five kinds (operation-errors.ts), worded the same way
 * for every operation and naming the parameter in the expression: an unnamed or unknown
 * parameter, a value not of the parameter's type, more values than max, fewer than min.
 */
import { isJsonObject, isResource, type QueryParams } from '../core/index.js';
import { defaultParameterErrors, type ParameterErrors } from './operation-errors.js';
import { OperationInput } from './operation-input.js';
import { acceptedTypes, fitsType, fromQueryText, isResourceType, valueKey, type OperationParameter } from './operation-parameter.js';

/** The part of an operation's contract the reader follows. */
export interface InputDefinition {
  parameters?: readonly OperationParameter[];
  parameterErrors?: ParameterErrors;
  openQuery?: boolean;
}

/** The FHIR parameters every interaction takes (http://hl7.org/fhir/R4/http.html#parameters); not the operation's. */
const GENERAL_PARAMETERS = new Set(['_format', '_pretty', '_summary', '_elements']);

interface Reading {
  definition: InputDefinition;
  errors: ParameterErrors;
  byName: Map<string, OperationParameter>;
  values: Map<string, unknown[]>;
}

export function readOperationInput(definition: InputDefinition, request: { query: QueryParams; body?: unknown }): OperationInput {
  const reading: Reading = {
    definition,
    errors: definition.parameterErrors ?? defaultParameterErrors,
    byName: new Map((definition.parameters ?? []).map((parameter) => [parameter.name, parameter])),
    values: new Map(),
  };
  for (const [name, text] of request.query) readQueryParameter(reading, name, text);
  readBody(reading, request.body);
  checkMinimums(reading);
  return new OperationInput(reading.values);
}

function readQueryParameter(reading: Reading, name: string, text: string): void {
  const parameter = reading.byName.get(name);
  if (!parameter) {
    if (GENERAL_PARAMETERS.has(name) || reading.definition.openQuery) return;
    throw unknownParameter(reading, name);
  }
  if (isResourceType(parameter.type)) {
    throw reading.errors.invalid({ detail: `${name} takes a resource, which cannot be given in the URL` }, { expression: name });
  }
  const value = fromQueryText(parameter.type, text);
  if (value === undefined) throw reading.errors.invalid({ detail: `${name}=${text} is not a valid ${parameter.type}` }, { expression: name });
  addValue(reading, parameter, value);
}

function readBody(reading: Reading, body: unknown): void {
  if (body === undefined || body === null || body === '') return;
  if (isResource(body) && body.resourceType !== 'Parameters') {
    const target = soleResourceParameter(reading.definition);
    if (!target) throw notParameters(reading, 'The operation takes a Parameters resource in the request body', 'Parameters');
    addValue(reading, target, body);
    return;
  }
  if (!isResource(body)) throw notParameters(reading, 'The operation takes a Parameters resource in the request body', 'Parameters');
  if (body.parameter === undefined) return;
  if (!Array.isArray(body.parameter)) throw notParameters(reading, 'Parameters.parameter must be an array', 'Parameters.parameter');
  for (const entry of body.parameter) readEntry(reading, entry);
}

/** The parameter a resource body stands for: the only input parameter that takes a resource. */
function soleResourceParameter(definition: InputDefinition): OperationParameter | undefined {
  const resourceParameters = (definition.parameters ?? []).filter((parameter) => isResourceType(parameter.type));
  return resourceParameters.length === 1 ? resourceParameters[0] : undefined;
}

function readEntry(reading: Reading, entry: unknown): void {
  const name = isJsonObject(entry) && typeof entry.name === 'string' && entry.name !== '' ? entry.name : undefined;
  if (!name || !isJsonObject(entry)) {
    throw reading.errors.invalid({ detail: 'Every parameter needs a name' }, { expression: 'Parameters.parameter' });
  }
  const parameter = reading.byName.get(name);
  if (!parameter) throw unknownParameter(reading, name);
  addValue(reading, parameter, isResourceType(parameter.type) ? entryResource(reading, parameter, entry) : entryValue(reading, parameter, entry));
}

function entryResource(reading: Reading, parameter: OperationParameter, entry: Record<string, unknown>): unknown {
  const resource = entry.resource;
  const fields = Object.keys(entry).filter((field) => field !== 'name' && field !== 'resource');
  const fits = isResource(resource) && (parameter.type === 'Resource' || resource.resourceType === parameter.type);
  if (!fits || fields.length > 0) {
    throw reading.errors.invalid({ detail: `${parameter.name} takes one resource (${parameter.type})` }, { expression: parameter.name });
  }
  return resource;
}

function entryValue(reading: Reading, parameter: OperationParameter, entry: Record<string, unknown>): unknown {
  const fields = Object.keys(entry).filter((field) => field !== 'name');
  const types = acceptedTypes(parameter);
  const type = types.find((candidate) => fields.length === 1 && fields[0] === valueKey(candidate));
  if (type === undefined || !fitsType(type, entry[valueKey(type)])) {
    const keys = types.map(valueKey).join(' or ');
    const notEmpty = types.every((candidate) => fitsType(candidate, 'text')) ? ' (not empty)' : '';
    throw reading.errors.invalid({ detail: `${parameter.name} takes one ${keys}${notEmpty}` }, { expression: parameter.name });
  }
  return entry[valueKey(type)];
}

function addValue(reading: Reading, parameter: OperationParameter, value: unknown): void {
  const values = reading.values.get(parameter.name) ?? [];
  if (parameter.max !== '*' && values.length >= parameter.max) {
    const detail = parameter.max === 1 ? `${parameter.name} is given more than once` : `${parameter.name} is given more than ${parameter.max} times`;
    throw reading.errors.repeated({ detail }, { expression: parameter.name });
  }
  values.push(value);
  reading.values.set(parameter.name, values);
}

function checkMinimums(reading: Reading): void {
  for (const parameter of (reading.definition.parameters ?? [])) {
    if ((reading.values.get(parameter.name)?.length ?? 0) < parameter.min) {
      throw reading.errors.missing({ detail: `${parameter.name} is required` }, { expression: parameter.name });
    }
  }
}

function unknownParameter(reading: Reading, name: string) {
  const known = (reading.definition.parameters ?? []).map((parameter) => parameter.name);
  const takes = known.length > 0 ? `; this operation takes ${known.join(', ')}` : '; this operation takes none';
  return reading.errors.unknown({ detail: `Unknown parameter ${name}${takes}` }, { expression: name });
}

function notParameters(reading: Reading, detail: string, expression: string) {
  return reading.errors['not-parameters']({ detail }, { expression });
}
