/**
 * Resolves the criteria of conditional interactions (If-None-Exist, PUT/PATCH/DELETE Type?query)
 * to the matching resources, with strict handling of unknown parameters.
 */
import { parseQueryString, type QueryParams } from '../../core/index.js';
import type { Queryable } from '../../db/index.js';
import { findMatches } from '../../search/index.js';
import type { StoredVersion } from '../../storage/index.js';
import type { EngineContext } from '../engine-context.js';
import type { FhirRequest } from '../fhir-request.js';

export function searchContext(ctx: EngineContext) {
  return {
    model: ctx.model,
    storages: ctx.storages,
    limits: { defaultCount: ctx.config.searchDefaultCount, maxCount: ctx.config.searchMaxCount, timeoutMs: ctx.config.searchTimeoutMs,
      maxTerms: ctx.config.searchMaxTerms },
  };
}

/**
 * Matching versions, at most limit of them, among the rows the request's row rules let its caller
 * see. criteria is a query string (a=1&b=2) or parsed params.
 */
export function conditionalMatches(
  ctx: EngineContext, tx: Queryable, request: Pick<FhirRequest, 'rows'>, resourceType: string, criteria: string | QueryParams, limit = 2,
): Promise<StoredVersion[]> {
  const query = typeof criteria === 'string' ? parseQueryString(criteria.replace(/^.*\?/, '')) : criteria;
  return findMatches(searchContext(ctx), tx, resourceType, query, limit, request.rows);
}
