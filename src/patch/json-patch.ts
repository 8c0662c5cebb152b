/**
 * JSON Patch (RFC 6902, https://www.rfc-editor.org/rfc/rfc6902) for PATCH requests with
 * Content-Type application/json-patch+json (http://hl7.org/fhir/R4/http.html#patch), applied with
 * fast-json-patch. Every operation is checked for its shape before any is applied; the input
 * resource is never modified, and decimals keep their written text (json-patch-texts.ts). Problems are FhirErrors (unprocessable) with one stable code each:
 *
 * | code | problem |
 * |---|---|
 * | patch.not-an-array | the body is not a JSON array of operations |
 * | patch.invalid-operation | an operation is not a JSON object |
 * | patch.invalid-op | `op` is not add, remove, replace, move, copy or test |
 * | patch.invalid-path | `path` (or `from`) is not a JSON Pointer, or steps through `__proto__`, `constructor` or `prototype` |
 * | patch.from-required | move or copy without `from` |
 * | patch.value-required | add, replace or test without `value` |
 * | patch.path-not-found | `path` does not exist (or its parent, for add) |
 * | patch.from-not-found | `from` does not exist |
 * | patch.invalid-array-index | an array index that is not a number or `-` |
 * | patch.index-out-of-bounds | an array index past the end (or of more than nine digits) |
 * | patch.test-failed | a test operation found another value |
 * | patch.result-not-a-resource | the patched document is no longer a resource of the same type |
 */
import jsonpatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { cloneFhirJson, FhirError } from '../core/index.js';
import { patchErrors, type PatchErrorCode } from './patch-errors.js';
import { operationNumberText, putNumberText } from './json-patch-texts.js';

const codes: Record<string, PatchErrorCode> = {
  SEQUENCE_NOT_AN_ARRAY: 'patch.not-an-array',
  OPERATION_NOT_AN_OBJECT: 'patch.invalid-operation',
  OPERATION_OP_INVALID: 'patch.invalid-op',
  OPERATION_PATH_INVALID: 'patch.invalid-path',
  OPERATION_FROM_REQUIRED: 'patch.from-required',
  OPERATION_VALUE_REQUIRED: 'patch.value-required',
  OPERATION_VALUE_CANNOT_CONTAIN_UNDEFINED: 'patch.value-required',
  OPERATION_PATH_CANNOT_ADD: 'patch.path-not-found',
  OPERATION_PATH_UNRESOLVABLE: 'patch.path-not-found',
  OPERATION_FROM_UNRESOLVABLE: 'patch.from-not-found',
  OPERATION_PATH_ILLEGAL_ARRAY_INDEX: 'patch.invalid-array-index',
  OPERATION_VALUE_OUT_OF_BOUNDS: 'patch.index-out-of-bounds',
  TEST_OPERATION_FAILED: 'patch.test-failed',
};

function patchError(code: PatchErrorCode, index: number | undefined, message: string, cause?: unknown): FhirError {
  const where = index === undefined ? '' : `operation ${index}: `;
  return patchErrors[code]({ detail: `JSON Patch ${where}${message}` }, { cause });
}

function toFhirError(error: unknown): FhirError {
  if (error instanceof jsonpatch.JsonPatchError) {
    // The library's message appends the operation and the whole document: keep its first line only.
    return patchError((Object.hasOwn(codes, error.name) ? codes[error.name] : 'patch.invalid-operation'), error.index, error.message.split('\n')[0], error);
  }
  throw error;
}

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);
/** Member names that would reach a JS object's prototype instead of the document. */
const PROTOTYPE_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

/** Refuses pointers through prototype names and array indexes no resource can have. */
function checkPointer(pointer: unknown, index: number): void {
  if (typeof pointer !== 'string') return;
  for (const segment of pointer.split('/')) {
    const name = segment.replace(/~1/g, '/').replace(/~0/g, '~');
    if (PROTOTYPE_NAMES.has(name)) throw patchError('patch.invalid-path', index, `the pointer steps through "${name}"`);
    if (/^\d{10,}$/.test(name)) throw patchError('patch.index-out-of-bounds', index, `the index ${name} is past the end of any array`);
  }
}

/** Checks the shape of every operation, before any is applied. */
export function validateJsonPatch(operations: unknown): asserts operations is Operation[] {
  if (!Array.isArray(operations)) throw patchError('patch.not-an-array', undefined, 'the patch must be a JSON array of operations');
  operations.forEach((operation: unknown, index) => {
    const op = (operation as { op?: unknown } | null)?.op;
    if (typeof operation === 'object' && operation !== null && !OPS.has(op as string)) {
      throw patchError('patch.invalid-op', index, '`op` must be add, remove, replace, move, copy or test');
    }
    checkPointer((operation as { path?: unknown } | null)?.path, index);
    checkPointer((operation as { from?: unknown } | null)?.from, index);
    try {
      jsonpatch.validator(operation as Operation, index);
    } catch (error) {
      throw toFhirError(error);
    }
    const from = (operation as { from?: unknown }).from;
    if (typeof from === 'string' && from !== '' && !from.startsWith('/')) {
      throw patchError('patch.invalid-path', index, '`from` must be a JSON Pointer starting with "/"');
    }
  });
}

function assertStillResource(original: Record<string, unknown>, patched: unknown): void {
  const type = (patched as { resourceType?: unknown } | null)?.resourceType;
  if (typeof patched !== 'object' || patched === null || Array.isArray(patched) || type !== original.resourceType) {
    throw patchError('patch.result-not-a-resource', undefined, `the result must stay a ${String(original.resourceType)} resource`);
  }
}

/** Applies a JSON Patch to a copy of the resource and returns the copy. */
export function applyJsonPatch<T extends object>(resource: T, operations: unknown): T {
  validateJsonPatch(operations);
  let patched: unknown = cloneFhirJson(resource);
  try {
    cloneFhirJson(operations).forEach((operation, index) => {
      const text = operationNumberText(patched, operation);
      patched = jsonpatch.applyOperation(patched, operation, true, true, true, index).newDocument;
      putNumberText(patched, operation, text);
    });
  } catch (error) {
    throw toFhirError(error);
  }
  if ('resourceType' in resource) assertStillResource(resource as Record<string, unknown>, patched);
  return patched as T;
}
