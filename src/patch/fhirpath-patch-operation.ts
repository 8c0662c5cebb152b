/**
 * Reads the operations of a FHIRPath Patch (http://hl7.org/fhir/R4/fhirpatch.html): a Parameters
 * resource whose `operation` parameters carry parts type, path, name, value, index, source and
 * destination. Checks that each operation has the parts its type needs, before any is applied.
 */
import { numberTextAt, type FhirError } from '../core/index.js';
import { patchErrors, type PatchErrorCode } from './patch-errors.js';

export type PatchType = 'add' | 'insert' | 'delete' | 'replace' | 'move';

export interface ParametersPart {
  name?: string;
  part?: ParametersPart[];
  [key: string]: unknown;
}

/** The new content of an operation: a typed value (`valueQuantity`), or parts of an anonymous type. */
export type PatchValue =
  | { kind: 'typed'; type: string; json: unknown; meta?: unknown; text?: string }
  | { kind: 'parts'; parts: ParametersPart[] };

export interface PatchOperation {
  type: PatchType;
  path: string;
  name?: string;
  value?: PatchValue;
  index?: number;
  source?: number;
  destination?: number;
  /** `Parameters.parameter[n]`, for errors. */
  expression: string;
}

const needs: Record<PatchType, (keyof PatchOperation)[]> = {
  add: ['name', 'value'],
  insert: ['index', 'value'],
  delete: [],
  replace: ['value'],
  move: ['source', 'destination'],
};

export function patchError(code: PatchErrorCode, expression: string, message: string): FhirError {
  return patchErrors[code]({ detail: `FHIRPath Patch: ${message}` }, { expression });
}

/** The value part as a PatchValue: its `value[x]`, or its nested parts. */
export function readValue(part: ParametersPart): PatchValue | undefined {
  const key = Object.keys(part).find((k) => /^value[A-Z]/.test(k));
  if (key) {
    const json = part[key];
    const text = typeof json === 'number' ? numberTextAt(part, key, json) : undefined;
    return { kind: 'typed', type: key.slice('value'.length), json, meta: part[`_${key}`], text };
  }
  if (Array.isArray(part.part)) return { kind: 'parts', parts: part.part };
  return undefined;
}

function readPart(part: ParametersPart, expression: string): Partial<PatchOperation> {
  const value = readValue(part);
  const text = (): string => {
    if (value?.kind !== 'typed' || typeof value.json !== 'string') throw patchError('patch.invalid-part', expression, `part '${part.name}' must have a string value`);
    return value.json;
  };
  const integer = (): number => {
    if (value?.kind !== 'typed' || !Number.isInteger(value.json) || (value.json as number) < 0) {
      throw patchError('patch.invalid-part', expression, `part '${part.name}' must be a non-negative integer`);
    }
    return value.json as number;
  };
  switch (part.name) {
    case 'type': return { type: text() as PatchType };
    case 'path': return { path: text() };
    case 'name': return { name: text() };
    case 'value': return { value };
    case 'index': return { index: integer() };
    case 'source': return { source: integer() };
    case 'destination': return { destination: integer() };
    default: throw patchError('patch.invalid-part', expression, `unknown part '${String(part.name)}'`);
  }
}

function readOperation(parameter: ParametersPart, expression: string): PatchOperation {
  if (parameter.name !== 'operation') throw patchError('patch.invalid-operation', expression, `parameter '${String(parameter.name)}' is not an operation`);
  const operation: Partial<PatchOperation> = { expression };
  for (const part of parameter.part ?? []) Object.assign(operation, readPart(part, expression));
  if (!operation.type || !Object.hasOwn(needs, operation.type)) {
    throw patchError('patch.invalid-type', expression, `operation type must be add, insert, delete, replace or move, not '${String(operation.type)}'`);
  }
  const missing = ['path', ...needs[operation.type]].filter((key) => operation[key as keyof PatchOperation] === undefined);
  if (missing.length > 0) throw patchError('patch.missing-part', expression, `${operation.type} needs the part(s) ${missing.join(', ')}`);
  return operation as PatchOperation;
}

/** The operations of a FHIRPath Patch, in order. */
export function readFhirPathPatch(parameters: unknown): PatchOperation[] {
  const resource = parameters as { resourceType?: unknown; parameter?: unknown } | null;
  if (typeof resource !== 'object' || resource === null || resource.resourceType !== 'Parameters') {
    throw patchErrors['patch.invalid-parameters']({ detail: 'a FHIRPath Patch must be a Parameters resource' });
  }
  if (resource.parameter !== undefined && !Array.isArray(resource.parameter)) {
    throw patchErrors['patch.invalid-parameters']({ detail: 'Parameters.parameter must be an array' });
  }
  return ((resource.parameter ?? []) as ParametersPart[]).map((parameter, i) => readOperation(parameter, `Parameters.parameter[${i}]`));
}
