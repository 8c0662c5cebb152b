/**
 * Search administration as operations (docs/search.md#indexes, #explain):
 * GET [base]/Type/$explain?<search> returns the generated SQL, its parameters and PostgreSQL's plan
 * (analyze=true runs it), with the caller's row rules in it as in the search; GET [base]/$search-indexes and [base]/Type/$search-indexes list the
 * search indexes; POST [base]/Type/$create-search-index and $drop-search-index with a Parameters
 * body or the query (code) build or drop the index of one search parameter, CONCURRENTLY.
 */
import type { Resource } from '../core/index.js';
import { defaultParameterErrors, type OperationInput, type OperationParameter, type ParameterErrors } from '../operation/index.js';
import { createSearchIndex, dropSearchIndex, explainSearch, listSearchIndexes, type SearchIndexInfo } from '../search/index.js';
import { engineErrors } from './engine-errors.js';
import type { FhirResponse } from './fhir-request.js';
import { searchContext } from './interactions/conditional-match.js';
import type { OperationCall, OperationRegistry } from './operation-registry.js';
import { handlingPreference } from './prefer.js';
import { storageOf } from './resource-input.js';

function ok(body: Resource): FhirResponse {
  return { status: 200, body, headers: {} };
}

function indexParameter(index: SearchIndexInfo) {
  return {
    name: 'index',
    part: [
      { name: 'name', valueString: index.name },
      { name: 'resourceType', valueCode: index.resourceType },
      ...index.parameters.map((code) => ({ name: 'parameter', valueCode: code })),
      { name: 'definition', valueString: index.definition },
      { name: 'valid', valueBoolean: index.valid },
    ],
  };
}

/** The code of the search parameter whose index is built or dropped; a Parameters body may give it as a string too. */
const CODE_PARAMETER: OperationParameter[] = [{ name: 'code', min: 1, max: 1, type: 'code', alsoAccepts: ['string'] }];

/** An absent or empty code keeps the code it had before the operations shared one reader. */
const missingCode = engineErrors['search.missing-code'];
const INDEX_PARAMETER_ERRORS: ParameterErrors = { ...defaultParameterErrors, missing: missingCode, invalid: missingCode };

async function explain(call: OperationCall, input: OperationInput): Promise<FhirResponse> {
  const { ctx, request, route } = call;
  const storage = storageOf(ctx, route.resourceType);
  const analyze = input.boolean('analyze') === true;
  const query = request.query.filter(([key]) => key !== 'analyze');
  const explained = await explainSearch(searchContext(ctx), ctx.db, {
    types: [storage.resourceType], query, baseUrl: request.baseUrl, url: `${request.baseUrl}/${storage.resourceType}`, handling: handlingPreference(request.headers),
    rows: request.rows,
  }, analyze);
  return ok({
    resourceType: 'Parameters',
    parameter: [
      { name: 'sql', valueString: explained.sql },
      ...explained.parameters.map((value) => ({ name: 'parameter', valueString: typeof value === 'string' ? value : JSON.stringify(value) })),
      { name: 'plan', valueString: JSON.stringify(explained.plan, null, 2) },
    ],
  });
}

async function listIndexes(call: OperationCall): Promise<FhirResponse> {
  const { ctx, route } = call;
  const storages = route.resourceType ? [storageOf(ctx, route.resourceType)] : ctx.storages.allStorages();
  const lists = await Promise.all(storages.map((storage) => listSearchIndexes(ctx.db, ctx.model, storage)));
  return ok({ resourceType: 'Parameters', parameter: lists.flat().map(indexParameter) });
}

async function createIndex(call: OperationCall, input: OperationInput): Promise<FhirResponse> {
  const { ctx, route } = call;
  if (call.tx) throw engineErrors['search.index-in-transaction']({ detail: 'Indexes are built concurrently and cannot be built inside a transaction Bundle' });
  const index = await createSearchIndex(ctx.db, ctx.model, storageOf(ctx, route.resourceType), input.string('code') as string);
  return ok({ resourceType: 'Parameters', parameter: [indexParameter(index)] });
}

async function dropIndex(call: OperationCall, input: OperationInput): Promise<FhirResponse> {
  const { ctx, route } = call;
  if (call.tx) throw engineErrors['search.index-in-transaction']({ detail: 'Indexes are dropped concurrently and cannot be dropped inside a transaction Bundle' });
  const dropped = await dropSearchIndex(ctx.db, ctx.model, storageOf(ctx, route.resourceType), input.string('code') as string);
  return ok({ resourceType: 'Parameters', parameter: dropped ? [{ name: 'dropped', valueString: dropped }] : [] });
}

export function registerSearchOperations(registry: OperationRegistry): void {
  registry.register({
    name: 'explain', levels: ['type'], affectsState: false, handler: explain,
    parameters: [{ name: 'analyze', min: 0, max: 1, type: 'boolean' }], openQuery: true,
  });
  registry.register({ name: 'search-indexes', levels: ['system', 'type'], affectsState: false, parameters: [], handler: listIndexes });
  registry.register({
    name: 'create-search-index', levels: ['type'], affectsState: true, handler: createIndex,
    parameters: CODE_PARAMETER, parameterErrors: INDEX_PARAMETER_ERRORS,
  });
  registry.register({
    name: 'drop-search-index', levels: ['type'], affectsState: true, handler: dropIndex,
    parameters: CODE_PARAMETER, parameterErrors: INDEX_PARAMETER_ERRORS,
  });
}
