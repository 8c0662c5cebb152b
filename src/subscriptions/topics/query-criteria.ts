/**
 * The queryCriteria of a resource trigger evaluated in memory
 * (http://hl7.org/fhir/R5/subscriptiontopic-definitions.html#SubscriptionTopic.resourceTrigger.queryCriteria):
 * `previous` is a search query the previous version must meet and `current` one the current version
 * must meet, with any search parameter of the trigger's type that filter-clause.ts evaluates. A
 * create has no previous version: its previous test is resultForCreate; a delete has no current
 * version: its current test is resultForDelete (test-fails when not given). With both tests,
 * requireBoth asks both to pass, otherwise either does.
 */
import type { Resource } from '../../core/index.js';
import type { FhirModel } from '../../model/index.js';
import { compileClause, type ClauseErrors, type FilterClause } from './filter-clause.js';
import { parseFilterQuery } from './filter-query.js';
import { topicErrors } from './topic-errors.js';
import type { TopicChange, TopicQueryCriteria } from './topic-shape.js';

export type QueryCriteriaTest = (change: TopicChange) => boolean;

const RESULTS = ['test-passes', 'test-fails'];

function clauseErrors(expression: string): ClauseErrors {
  const bad = (detail: string) => topicErrors['subscription.topic-bad-query-criteria']({ detail }, { expression });
  return { bad, unsupportedType: (parameter, type) => bad(`Parameter "${parameter}" is of type ${type}; only token, reference, string, uri and date parameters are evaluated`) };
}

function compileQuery(text: string, resourceType: string, expression: string, model: FhirModel): FilterClause[] {
  const errors = clauseErrors(expression);
  const query = parseFilterQuery(text);
  if (typeof query === 'string') throw errors.bad(`"${text}" is not a search query: ${query}`);
  if (query.resourceType !== undefined && query.resourceType !== resourceType) {
    throw errors.bad(`"${text}" queries ${query.resourceType}, but the trigger is on ${resourceType}`);
  }
  return query.parameters.map((parameter) => {
    const search = model.searchParameters.get(resourceType, parameter.name);
    if (!search) throw errors.bad(`"${parameter.name}" is not a search parameter of ${resourceType}`);
    return compileClause(resourceType, search, parameter, errors);
  });
}

function resultCode(value: string | undefined, expression: string): boolean {
  if (value !== undefined && !RESULTS.includes(value)) {
    throw topicErrors['subscription.bad-topic']({ detail: `"${value}" is not test-passes or test-fails` }, { expression });
  }
  return value === 'test-passes';
}

function passes(clauses: FilterClause[], resource: Resource | undefined, absent: boolean): boolean {
  return resource === undefined ? absent : clauses.every((clause) => clause.matches(resource));
}

/** Compiles the queryCriteria of a trigger on `resourceType`; `at` is its expression path. */
export function compileQueryCriteria(criteria: TopicQueryCriteria, resourceType: string, at: string, model: FhirModel): QueryCriteriaTest {
  const previous = criteria.previous === undefined ? undefined : compileQuery(criteria.previous, resourceType, `${at}.previous`, model);
  const current = criteria.current === undefined ? undefined : compileQuery(criteria.current, resourceType, `${at}.current`, model);
  const forCreate = resultCode(criteria.resultForCreate, `${at}.resultForCreate`);
  const forDelete = resultCode(criteria.resultForDelete, `${at}.resultForDelete`);
  const requireBoth = criteria.requireBoth === true;
  return (change) => {
    const previousPasses = previous && passes(previous, change.previous, forCreate);
    const currentPasses = current && passes(current, change.current, forDelete);
    if (previous && current) return requireBoth ? previousPasses === true && currentPasses === true : previousPasses === true || currentPasses === true;
    return (previousPasses ?? currentPasses ?? true) === true;
  };
}
