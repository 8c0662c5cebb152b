/**
 * search-type (http://hl7.org/fhir/R4/http.html#search): GET Type?query and POST Type/_search.
 * System and compartment search are answered by the search module as it grows.
 */
import { FhirError } from '../../core/index.js';
import { searchType } from '../../search/index.js';
import type { EngineContext } from '../engine-context.js';
import type { FhirRequest, FhirResponse } from '../fhir-request.js';
import { handlingPreference } from '../prefer.js';
import { storageOf } from '../resource-input.js';
import type { Route } from '../route.js';
import type { Scope } from '../write-transaction.js';
import { searchContext } from './conditional-match.js';

export async function search(ctx: EngineContext, request: FhirRequest, route: Route, scope: Scope): Promise<FhirResponse> {
  if (route.interaction !== 'search-type') {
    throw new FhirError('unsupported', 'search.not-supported', `${route.interaction} is not supported yet`);
  }
  const storage = storageOf(ctx, route.resourceType);
  const bundle = await searchType(searchContext(ctx), scope.tx ?? ctx.db, {
    resourceType: storage.resourceType,
    query: request.query,
    baseUrl: request.baseUrl,
    handling: handlingPreference(request.headers),
  });
  return { status: 200, body: bundle, headers: {} };
}
