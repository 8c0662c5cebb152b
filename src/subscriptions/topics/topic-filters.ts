/**
 * The canFilterBy of a SubscriptionTopic compiled into the filters a Subscription of the topic may
 * use (http://hl7.org/fhir/R5/subscriptiontopic-definitions.html#SubscriptionTopic.canFilterBy):
 * by resource type and parameter code, the SearchParameter (named by filterDefinition, or by
 * filterParameter among the type's search parameters) and the modifiers allowed. A canFilterBy
 * without resource applies to every trigger type of the topic.
 */
import type { FhirModel, SearchParameterResource } from '../../model/index.js';
import { topicErrors } from './topic-errors.js';
import { topicResourceType } from './topic-resource-type.js';
import type { TopicCanFilterBy } from './topic-shape.js';

export interface TopicFilterParameter {
  resourceType: string;
  /** The code a Subscription filter names (canFilterBy.filterParameter). */
  code: string;
  searchParameter: SearchParameterResource;
  /** canFilterBy.modifier: the modifiers a filter may use. */
  modifiers: readonly string[];
}

/** By resource type, then by parameter code. */
export type TopicFilterParameters = ReadonlyMap<string, ReadonlyMap<string, TopicFilterParameter>>;

function searchParameterFor(entry: TopicCanFilterBy, code: string, resourceType: string, model: FhirModel): SearchParameterResource | undefined {
  const defined = entry.filterDefinition === undefined ? undefined : model.searchParameters.byCanonical(entry.filterDefinition);
  if (defined && model.searchParameters.forType(resourceType).get(defined.code) === defined) return defined;
  return model.searchParameters.get(resourceType, code);
}

function filterTypes(entry: TopicCanFilterBy, at: string, triggerTypes: readonly string[], model: FhirModel): readonly string[] {
  if (entry.resource === undefined) return triggerTypes;
  const type = topicResourceType(entry.resource, model);
  if (!type) throw topicErrors['subscription.topic-unknown-resource']({ resource: entry.resource }, { expression: `${at}.resource` });
  return [type];
}

function add(into: Map<string, Map<string, TopicFilterParameter>>, parameter: TopicFilterParameter): void {
  let codes = into.get(parameter.resourceType);
  if (!codes) into.set(parameter.resourceType, (codes = new Map()));
  codes.set(parameter.code, parameter);
}

/** Compiles `SubscriptionTopic.canFilterBy`, given the resource types of the topic's triggers. */
export function compileCanFilterBy(entries: readonly TopicCanFilterBy[], triggerTypes: readonly string[], model: FhirModel): TopicFilterParameters {
  const parameters = new Map<string, Map<string, TopicFilterParameter>>();
  entries.forEach((entry, i) => {
    const at = `SubscriptionTopic.canFilterBy[${i}]`;
    const code = entry.filterParameter;
    if (typeof code !== 'string' || code === '') {
      throw topicErrors['subscription.bad-topic']({ detail: 'A canFilterBy has no filterParameter' }, { expression: `${at}.filterParameter` });
    }
    for (const resourceType of filterTypes(entry, at, triggerTypes, model)) {
      const searchParameter = searchParameterFor(entry, code, resourceType, model);
      if (!searchParameter) throw topicErrors['subscription.topic-unknown-filter']({ parameter: code, resource: resourceType }, { expression: `${at}.filterParameter` });
      add(parameters, { resourceType, code, searchParameter, modifiers: entry.modifier ?? [] });
    }
  });
  return parameters;
}
