/**
 * search: FHIR search compiled to SQL over the resource JSONB (http://hl7.org/fhir/R4/search.html).
 * Query string -> parsed filters -> SQL conditions -> a searchset Bundle; conditional interactions
 * use findMatches.
 */
export * from './search-context.js';
export * from './search-request.js';
export * from './execute-search.js';
