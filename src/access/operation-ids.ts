/**
 * The operation id of a request (`operation.id` of the request object, and the target of a policy
 * linked to `Operation/<id>`), named as Aidbox names its FHIR operations: FhirRead, FhirVRead,
 * FhirSearch (type, system and compartment search), FhirCreate, FhirUpdate (and conditional update),
 * FhirPatch (and conditional patch), FhirDelete (and conditional delete), FhirHistory (instance,
 * type and system), FhirCapabilities, FhirBatch, FhirTransaction; an operation `$name` is Fhir
 * followed by its name in upper camel case: $sql FhirSql, $create-search-index FhirCreateSearchIndex.
 */
import type { FhirRequest, Interaction, Route } from '../engine/index.js';

const BY_INTERACTION: Record<Exclude<Interaction, 'operation' | 'batch'>, string> = {
  read: 'FhirRead',
  vread: 'FhirVRead',
  update: 'FhirUpdate',
  patch: 'FhirPatch',
  delete: 'FhirDelete',
  'history-instance': 'FhirHistory',
  'history-type': 'FhirHistory',
  'history-system': 'FhirHistory',
  create: 'FhirCreate',
  'search-type': 'FhirSearch',
  'search-system': 'FhirSearch',
  'search-compartment': 'FhirSearch',
  capabilities: 'FhirCapabilities',
  'conditional-update': 'FhirUpdate',
  'conditional-patch': 'FhirPatch',
  'conditional-delete': 'FhirDelete',
};

/** The operation id of `$name`: FhirSql, FhirCreateSearchIndex, FhirTestPolicy. */
export function operationIdOf(name: string): string {
  return `Fhir${name.split(/[-_]/).filter((part) => part !== '').map((part) => part[0].toUpperCase() + part.slice(1)).join('')}`;
}

/** The operation id of a request on its route. */
export function operationId(request: Pick<FhirRequest, 'body'>, route: Route): string {
  if (route.interaction === 'operation') return operationIdOf(route.operation ?? '');
  if (route.interaction === 'batch') {
    const type = (request.body as { type?: unknown } | undefined)?.type;
    return type === 'transaction' ? 'FhirTransaction' : 'FhirBatch';
  }
  return BY_INTERACTION[route.interaction];
}
