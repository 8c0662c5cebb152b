/**
 * What a successful write says for its audit events: one event per resource version it made (a
 * conditional delete of several resources makes several), each naming Type/id/_history/v and the
 * patients of the version written (or of the version deleted). A write that changed nothing (a
 * create whose If-None-Exist matched, a delete of nothing) is one event about what it named.
 */
import type { FhirResponse, WritePlan } from '../engine/index.js';
import type { FhirModel } from '../model/index.js';
import type { ResourceChange } from '../storage/index.js';
import type { AuditAction, RestSubtype } from './audit-codes.js';
import type { RestEventFacts } from './audit-event.js';
import { patientsOfResource } from './patient-subjects.js';

const CHANGE_ACTIONS: Record<ResourceChange['action'], AuditAction> = { create: 'C', update: 'U', delete: 'D' };

function changeFacts(model: FhirModel, plan: WritePlan, response: FhirResponse, change: ResourceChange): RestEventFacts {
  const version = change.resource ?? change.previous;
  return {
    subtype: plan.kind as RestSubtype, action: CHANGE_ACTIONS[change.action], status: response.status,
    caller: plan.request.caller, baseUrl: plan.request.baseUrl,
    target: `${change.resourceType}/${change.id}/_history/${change.versionId}`,
    patients: patientsOfResource(model, change.resourceType, change.id, version),
  };
}

/** The location a create answered with, as Type/id/_history/v, else what the plan names by id. */
function namedTarget(plan: WritePlan, response: FhirResponse): string | undefined {
  const location = response.headers.location ?? response.headers['content-location'];
  const match = location === undefined ? undefined : /([A-Z][A-Za-z0-9]*\/[^/]+(?:\/_history\/[^/]+)?)$/.exec(location);
  if (match) return match[1];
  const type = plan.storage.resourceType;
  return plan.kind !== 'create' && plan.target.by === 'id' ? `${type}/${plan.target.id}` : undefined;
}

/** The facts of a successful write (see the module comment). */
export function writeFacts(model: FhirModel, plan: WritePlan, response: FhirResponse, changes: readonly ResourceChange[]): RestEventFacts[] {
  if (changes.length > 0) return changes.map((change) => changeFacts(model, plan, response, change));
  const target = namedTarget(plan, response);
  return [{
    subtype: plan.kind as RestSubtype, status: response.status, caller: plan.request.caller, baseUrl: plan.request.baseUrl,
    ...(target ? { target } : {}), patients: [],
  }];
}
