/**
 * The JSON shape of a SubscriptionTopic (http://hl7.org/fhir/R5/subscriptiontopic.html) as this
 * server reads it, and of the changes a compiled topic is asked about.
 */
import type { Resource } from '../../core/index.js';

export interface TopicQueryCriteria {
  previous?: string;
  resultForCreate?: string;
  current?: string;
  resultForDelete?: string;
  requireBoth?: boolean;
}

export interface TopicResourceTrigger {
  description?: string;
  resource?: string;
  supportedInteraction?: string[];
  queryCriteria?: TopicQueryCriteria;
  fhirPathCriteria?: string;
}

export interface TopicCanFilterBy {
  description?: string;
  resource?: string;
  filterParameter?: string;
  filterDefinition?: string;
  modifier?: string[];
}

export interface TopicNotificationShape {
  resource?: string;
  include?: string[];
  revInclude?: string[];
}

export interface SubscriptionTopicResource extends Resource {
  url?: string;
  version?: string;
  title?: string;
  status?: string;
  resourceTrigger?: TopicResourceTrigger[];
  canFilterBy?: TopicCanFilterBy[];
  notificationShape?: TopicNotificationShape[];
}

/** What happened to a resource, as the change feed records it. */
export type TopicEvent = 'created' | 'updated' | 'deleted';

/**
 * One committed change, its resources in FHIR form with id and meta: `current` is absent for a
 * delete, `previous` for a create.
 */
export interface TopicChange {
  resourceType: string;
  event: TopicEvent;
  current?: Resource;
  previous?: Resource;
}
