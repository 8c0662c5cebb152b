/**
 * history of an instance, a type and the system (http://hl7.org/fhir/R4/http.html#history): newest
 * first, _count, _since, _at, and next links that page by txid so pages stay stable while others write.
 * Only the versions whose content the caller's row rules let it see are listed and counted.
 */
import { dateRange, encodeQuery, type Bundle, type BundleEntry, type QueryParams } from '../../core/index.js';
import { countVersions, readHistory, type HistoryQuery, type ResourceStorage, type StoredVersion } from '../../storage/index.js';
import type { EngineContext } from '../engine-context.js';
import { engineErrors } from '../engine-errors.js';
import type { FhirRequest, FhirResponse } from '../fhir-request.js';
import { etagFor } from '../preconditions.js';
import { storageOf } from '../resource-input.js';
import type { Route } from '../route.js';
import { visibleRows } from '../visible-rows.js';
import type { Scope } from '../write-transaction.js';

const HISTORY_PARAMS = ['_count', '_since', '_at', '_cursor'];

function instant(value: string, name: string): string {
  const range = dateRange(value);
  if (!range || range.precision === 'year' || range.precision === 'month' || range.precision === 'day' || !/T.*(Z|[+-]\d\d:\d\d)$/.test(value)) {
    throw engineErrors['rest.bad-history-parameter']({ detail: `${name} must be an instant with a timezone, not "${value}"` }, { expression: name });
  }
  return range.start;
}

function parseHistoryQuery(ctx: EngineContext, query: QueryParams, id: string | undefined): HistoryQuery {
  const parsed: HistoryQuery = { id, count: ctx.config.historyDefaultCount };
  for (const [name, value] of query) {
    if (!HISTORY_PARAMS.includes(name)) {
      throw engineErrors['rest.unknown-history-parameter']({ name }, { expression: name });
    }
    if (name === '_count' || name === '_cursor') {
      if (!/^\d+$/.test(value)) {
        throw engineErrors['rest.bad-history-parameter']({ detail: `${name} must be a non-negative integer` }, { expression: name });
      }
      if (name === '_count') parsed.count = Math.min(Number(value), ctx.config.historyMaxCount);
      else parsed.beforeTxid = value;
    } else if (name === '_since') parsed.since = instant(value, name);
    else {
      const range = dateRange(value);
      if (!range) throw engineErrors['rest.bad-history-parameter']({ detail: `_at must be a date, not "${value}"` }, { expression: name });
      parsed.at = { start: range.start, end: range.end };
    }
  }
  return parsed;
}

const METHOD_BY_STATUS = { created: 'POST', recreated: 'PUT', updated: 'PUT', patched: 'PATCH', deleted: 'DELETE' } as const;

function historyEntry(baseUrl: string, version: StoredVersion): BundleEntry {
  const { resourceType, id } = version.resource;
  const method = METHOD_BY_STATUS[version.status];
  const entry: BundleEntry = {
    fullUrl: `${baseUrl}/${resourceType}/${id}`,
    request: { method, url: method === 'POST' ? resourceType : `${resourceType}/${id}` },
    response: {
      status: version.status === 'deleted' ? '204' : version.status === 'created' || version.status === 'recreated' ? '201' : '200',
      etag: etagFor(version.versionId),
      lastModified: version.lastUpdated,
    },
  };
  if (version.status !== 'deleted') entry.resource = version.resource;
  return entry;
}

function historyLinks(request: FhirRequest, path: string, versions: StoredVersion[], hasMore: boolean): Bundle['link'] {
  const base = `${request.baseUrl}${path ? `/${path}` : ''}/_history`;
  const others = request.query.filter(([name]) => name !== '_cursor');
  const url = (query: QueryParams) => (query.length > 0 ? `${base}?${encodeQuery(query)}` : base);
  const links = [{ relation: 'self', url: url(request.query) }, { relation: 'first', url: url(others) }];
  if (hasMore) links.push({ relation: 'next', url: url([...others, ['_cursor', versions[versions.length - 1].versionId]]) });
  return links;
}

function storagesFor(ctx: EngineContext, route: Route): ResourceStorage[] {
  if (!route.resourceType) return ctx.storages.allStorages();
  const storage = storageOf(ctx, route.resourceType);
  if (!storage.historyTable) {
    throw engineErrors['rest.history-disabled']({ resourceType: storage.resourceType },
      { outcomeId: 'not-supported', severity: 'fatal', plain: true });
  }
  return [storage];
}

export async function history(ctx: EngineContext, request: FhirRequest, route: Route, scope: Scope): Promise<FhirResponse> {
  const storages = storagesFor(ctx, route);
  const visible = (resourceType: string) => visibleRows(ctx, request, resourceType);
  const query = { ...parseHistoryQuery(ctx, request.query, route.id), visible };
  const db = scope.tx ?? ctx.db;
  const page = await readHistory(db, storages, query);
  const path = [route.resourceType, route.id].filter(Boolean).join('/');
  const bundle: Bundle = {
    resourceType: 'Bundle',
    type: 'history',
    link: historyLinks(request, path, page.versions, page.hasMore),
    entry: page.versions.map((version) => historyEntry(request.baseUrl, version)),
  };
  if (route.id && !query.since && !query.at) bundle.total = await countVersions(db, storages[0], route.id, visible(storages[0].resourceType));
  if (route.id && bundle.total === 0) {
    throw engineErrors['rest.resource-not-found']({ resourceType: route.resourceType, id: route.id });
  }
  return { status: 200, body: bundle, headers: {} };
}
