/**
 * The stable error codes of search (http://hl7.org/fhir/R4/search.html#errors), each declared once
 * with its category and message. Codes whose text depends on where they are raised (which
 * parameter type refuses which modifier, say) take the text as their detail.
 */
import { defineErrors, detail } from '../core/index.js';

const invalidQuery = (summary: string) => ({ category: 'invalid' as const, summary, message: detail });

export const searchErrors = defineErrors('search', {
  'search.unknown-parameter': invalidQuery('The query names a search parameter the resource type (or a chain\'s target) does not have'),
  'search.unsupported-parameter': invalidQuery('The search parameter exists, but its expression or type cannot be searched here'),
  'search.bad-modifier': invalidQuery('The parameter\'s type does not support the modifier'),
  'search.bad-missing': {
    category: 'invalid', summary: ':missing takes true or false',
    message: (a: { value: string }) => `:missing takes true or false, not "${a.value}"`,
  },
  'search.bad-token': {
    category: 'invalid', summary: ':of-type takes type-system|type-code|value',
    message: (a: { value: string }) => `:of-type takes type-system|type-code|value, not "${a.value}"`,
  },
  'search.bad-date': {
    category: 'invalid', summary: 'A date value is not a FHIR date, dateTime or instant (after its prefix)',
    message: (a: { value: string; param: string }) => `"${a.value}" is not a valid date for ${a.param}`,
  },
  'search.bad-number': {
    category: 'invalid', summary: 'A number or quantity value is not a decimal number (after its prefix)',
    message: (a: { text: string; param: string }) => `"${a.text}" is not a number for ${a.param}`,
  },
  'search.bad-composite': {
    category: 'invalid', summary: 'A composite value does not have one part per component, joined by $',
    message: (a: { param: string; components: number; value: string }) => `${a.param} takes ${a.components} values joined by $, not "${a.value}"`,
  },
  'search.bad-chain': {
    category: 'invalid', summary: 'A chain goes through a parameter that is not a reference',
    message: (a: { code: string; param: string }) => `${a.code} in ${a.param} is not a reference parameter`,
  },
  'search.bad-has': invalidQuery('_has is malformed, names a type that is not served, or a reference that does not point at the searched type'),
  'search.bad-filter': invalidQuery('_filter is malformed or uses an operator the parameter\'s type does not support'),
  'search.bad-sort': {
    category: 'invalid', summary: '_sort names a parameter whose type cannot be sorted by',
    message: (a: { code: string; type: string }) => `Cannot sort by ${a.code} (a ${a.type} parameter)`,
  },
  'search.bad-include': invalidQuery('_include or _revinclude is malformed, or names a type or parameter that cannot be included'),
  'search.bad-count': {
    category: 'invalid', summary: '_count is not a non-negative integer',
    message: (a: { name: string; value: string }) => `${a.name} must be a non-negative integer, not "${a.value}"`,
  },
  'search.bad-total': invalidQuery('_total is not none, estimate or accurate'),
  'search.bad-summary': invalidQuery('_summary is not true, text, data, count or false'),
  'search.bad-cursor': {
    category: 'invalid', summary: 'The paging cursor is not one this search gave',
    message: () => 'The paging cursor is not valid for this search',
  },
  'search.unknown-query': {
    category: 'invalid', summary: '_query names a named query; this server defines none',
    message: (a: { value: string }) => `Unknown named query "${a.value}" (_query): this server defines no named queries`,
  },
  'search.no-criteria': {
    category: 'invalid', summary: 'A conditional interaction has no search parameter',
    message: () => 'A conditional interaction needs at least one search parameter',
  },
  'search.not-indexable': {
    category: 'invalid', summary: 'An index was asked for a parameter whose type or expression cannot have one',
    message: (a: { code: string; type: string; resourceType: string }) => `Search parameter "${a.code}" (${a.type}) of ${a.resourceType} cannot have an index`,
  },
  'search.chain-too-long': {
    category: 'too-costly', summary: 'A parameter chains more links (a.b.c, nested _has) than allowed',
    message: (a: { param: string; max: number }) => `${a.param} chains more than ${a.max} links`,
  },
  'search.too-many-terms': {
    category: 'too-costly', summary: 'The search has more terms (values, _filter tests, includes, sort keys) than FLINT_SEARCH_MAX_TERMS',
    message: (a: { terms: number; max: number }) =>
      `The search has ${a.terms} terms (values, _filter tests, includes and sort keys); at most ${a.max} are allowed (FLINT_SEARCH_MAX_TERMS)`,
  },
});
