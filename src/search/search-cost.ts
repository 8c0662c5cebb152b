/**
 * The cost a search may ask for before any SQL is built: every value of a search parameter (a, b, c
 * in name=a,b,c), every test of a _filter, every _include/_revinclude and every _sort key is one
 * term, one condition or join the database must weigh. A search with more terms than the limit
 * (FLINT_SEARCH_MAX_TERMS) is refused at once (400 too-costly) instead of holding a connection until
 * the statement timeout; so is a chain of more than MAX_CHAIN_LINKS links (a.b.c, nested _has).
 */
import { parseFilter, type FilterExpression } from './special/filter-expression.js';
import { searchErrors } from './search-errors.js';
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

/** The links of chains and nested _has one parameter name asks for. */
export const MAX_CHAIN_LINKS = 10;

function chainLinks(param: string): number {
  return param.split('.').length - 1 + param.split('_has:').length - 1;
}

function searchTerms(parsed: ParsedSearch): number {
  let terms = parsed.includes.length + parsed.sort.length;
  for (const filter of parsed.filters) {
    if (filter.param !== '_filter') terms += filter.values.length;
    else for (const value of filter.values) terms += filterTests(parseFilter(value));
  }
  return terms;
}

/** Throws 400 too-costly (search.too-many-terms, search.chain-too-long) for a search above the limits. */
export function rejectCostlySearch(parsed: ParsedSearch, maxTerms: number): void {
  const chained = parsed.filters.find((filter) => chainLinks(filter.param) > MAX_CHAIN_LINKS);
  if (chained) {
    throw searchErrors['search.chain-too-long']({ param: chained.param.slice(0, 200), max: MAX_CHAIN_LINKS }, { expression: chained.param.slice(0, 200) });
  }
  const terms = searchTerms(parsed);
  if (terms > maxTerms) {
    throw searchErrors['search.too-many-terms']({ terms, max: maxTerms });
  }
}
