/**
 * The Parameters the platform operations take and return (http://hl7.org/fhir/R4/parameters.html).
 * Their input is read by the one operation reader (src/operation/) from each operation's
 * parameters, with the platform's codes: anything the definition does not allow (an unknown or
 * repeated name, another value type, a missing required one) is a 422 that names the parameter.
 */
import { isValidId, type Resource } from '../core/index.js';
import type { OperationInput, OperationParameter } from '../operation/index.js';
import { platformError } from './platform-errors.js';

export interface ParameterEntry {
  name: string;
  valueString?: string;
  valueCanonical?: string;
  valueBoolean?: boolean;
}

/** A parameter of max 1 of the type: optional unless `required`. */
export function parameter(name: string, type: 'string' | 'canonical' | 'boolean', required = false): OperationParameter {
  return { name, type, min: required ? 1 : 0, max: 1 };
}

/** The same parameters with one of them required. */
export function requiring(parameters: readonly OperationParameter[], name: string): OperationParameter[] {
  return parameters.map((candidate) => (candidate.name === name ? { ...candidate, min: 1 } : candidate));
}

/** A string the definition requires (the reader has checked it is there). */
export function requiredString(input: OperationInput, name: string): string {
  const value = input.string(name);
  if (value === undefined) throw platformError('platform.missing-parameter', name, `${name} is required`);
  return value;
}

/** An id parameter (storageId, apiId): a valid FHIR id when given. */
export function idValue(input: OperationInput, name: string): string | undefined {
  const value = input.string(name);
  if (value !== undefined && !isValidId(value)) {
    throw platformError('platform.invalid-parameter', name, `${name} must be a valid id (1-64 of A-Z a-z 0-9 - .)`);
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
