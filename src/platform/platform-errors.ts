/**
 * The stable codes of the platform's errors (storages, APIs, their operations, the init bundle).
 * Every error about an operation's input names the parameter in OperationOutcome.issue.expression.
 */
import { FhirError } from '../core/index.js';

export const PLATFORM_CODES = {
  notParameters: 'platform.not-parameters',
  unknownParameter: 'platform.unknown-parameter',
  duplicateParameter: 'platform.duplicate-parameter',
  missingParameter: 'platform.missing-parameter',
  invalidParameter: 'platform.invalid-parameter',
  unsupportedStorageType: 'platform.unsupported-storage-type',
  invalidTableName: 'platform.invalid-table-name',
  historyTableRequired: 'platform.history-table-name-required',
  historyTableNotAllowed: 'platform.history-table-name-not-allowed',
  sameTable: 'platform.same-table',
  unknownCanonical: 'platform.unknown-canonical',
  notAResourceType: 'platform.not-a-resource-type',
  systemType: 'platform.system-type',
  tableInUse: 'platform.table-in-use',
  tableLayout: 'platform.table-layout',
  typeMismatch: 'platform.type-mismatch',
  storageNotFound: 'platform.storage-not-found',
  storageExists: 'platform.storage-exists',
  storageInUse: 'platform.storage-in-use',
  unsupportedApiTemplate: 'platform.unsupported-api-template',
  unknownStorage: 'platform.unknown-storage',
  unknownResourceType: 'platform.unknown-resource-type',
  apiExists: 'platform.api-exists',
  apiNotFound: 'platform.api-not-found',
  useOperation: 'platform.use-operation',
} as const;

/** 422: the input breaks a rule; the parameter is named in the expression. */
export function parameterError(code: string, parameter: string, diagnostics: string): FhirError {
  return new FhirError('unprocessable', code, diagnostics, { expression: parameter, issueType: 'invalid' });
}

export function conflictError(code: string, parameter: string, diagnostics: string): FhirError {
  return new FhirError('conflict', code, diagnostics, { expression: parameter });
}

export function notFoundError(code: string, parameter: string, diagnostics: string): FhirError {
  return new FhirError('not-found', code, diagnostics, { expression: parameter });
}
