/**
 * What the subscription topic tests share: the R4 core model with the SubscriptionTopic type, a
 * topic like the backport IG's encounter-complete example, and resources in FHIR form.
 */
import type { Resource } from '../../../src/core/index.js';
import { loadCoreModel, type FhirModel } from '../../../src/model/index.js';
import { addSubscriptionTopicType, type SubscriptionTopicResource } from '../../../src/subscriptions/topics/index.js';

let model: Promise<FhirModel> | undefined;

/** The core model with the SubscriptionTopic type, loaded once per test file. */
export function topicModel(): Promise<FhirModel> {
  model ??= loadCoreModel().then((loaded) => {
    addSubscriptionTopicType(loaded);
    return loaded;
  });
  return model;
}

export const ENCOUNTER_COMPLETE = 'http://example.org/fhir/SubscriptionTopic/encounter-complete';

/** Encounters that become finished, filterable by patient, status, class, type, date, reason text and service provider. */
export function encounterCompleteTopic(overrides: Partial<SubscriptionTopicResource> = {}): SubscriptionTopicResource {
  return {
    resourceType: 'SubscriptionTopic',
    id: 'encounter-complete',
    url: ENCOUNTER_COMPLETE,
    title: 'Encounter complete',
    status: 'active',
    resourceTrigger: [{
      description: 'An Encounter is finished',
      resource: 'http://hl7.org/fhir/StructureDefinition/Encounter',
      supportedInteraction: ['create', 'update'],
      fhirPathCriteria: "(%previous.exists().not() or %previous.status != 'finished') and %current.status = 'finished'",
    }],
    canFilterBy: [
      { resource: 'Encounter', filterParameter: 'patient', modifier: ['not', 'missing'] },
      { resource: 'Encounter', filterParameter: 'status', modifier: ['not'] },
      { resource: 'Encounter', filterParameter: 'class' },
      { resource: 'Encounter', filterParameter: 'type' },
      { resource: 'Encounter', filterParameter: 'date' },
      { resource: 'Encounter', filterParameter: 'identifier' },
      { resource: 'Encounter', filterParameter: 'service-provider' },
      { resource: 'Encounter', filterParameter: 'length' },
    ],
    notificationShape: [{ resource: 'Encounter', include: ['Encounter:patient'] }],
    ...overrides,
  };
}

export function encounter(fields: Record<string, unknown> = {}): Resource {
  return {
    resourceType: 'Encounter', id: 'e1', meta: { versionId: '2', lastUpdated: '2024-03-01T10:00:00Z' },
    status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
    subject: { reference: 'Patient/123' }, ...fields,
  };
}
