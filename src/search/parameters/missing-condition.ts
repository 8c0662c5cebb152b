/**
 * The :missing modifier (http://hl7.org/fhir/R4/search.html#missing): true matches resources with
 * no value along any of the parameter's paths, false those with at least one.
 */
import { raw, type Sql } from '../../sql/index.js';
import type { ValueTest } from '../compile-context.js';
import { searchErrors } from '../search-errors.js';
import { anyOf, not } from '../sql-logic.js';
import { jsonpathLiteral } from './key-expressions.js';

/** Does the document hold a value along any of the paths (jsonb @? jsonpath)? */
export function hasValue(document: string, paths: readonly { path: string }[]): Sql {
  return anyOf(paths.map((path) => raw(`${document} @? ${jsonpathLiteral(path.path)}`)));
}

export function missingCondition(test: ValueTest): Sql {
  return anyOf(test.values.map((value) => {
    if (value !== 'true' && value !== 'false') throw searchErrors['search.bad-missing']({ value }, { expression: test.param });
    const present = hasValue(test.document, test.parameter.paths);
    return value === 'true' ? not(present) : present;
  }));
}
