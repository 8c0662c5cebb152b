/**
 * search-type, search-system and search-compartment (http://hl7.org/fhir/R4/http.html#search):
 * GET Type?query and POST Type/_search, GET ?_type=..., GET Patient/1/Observation?... and
 * Patient/1/* (every type of the compartment). The caller's row rules go into the search's SQL.
 */
import { queryValue } from '../../core/index.js';
import { search as runSearch, type SearchOptions } from '../../search/index.js';
import type { EngineContext } from '../engine-context.js';
import { engineErrors } from '../engine-errors.js';
import type { FhirRequest, FhirResponse } from '../fhir-request.js';
import { handlingPreference } from '../prefer.js';
import { storageOf } from '../resource-input.js';
import type { Route } from '../route.js';
import type { Scope } from '../write-transaction.js';
import { searchContext } from './conditional-match.js';

function servedTypes(ctx: EngineContext): string[] {
  return ctx.storages.allStorages().map((storage) => storage.resourceType).sort();
}

function systemTypes(ctx: EngineContext, request: FhirRequest): string[] {
  const listed = request.query.filter(([key]) => key === '_type').flatMap(([, value]) => value.split(',')).filter(Boolean);
  if (listed.length === 0) return servedTypes(ctx);
  return listed.map((type) => storageOf(ctx, type).resourceType);
}

function compartmentMember(ctx: EngineContext, compartment: string, members: string[], type: string): string {
  const target = storageOf(ctx, type).resourceType;
  if (!members.includes(target) && target !== compartment) {
    throw engineErrors['search.not-in-compartment']({ target, compartment });
  }
  return target;
}

/** The types a compartment search covers: the named one, or for `*` every served member (or those of _type). */
function compartmentTypes(ctx: EngineContext, request: FhirRequest, route: Route): string[] {
  const compartment = route.resourceType as string;
  if (!ctx.model.compartments.isCompartment(compartment)) {
    throw engineErrors['search.unknown-compartment']({ compartment });
  }
  const members = ctx.model.compartments.memberTypes(compartment);
  if (route.compartmentTarget !== '*') return [compartmentMember(ctx, compartment, members, route.compartmentTarget as string)];
  const listed = request.query.filter(([key]) => key === '_type').flatMap(([, value]) => value.split(',')).filter(Boolean);
  if (listed.length > 0) return [...new Set(listed.map((type) => compartmentMember(ctx, compartment, members, type)))].sort();
  return members.filter((type) => ctx.storages.storageFor(type)).sort();
}

function searchOptions(ctx: EngineContext, request: FhirRequest, route: Route): SearchOptions {
  const common = { query: request.query, baseUrl: request.baseUrl, handling: handlingPreference(request.headers), rows: request.rows };
  switch (route.interaction) {
    case 'search-system':
      return { ...common, types: systemTypes(ctx, request), url: request.baseUrl };
    case 'search-compartment':
      return {
        ...common,
        types: compartmentTypes(ctx, request, route),
        url: `${request.baseUrl}/${route.resourceType}/${route.id}/${route.compartmentTarget}`,
        compartment: { type: route.resourceType as string, id: route.id as string },
      };
    default: {
      const storage = storageOf(ctx, route.resourceType);
      if (queryValue(request.query, '_type')) throw engineErrors['search.bad-type'](undefined, { expression: '_type' });
      return { ...common, types: [storage.resourceType], url: `${request.baseUrl}/${storage.resourceType}` };
    }
  }
}

export async function search(ctx: EngineContext, request: FhirRequest, route: Route, scope: Scope): Promise<FhirResponse> {
  const bundle = await runSearch(searchContext(ctx), scope.tx ?? ctx.db, searchOptions(ctx, request, route));
  return { status: 200, body: bundle, headers: {} };
}
