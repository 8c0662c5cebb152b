/**
 * The catalogue of the platform's errors (storages, APIs, their operations, the init bundle).
 * Every error about an operation's input names the parameter in OperationOutcome.issue.expression;
 * a broken rule about the input is 422 with issue type invalid.
 */
import { defineErrors, detail } from '../core/index.js';
import type { ParameterErrors } from '../operation/index.js';

/** 422: the input breaks a rule (the parameter is named in the expression). */
const rule = (summary: string) => ({ category: 'unprocessable' as const, issueType: 'invalid' as const, summary, message: detail });

export const platformErrors = defineErrors('platform', {
  'platform.not-parameters': { category: 'invalid', summary: 'The body of a platform operation is not a Parameters resource', message: detail },
  'platform.unknown-parameter': rule('A platform operation has no parameter of that name'),
  'platform.duplicate-parameter': rule('A parameter of a platform operation is given more than once'),
  'platform.missing-parameter': rule('A parameter the platform operation requires is not given'),
  'platform.invalid-parameter': rule('A parameter of a platform operation has a value of the wrong type, an empty value or an invalid id'),
  'platform.unsupported-storage-type': rule('The storageType is not one the server supports'),
  'platform.invalid-table-name': rule('A table name is not a valid PostgreSQL name for a storage'),
  'platform.history-table-name-required': rule('A storage with history needs a historyTableName'),
  'platform.history-table-name-not-allowed': rule('A storage without history must not name a history table'),
  'platform.same-table': rule('The history table of a storage is its main table'),
  'platform.unknown-canonical': rule('No StructureDefinition has the canonical URL (and version) given'),
  'platform.not-a-resource-type': rule('The StructureDefinition does not define a concrete resource type'),
  'platform.system-type': rule('The type is one of the server\'s own, which always lives in its default storage and cannot be redefined'),
  'platform.table-in-use': rule('The table is another storage\'s or another type\'s'),
  'platform.table-layout': rule('The table exists but is not a resource table (another layout, a sequence, a type)'),
  'platform.type-mismatch': rule('The storage holds another resource type than the one named'),
  'platform.storage-not-found': { category: 'not-found', summary: 'No storage has the storageId', message: detail },
  'platform.storage-exists': { category: 'conflict', summary: 'A storage with the storageId exists', message: detail },
  'platform.storage-in-use': { category: 'conflict', summary: 'An API serves from the storage, so it cannot be deleted', message: detail },
  'platform.unsupported-api-template': rule('The apiTemplate is not one the server supports'),
  'platform.unknown-storage': rule('No storage has the storageId the API names'),
  'platform.unknown-resource-type': rule('The resourceType is not a resource type the server knows'),
  'platform.api-exists': { category: 'conflict', summary: 'An API with the apiId, or for the resource type, exists', message: detail },
  'platform.api-not-found': { category: 'not-found', summary: 'No API has the apiId', message: detail },
  'platform.use-operation': { category: 'not-allowed', summary: 'Storages and APIs change only through their operations, not by writing their resources', message: detail },
});

export type PlatformErrorCode = keyof typeof platformErrors;

/** The codes the operation reader uses for the platform operations' input. */
export const PLATFORM_PARAMETER_ERRORS: ParameterErrors = {
  'not-parameters': platformErrors['platform.not-parameters'],
  unknown: platformErrors['platform.unknown-parameter'],
  repeated: platformErrors['platform.duplicate-parameter'],
  missing: platformErrors['platform.missing-parameter'],
  invalid: platformErrors['platform.invalid-parameter'],
};

/** An error about one parameter of a platform operation: its code, the parameter, what is wrong. */
export function platformError(code: PlatformErrorCode, parameter: string, diagnostics: string) {
  return platformErrors[code]({ detail: diagnostics }, { expression: parameter });
}
