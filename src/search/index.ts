/**
 * search: FHIR search compiled to SQL over the resource JSONB (http://hl7.org/fhir/R4/search.html).
 * Query string -> parsed filters -> SQL conditions over key-extraction functions (which expression
 * indexes serve) -> a keyset-paged searchset Bundle; conditional interactions use findMatches.
 * The compiler is at the top; parameters/ holds one module per parameter type and their registry,
 * special/ the parameters that are not one path (_id, _text, chains, _has, _filter), results/
 * includes, paging, _summary/_elements and the Bundle, indexes/ the expression indexes.
 */
export * from './search-context.js';
export * from './search-request.js';
export * from './execute-search.js';
export { searchErrors } from './search-errors.js';
export { visibleCondition } from './row-condition.js';
export { searchPaths, type SearchPath } from './parameter-paths.js';
export { installSearchFunctions } from './parameters/key-functions.js';
export { defaultIndexDdl, DEFAULT_INDEXED_PARAMETERS } from './indexes/search-indexes.js';
export { FEW_CHAIN_TARGETS } from './special/chain-targets.js';
export { createSearchIndex, dropSearchIndex, listSearchIndexes, type SearchIndexInfo } from './indexes/search-index-admin.js';
export { parseFilter, type FilterExpression } from './special/filter-expression.js';
export { summarize, selectElements } from './results/result-elements.js';
