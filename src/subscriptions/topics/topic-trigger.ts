/**
 * One resourceTrigger of a SubscriptionTopic compiled into a test of a change
 * (http://hl7.org/fhir/R5/subscriptiontopic.html#resourceTrigger): the resource type matches, the
 * interaction is supported (created -> create, updated -> update, deleted -> delete; all three
 * when none is listed), the queryCriteria pass (query-criteria.ts) and the fhirPathCriteria is
 * true, evaluated on the resource (the previous version for a delete) with %current and %previous.
 */
import { FhirError, type Resource } from '../../core/index.js';
import type { CompiledFhirPath } from '../../fhirpath/index.js';
import { compileFhirPath } from '../../fhirpath/index.js';
import type { FhirModel } from '../../model/index.js';
import { compileQueryCriteria, type QueryCriteriaTest } from './query-criteria.js';
import { IN_MEMORY_FUNCTIONS } from './search-expression.js';
import { topicErrors } from './topic-errors.js';
import { topicResourceType } from './topic-resource-type.js';
import type { TopicChange, TopicEvent, TopicResourceTrigger } from './topic-shape.js';

export const TOPIC_INTERACTIONS = ['create', 'update', 'delete'] as const;
export type TopicInteraction = (typeof TOPIC_INTERACTIONS)[number];

const INTERACTION_OF: Record<TopicEvent, TopicInteraction> = { created: 'create', updated: 'update', deleted: 'delete' };

export interface CompiledTrigger {
  resourceType: string;
  interactions: ReadonlySet<TopicInteraction>;
  matches(change: TopicChange): boolean;
}

function triggerType(trigger: TopicResourceTrigger, at: string, model: FhirModel): string {
  if (typeof trigger.resource !== 'string' || trigger.resource === '') {
    throw topicErrors['subscription.bad-topic']({ detail: 'A resource trigger has no resource' }, { expression: `${at}.resource` });
  }
  const type = topicResourceType(trigger.resource, model);
  if (!type) throw topicErrors['subscription.topic-unknown-resource']({ resource: trigger.resource }, { expression: `${at}.resource` });
  return type;
}

function interactions(trigger: TopicResourceTrigger, at: string): Set<TopicInteraction> {
  const listed = trigger.supportedInteraction ?? [...TOPIC_INTERACTIONS];
  if (!Array.isArray(listed)) throw topicErrors['subscription.bad-topic']({ detail: 'supportedInteraction is a list of codes' }, { expression: `${at}.supportedInteraction` });
  listed.forEach((interaction, i) => {
    if (!(TOPIC_INTERACTIONS as readonly string[]).includes(interaction)) {
      throw topicErrors['subscription.topic-bad-interaction']({ interaction: String(interaction) }, { expression: `${at}.supportedInteraction[${i}]` });
    }
  });
  return new Set(listed as TopicInteraction[]);
}

function compileCriteria(criteria: string, at: string): CompiledFhirPath {
  try {
    return compileFhirPath(criteria, { functions: IN_MEMORY_FUNCTIONS });
  } catch (error) {
    if (!(error instanceof FhirError)) throw error;
    throw topicErrors['subscription.topic-bad-criteria']({ criteria, reason: error.message }, { expression: `${at}.fhirPathCriteria`, cause: error });
  }
}

/** True when the criteria give exactly `true`; an evaluation that fails on this resource does not pass. */
function criteriaPass(criteria: CompiledFhirPath, change: TopicChange): boolean {
  const context: Resource | undefined = change.current ?? change.previous;
  try {
    const result = criteria(context, { current: change.current, previous: change.previous });
    return result.length === 1 && result[0] === true;
  } catch (error) {
    if (error instanceof FhirError) return false;
    throw error;
  }
}

/** Compiles `SubscriptionTopic.resourceTrigger[index]`. */
export function compileTrigger(trigger: TopicResourceTrigger, at: string, model: FhirModel): CompiledTrigger {
  const resourceType = triggerType(trigger, at, model);
  const supported = interactions(trigger, at);
  const criteria = trigger.fhirPathCriteria === undefined ? undefined : compileCriteria(trigger.fhirPathCriteria, at);
  const query: QueryCriteriaTest | undefined = trigger.queryCriteria === undefined
    ? undefined : compileQueryCriteria(trigger.queryCriteria, resourceType, `${at}.queryCriteria`, model);
  return {
    resourceType,
    interactions: supported,
    matches(change) {
      if (change.resourceType !== resourceType || !supported.has(INTERACTION_OF[change.event])) return false;
      if (query && !query(change)) return false;
      return criteria === undefined || criteriaPass(criteria, change);
    },
  };
}
