/**
 * The filters of a backport Subscription (the backport-filter-criteria extensions of
 * Subscription.criteria, https://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition-backport-filter-criteria.html),
 * such as `Encounter?patient=Patient/123&status=finished`, checked against what the topic's
 * canFilterBy allows and compiled into clauses evaluated in memory. Parameters of one filter and
 * the filters together are AND; the comma-separated values of one parameter are OR. A filter
 * without `Type?` applies to every type of the topic that allows its parameters. Clauses apply
 * only to resources of their type: a notification about another type is not narrowed by them.
 */
import type { Resource } from '../../core/index.js';
import type { CompiledTopic } from './compile-topic.js';
import { compileClause, type ClauseErrors, type FilterClause } from './filter-clause.js';
import { parseFilterQuery, type QueryParameter } from './filter-query.js';
import { topicErrors } from './topic-errors.js';
import type { TopicFilterParameter } from './topic-filters.js';

export type { FilterClause } from './filter-clause.js';

function clauseErrors(expression: string): ClauseErrors {
  return {
    bad: (detail) => topicErrors['subscription.bad-filter']({ detail }, { expression }),
    unsupportedType: (parameter, type) => topicErrors['subscription.unsupported-filter-type']({ parameter, type }, { expression }),
  };
}

/** The topic's definitions of a parameter: for the type named, or for every type allowing it. */
function definitions(topic: CompiledTopic, resourceType: string | undefined, name: string): TopicFilterParameter[] {
  const types = resourceType === undefined ? [...topic.filterParameters.keys()] : [resourceType];
  return types.flatMap((type) => topic.filterParameters.get(type)?.get(name) ?? []);
}

function compileParameter(topic: CompiledTopic, resourceType: string | undefined, parameter: QueryParameter, errors: ClauseErrors): FilterClause[] {
  const found = definitions(topic, resourceType, parameter.name);
  if (found.length === 0) {
    const on = resourceType ?? topic.resourceTypes.join(', ');
    throw errors.bad(`Topic ${topic.url} does not allow filtering ${on} by "${parameter.name}" (see its canFilterBy)`);
  }
  return found.map((definition) => {
    const modifier = parameter.modifier;
    if (modifier !== undefined && !definition.modifiers.includes(modifier)) {
      throw errors.bad(`Topic ${topic.url} does not allow modifier :${modifier} on "${parameter.name}"`);
    }
    return compileClause(definition.resourceType, definition.searchParameter, parameter, errors);
  });
}

function compileFilter(text: string, topic: CompiledTopic, expression: string): FilterClause[] {
  const errors = clauseErrors(expression);
  const query = parseFilterQuery(text);
  if (typeof query === 'string') throw errors.bad(`"${text}" is not a filter: ${query}`);
  if (query.resourceType !== undefined && !topic.filterParameters.has(query.resourceType)) {
    throw errors.bad(`Topic ${topic.url} has no filter on ${query.resourceType}`);
  }
  return query.parameters.flatMap((parameter) => compileParameter(topic, query.resourceType, parameter, errors));
}

/**
 * Checks and compiles the filter texts of a Subscription of `topic`. `expressions` gives the path
 * of each text for errors (by default `Subscription.criteria.extension[i]`).
 */
export function parseSubscriptionFilters(filters: readonly string[], topic: CompiledTopic, expressions?: readonly string[]): FilterClause[] {
  return filters.flatMap((text, i) => compileFilter(text, topic, expressions?.[i] ?? `Subscription.criteria.extension[${i}]`));
}

/**
 * Does the resource pass every filter clause of its type? For a delete, pass the previous version.
 */
export function filtersMatch(filters: readonly FilterClause[], resource: Resource): boolean {
  return filters.every((clause) => clause.resourceType !== resource.resourceType || clause.matches(resource));
}
