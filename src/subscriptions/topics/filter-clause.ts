/**
 * One parameter of a filter compiled into a test of a resource in memory: the SearchParameter's
 * FHIRPath expression selects the values (search-expression.ts), each alternative of the value is
 * tested on them (filter-values.ts); alternatives are OR, `:not` negates, `:missing` tests that the
 * expression selects nothing (true) or something (false). http://hl7.org/fhir/R4/search.html#modifiers
 */
import type { FhirError, Resource } from '../../core/index.js';
import type { SearchParameterResource } from '../../model/index.js';
import type { QueryParameter } from './filter-query.js';
import { TYPE_MODIFIERS, valueTest, type ValueTest } from './filter-values.js';
import { compileInMemory } from './search-expression.js';

export interface FilterClause {
  resourceType: string;
  /** The search parameter's code. */
  parameter: string;
  modifier?: string;
  /** The alternatives, as written. */
  values: string[];
  matches(resource: Resource): boolean;
}

/** How the caller names what is wrong with a clause (its own codes and expression). */
export interface ClauseErrors {
  bad(detail: string): FhirError;
  unsupportedType(parameter: string, type: string): FhirError;
}

/** The parameter types a clause can evaluate. */
export function isEvaluatedType(type: string): boolean {
  return Object.hasOwn(TYPE_MODIFIERS, type);
}

function missingTest(values: string[], errors: ClauseErrors): (found: unknown[]) => boolean {
  if (values.some((value) => value !== 'true' && value !== 'false')) throw errors.bad(':missing takes true or false');
  return (found) => values.some((value) => (found.length === 0) === (value === 'true'));
}

function valueTests(search: SearchParameterResource, query: QueryParameter, errors: ClauseErrors): ValueTest[] {
  const modifier = query.modifier === 'not' ? undefined : query.modifier;
  if (modifier !== undefined && !TYPE_MODIFIERS[search.type].includes(modifier)) {
    throw errors.bad(`Modifier :${modifier} is not evaluated for ${search.type} parameter "${query.name}"`);
  }
  return query.values.map((value) => {
    const test = valueTest(search.type, value, modifier);
    if (!test) throw errors.bad(`"${value}" is not a value of ${search.type} parameter "${query.name}"${search.type === 'date' ? ' (a date or instant, with no prefix but eq)' : ''}`);
    return test;
  });
}

/** Compiles one parameter of a query on a resource type (the caller has checked it may be used). */
export function compileClause(resourceType: string, search: SearchParameterResource, query: QueryParameter, errors: ClauseErrors): FilterClause {
  if (!isEvaluatedType(search.type)) throw errors.unsupportedType(query.name, search.type);
  if (!search.expression) throw errors.bad(`Search parameter "${query.name}" has no expression to evaluate`);
  const select = compileInMemory(search.expression);
  const base = { resourceType, parameter: query.name, ...(query.modifier ? { modifier: query.modifier } : {}), values: query.values };
  if (query.modifier === 'missing') {
    const test = missingTest(query.values, errors);
    return { ...base, matches: (resource) => test(select(resource)) };
  }
  const tests = valueTests(search, query, errors);
  const negate = query.modifier === 'not';
  return {
    ...base,
    matches(resource) {
      const found = select(resource);
      return tests.some((test) => found.some(test)) !== negate;
    },
  };
}
