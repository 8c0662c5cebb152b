/** Topics and Subscriptions for the subscription tests, in the R4 backport shape. */
const BACKPORT = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/';

export const ENCOUNTER_TOPIC = 'http://flint.test/topics/encounter';

/** Encounters created or updated (optionally only those meeting a FHIRPath criteria), filterable by patient and status. */
export function encounterTopic(url = ENCOUNTER_TOPIC, fhirPathCriteria?: string): Record<string, unknown> {
  return {
    resourceType: 'SubscriptionTopic', url, status: 'active', title: 'Encounters',
    resourceTrigger: [{
      resource: 'Encounter', supportedInteraction: ['create', 'update', 'delete'], ...(fhirPathCriteria ? { fhirPathCriteria } : {}),
    }],
    canFilterBy: [
      { resource: 'Encounter', filterParameter: 'patient' },
      { resource: 'Encounter', filterParameter: 'status' },
    ],
  };
}

export interface SubscriptionOptions {
  topic?: string;
  endpoint?: string;
  content?: 'empty' | 'id-only' | 'full-resource';
  filters?: string[];
  status?: string;
  secret?: string;
  maxCount?: number;
  heartbeatSeconds?: number;
  type?: 'rest-hook' | 'websocket';
}

export function backportSubscription(options: SubscriptionOptions): Record<string, unknown> {
  const channelExtensions = [
    ...(options.maxCount ? [{ url: `${BACKPORT}backport-max-count`, valuePositiveInt: options.maxCount }] : []),
    ...(options.heartbeatSeconds ? [{ url: `${BACKPORT}backport-heartbeat-period`, valueUnsignedInt: options.heartbeatSeconds }] : []),
    ...(options.secret ? [{ url: 'urn:flint:subscription-signing-secret', valueString: options.secret }] : []),
  ];
  return {
    resourceType: 'Subscription', status: options.status ?? 'requested', reason: 'test',
    criteria: options.topic ?? ENCOUNTER_TOPIC,
    ...(options.filters ? { _criteria: { extension: options.filters.map((filter) => ({ url: `${BACKPORT}backport-filter-criteria`, valueString: filter })) } } : {}),
    channel: {
      ...(channelExtensions.length > 0 ? { extension: channelExtensions } : {}),
      type: options.type ?? 'rest-hook', ...(options.endpoint ? { endpoint: options.endpoint } : {}), payload: 'application/fhir+json',
      _payload: { extension: [{ url: `${BACKPORT}backport-payload-content`, valueCode: options.content ?? 'full-resource' }] },
    },
  };
}
