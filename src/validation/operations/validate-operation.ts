/**
 * $validate at system, type and instance level (http://hl7.org/fhir/R4/resource-operation-validate.html):
 * the resource from the body (directly or as the resource parameter) or, at instance level, the
 * stored one; mode create, update or delete; profile to validate against. Always answers 200
 * with the OperationOutcome, errors included.
 */
import { operationOutcome, type Issue, type OperationOutcome, type Resource } from '../../core/index.js';
import type { FhirValidator } from '../fhir-validator.js';
import { referencesRequested } from '../server-validator.js';
import { VALIDATION_CODES as CODES } from '../validation-issues.js';
import type { BasicOperationCall, OperationContract, OperationInput, OperationParameter, OperationRequest } from '../../operation/index.js';

export interface ValidateOperationDeps {
  validator: FhirValidator;
  /** The stored resource, read through the transaction when there is one; one the request's caller may not see is none. */
  readResource(resourceType: string, id: string, tx?: unknown, request?: OperationRequest): Promise<Resource | undefined>;
  /** Does Type/id exist, among the rows the request's caller may see? (for x-validate-references: true) */
  referenceExists(resourceType: string, id: string, tx?: unknown, request?: OperationRequest): Promise<boolean>;
  /** The server's default for checking referenced resources. */
  checkReferences: boolean;
}

/** The parameters of Resource-validate; profile may repeat here (each is checked). */
export const VALIDATE_PARAMETERS: OperationParameter[] = [
  { name: 'resource', min: 0, max: 1, type: 'Resource' },
  { name: 'mode', min: 0, max: 1, type: 'code', alsoAccepts: ['string'] },
  { name: 'profile', min: 0, max: '*', type: 'uri', alsoAccepts: ['canonical', 'string'] },
];

const MODES = new Set(['create', 'update', 'delete']);

function problem(code: string, diagnostics: string, type: Issue['type'] = 'invalid', expression?: string): Issue {
  return { severity: 'error', type, code, diagnostics, ...(expression ? { expression: [expression] } : {}) };
}

function outcome(issues: Issue[]): OperationOutcome {
  if (issues.length > 0) return operationOutcome(issues);
  return operationOutcome([{ severity: 'information', type: 'informational', code: 'validation.ok', diagnostics: 'No issues were found' }]);
}

async function subject(call: BasicOperationCall, input: OperationInput, deps: ValidateOperationDeps, issues: Issue[]): Promise<Resource | undefined> {
  const given = input.resource('resource');
  const { resourceType, id } = call.route;
  if (given) {
    if (resourceType && given.resourceType !== resourceType) {
      issues.push(problem('validation.type-mismatch', `The resource is a ${given.resourceType}, but the URL names ${resourceType}`, 'invalid', 'resourceType'));
    }
    return given;
  }
  if (resourceType && id) {
    const stored = await deps.readResource(resourceType, id, call.tx, call.request);
    if (!stored) issues.push(problem('validation.not-found', `${resourceType}/${id} is not known`, 'not-found'));
    return stored;
  }
  issues.push(problem('validation.no-resource', 'Give the resource to validate in the body or as the resource parameter', 'required'));
  return undefined;
}

/** Known, even when it does not compile (the walk then reports why). */
function isKnownProfile(validator: FhirValidator, profile: string): boolean {
  try {
    return validator.registry.resolve(profile) !== undefined;
  } catch {
    return true;
  }
}

export async function validateOperation(call: BasicOperationCall, input: OperationInput, deps: ValidateOperationDeps): Promise<OperationOutcome> {
  const issues: Issue[] = [];
  const mode = input.string('mode') ?? 'create';
  if (!MODES.has(mode)) return outcome([problem('validation.bad-mode', `mode must be create, update or delete, not ${mode}`)]);
  const profiles = input.strings('profile');
  const resource = await subject(call, input, deps, issues);
  if (!resource || issues.length > 0) return outcome(issues);
  if (mode === 'delete') return outcome([]);
  if (mode === 'update' && (resource.id === undefined || (call.route.id !== undefined && resource.id !== call.route.id))) {
    issues.push(problem('validation.update-id', 'For mode update the resource needs the id of the resource it updates', 'invalid', `${resource.resourceType}.id`));
  }
  const known = profiles.filter((profile) => {
    if (isKnownProfile(deps.validator, profile)) return true;
    issues.push(problem(CODES.profileUnknown, `The profile ${profile} is not known to this server`, 'not-found'));
    return false;
  });
  const checkReferences = referencesRequested(call.request.headers) ?? deps.checkReferences;
  issues.push(...await deps.validator.validate(resource, {
    profiles: known,
    referenceExists: checkReferences ? (type, id) => deps.referenceExists(type, id, call.tx, call.request) : undefined,
  }));
  return outcome(issues);
}

export function validateOperationEntry(deps: ValidateOperationDeps): OperationContract {
  return {
    name: 'validate',
    levels: ['system', 'type', 'instance'],
    affectsState: false,
    definition: 'http://hl7.org/fhir/OperationDefinition/Resource-validate',
    parameters: VALIDATE_PARAMETERS,
    handler: async (call, input) => ({ status: 200, headers: {}, body: await validateOperation(call, input, deps) }),
  };
}
