/**
 * The validator as the engine calls it before every write: the configured level (full validation,
 * or the structural checks only), and the check that referenced resources exist, switched on by
 * the setting or per request with the x-validate-references header (true or false).
 */
import type { Issue, Resource } from '../core/index.js';
import type { FhirValidator } from './fhir-validator.js';
import { validationErrors } from './validation-errors.js';

export const REFERENCES_HEADER = 'x-validate-references';

export interface WriteValidationRequest {
  mode: 'create' | 'update' | 'delete';
  profiles?: string[];
  headers?: Record<string, string | undefined>;
  referenceExists?: (resourceType: string, id: string) => Promise<boolean>;
}

export interface ServerValidationSettings {
  /** full: everything; structure: only the structural checks. */
  level: 'full' | 'structure';
  /** Check that relative references name existing resources unless a request says otherwise. */
  checkReferences: boolean;
}

/** Reads x-validate-references; undefined when absent. */
export function referencesRequested(headers: Record<string, string | undefined> | undefined): boolean | undefined {
  const value = headers?.[REFERENCES_HEADER]?.trim().toLowerCase();
  if (value === undefined || value === '') return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw validationErrors['validation.bad-header']({ detail: `${REFERENCES_HEADER} must be true or false, not "${value}"` });
}

export function createWriteValidator(validator: FhirValidator, settings: ServerValidationSettings) {
  return {
    async validate(resource: Resource, request: WriteValidationRequest): Promise<Issue[]> {
      if (request.mode === 'delete') return [];
      if (settings.level === 'structure') return validator.walk(resource, { structureOnly: true }).issues;
      const checkReferences = referencesRequested(request.headers) ?? settings.checkReferences;
      return validator.validate(resource, {
        profiles: request.profiles,
        referenceExists: checkReferences ? request.referenceExists : undefined,
        withoutInformation: true,
      });
    },
  };
}
