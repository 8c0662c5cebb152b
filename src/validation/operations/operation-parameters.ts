/**
 * Reading an operation's input parameters from a Parameters body and the query string
 * (http://hl7.org/fhir/R4/operations.html#request).
 */
import { isJsonObject, isResource, type Resource } from '../../core/index.js';
import type { OperationRequest } from './operation-host.js';

export interface OperationInput {
  /** The Parameters body, or undefined when the body is another resource or absent. */
  parameters?: Resource;
  /** The body when it is a resource other than Parameters. */
  resource?: Resource;
}

export function readInput(request: OperationRequest): OperationInput {
  const body = request.body;
  if (!isResource(body)) return {};
  return body.resourceType === 'Parameters' ? { parameters: body } : { resource: body };
}

function parameterList(parameters: Resource | undefined): Record<string, unknown>[] {
  const list = parameters?.parameter;
  return Array.isArray(list) ? list.filter(isJsonObject) : [];
}

/** Every value of a named parameter: [x] values as strings, resources as resources. */
export function parameterValues(input: OperationInput, request: OperationRequest, name: string): unknown[] {
  const values: unknown[] = request.query.filter(([key]) => key === name).map(([, value]) => value);
  for (const parameter of parameterList(input.parameters)) {
    if (parameter.name !== name) continue;
    if (parameter.resource !== undefined) values.push(parameter.resource);
    for (const [key, value] of Object.entries(parameter)) {
      if (key.startsWith('value')) values.push(value);
    }
  }
  return values;
}

export function stringParameter(input: OperationInput, request: OperationRequest, name: string): string | undefined {
  const value = parameterValues(input, request, name).find((candidate) => typeof candidate === 'string');
  return value as string | undefined;
}
