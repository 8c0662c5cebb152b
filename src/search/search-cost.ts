/**
 * The cost a search may ask for before any SQL is built: every value of a search parameter (a, b, c
 * in name=a,b,c) and every test of a _filter is one term, one condition the database must weigh.
 * A search with more terms than the limit (FLINT_SEARCH_MAX_TERMS) is refused at once (400
 * too-costly) instead of holding a connection until the statement timeout.
 */
import { FhirError } from '../core/index.js';
import { parseFilter, type FilterExpression } from './filter-expression.js';
import type { ParsedSearch } from './search-request.js';

/** The tests of a filter expression (counted without recursion: or-chains can be thousands long). */
function filterTests(expression: FilterExpression): number {
  let tests = 0;
  const stack: FilterExpression[] = [expression];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.kind === 'test') tests++;
    else if (node.kind === 'not') stack.push(node.expression);
    else if (node.kind === 'nested') stack.push(node.filter);
    else stack.push(node.left, node.right);
  }
  return tests;
}

function filterTerms(parsed: ParsedSearch): number {
  let terms = 0;
  for (const filter of parsed.filters) {
    if (filter.param !== '_filter') terms += filter.values.length;
    else for (const value of filter.values) terms += filterTests(parseFilter(value));
  }
  return terms;
}

/** Throws 400 (search.too-many-terms, too-costly) when the search has more than maxTerms terms. */
export function rejectCostlySearch(parsed: ParsedSearch, maxTerms: number): void {
  const terms = filterTerms(parsed);
  if (terms > maxTerms) {
    throw new FhirError('too-costly', 'search.too-many-terms',
      `The search has ${terms} terms (values and _filter tests); at most ${maxTerms} are allowed (FLINT_SEARCH_MAX_TERMS)`);
  }
}
