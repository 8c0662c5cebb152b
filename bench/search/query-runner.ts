/**
 * Measures one query: a warm-up, then `repeat` runs one at a time, each with freshly sampled values,
 * over HTTP against the server and as the hand-written SQL against PostgreSQL, in alternating order.
 * Every answer must be 200 and a searchset Bundle without outcome entries (the server is asked for
 * strict handling); the first failure stops the query with the OperationOutcome's diagnostics and
 * the benchmark moves on. The ids of each answer are compared with the SQL's: the matches in order
 * (the page order is part of the answer), the included resources as a set, so a search that
 * returns the wrong resources or orders them differently shows up next to its timing.
 */
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { percentile } from '../support/latency.js';
import type { HttpGetter } from './http-get.js';
import type { Sampler } from './query-samples.js';
import type { QueryInstance, RawStatement, SearchQuery } from './search-query.js';

export interface QueryFigures {
  query: SearchQuery;
  /** The query's place in the full list (1-based), kept when --queries picks some. */
  number: number;
  example?: string;
  p50: number;
  p99: number;
  rawP50: number;
  rawP99: number;
  /** Median matches and included resources per answer, and the last total the server gave. */
  matches: number;
  included: number;
  total?: number;
  runs: number;
  mismatches: number;
  mismatchExample?: string;
  failure?: string;
}

export interface RunSettings {
  http: HttpGetter;
  client: pg.Client;
  warmup: number;
  repeat: number;
  /** The server's FHIR base with a trailing slash (for the reference keys of the hand-written SQL). */
  fhirBase: string;
}

interface Answer {
  /** The matches in the order given, then the included resources sorted. */
  ids: string[];
  matches: number;
  included: number;
  total?: number;
}

const HEADERS = { accept: 'application/fhir+json', prefer: 'handling=strict' };

class QueryFailure extends Error {}

function diagnostics(body: string): string {
  try {
    const outcome = JSON.parse(body) as { issue?: { severity?: string; code?: string; diagnostics?: string }[] };
    return (outcome.issue ?? []).map((issue) => `${issue.severity}/${issue.code}: ${issue.diagnostics ?? ''}`).join('; ') || body.slice(0, 300);
  } catch {
    return body.slice(0, 300);
  }
}

interface BundleJson {
  resourceType?: string;
  total?: number;
  entry?: { resource?: { resourceType: string; id: string }; search?: { mode?: string } }[];
}

function readBundle(status: number, body: string): Answer {
  if (status !== 200) throw new QueryFailure(`HTTP ${status}: ${diagnostics(body)}`);
  const bundle = JSON.parse(body) as BundleJson;
  if (bundle.resourceType !== 'Bundle') throw new QueryFailure(`not a Bundle but ${bundle.resourceType}: ${body.slice(0, 300)}`);
  const entries = bundle.entry ?? [];
  const outcomes = entries.filter((entry) => entry.search?.mode === 'outcome');
  if (outcomes.length > 0) throw new QueryFailure(`outcome entries in the Bundle: ${diagnostics(JSON.stringify(outcomes[0].resource))}`);
  const idsOf = (include: boolean) => entries.filter((entry) => ((entry.search?.mode ?? 'match') === 'include') === include)
    .flatMap((entry) => (entry.resource ? [`${entry.resource.resourceType}/${entry.resource.id}`] : []));
  const matches = idsOf(false);
  const included = idsOf(true).sort();
  return { ids: [...matches, ...included], matches: matches.length, included: included.length, total: bundle.total };
}

async function serverAnswer(settings: RunSettings, instance: QueryInstance): Promise<{ ms: number; answer: Answer }> {
  const started = performance.now();
  let reply;
  try {
    reply = await settings.http.get(instance.path, HEADERS);
  } catch (error) {
    throw new QueryFailure(`request failed: ${(error as Error).message}`);
  }
  const ms = performance.now() - started;
  return { ms, answer: readBundle(reply.status, reply.body) };
}

/** Runs the hand-written statements in order, a step's rows choosing the statement after it. */
async function runRaw(settings: RunSettings, instance: QueryInstance): Promise<{ statement: RawStatement; result: pg.QueryResult }[]> {
  const done: { statement: RawStatement; result: pg.QueryResult }[] = [];
  try {
    for (const step of instance.raw) {
      let statement = step;
      let result = await settings.client.query(statement.text, statement.values);
      while ('then' in statement) {
        statement = statement.then(result.rows);
        result = await settings.client.query(statement.text, statement.values);
      }
      done.push({ statement, result });
    }
  } catch (error) {
    throw new QueryFailure(`the hand-written SQL failed: ${(error as Error).message}`);
  }
  return done;
}

async function rawAnswer(settings: RunSettings, instance: QueryInstance): Promise<{ ms: number; answer: Answer }> {
  const started = performance.now();
  const results = await runRaw(settings, instance);
  const ms = performance.now() - started;
  const matches: string[] = [];
  const included: string[] = [];
  let total: number | undefined;
  for (const { statement, result } of results) {
    if (statement.counts) total = Number(result.rows[0].total);
    else {
      const rows = result.rows as { resource_type: string; id: string; mode?: string }[];
      const page = rows.filter((row) => row.mode !== 'include').slice(0, statement.page ?? Infinity);
      matches.push(...page.map((row) => `${row.resource_type}/${row.id}`));
      included.push(...rows.filter((row) => row.mode === 'include').map((row) => `${row.resource_type}/${row.id}`));
    }
  }
  included.sort();
  return { ms, answer: { ids: [...matches, ...included], matches: matches.length, included: included.length, total } };
}

function difference(server: Answer, raw: Answer, countsTotal: boolean): string | undefined {
  const serverIds = [...server.ids].sort();
  const rawIds = [...raw.ids].sort();
  const missing = rawIds.filter((id) => !serverIds.includes(id));
  const extra = serverIds.filter((id) => !rawIds.includes(id));
  const parts: string[] = [];
  if (missing.length > 0 || extra.length > 0 || serverIds.length !== rawIds.length) {
    parts.push(`server ${serverIds.length} ids, SQL ${rawIds.length}; only in SQL: ${missing.slice(0, 3).join(' ') || '-'}; only from the server: ${extra.slice(0, 3).join(' ') || '-'}`);
  } else if (server.matches !== raw.matches || server.ids.some((id, k) => id !== raw.ids[k])) {
    parts.push(`same ids in another order: server ${server.ids.slice(0, 4).join(' ')} ...; SQL ${raw.ids.slice(0, 4).join(' ')} ...`);
  }
  if (countsTotal && server.total !== raw.total) parts.push(`total ${server.total} vs SQL ${raw.total}`);
  return parts.length > 0 ? parts.join('; ') : undefined;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

export async function measureQuery(query: SearchQuery, number: number, sampler: Sampler, settings: RunSettings): Promise<QueryFigures> {
  const server: number[] = [];
  const raw: number[] = [];
  const matches: number[] = [];
  const included: number[] = [];
  const figures: QueryFigures = { query, number, p50: NaN, p99: NaN, rawP50: NaN, rawP99: NaN, matches: NaN, included: NaN, runs: 0, mismatches: 0 };
  for (let i = 0; i < settings.warmup + settings.repeat; i++) {
    const instance = query.build(sampler, settings.fhirBase);
    figures.example ??= instance.path;
    let serverRun: { ms: number; answer: Answer } | undefined;
    let rawRun: { ms: number; answer: Answer } | undefined;
    try {
      if (i % 2 === 0) {
        serverRun = await serverAnswer(settings, instance);
        rawRun = await rawAnswer(settings, instance);
      } else {
        rawRun = await rawAnswer(settings, instance);
        serverRun = await serverAnswer(settings, instance);
      }
    } catch (error) {
      if (!(error instanceof QueryFailure)) throw error;
      figures.failure = `${error.message} (GET ${instance.path})`;
      break;
    }
    const differs = difference(serverRun.answer, rawRun.answer, instance.raw.some((statement) => 'counts' in statement && statement.counts));
    if (differs) {
      figures.mismatches += 1;
      figures.mismatchExample ??= `${differs} (GET ${instance.path})`;
    }
    if (i < settings.warmup) continue;
    figures.runs += 1;
    server.push(serverRun.ms);
    raw.push(rawRun.ms);
    matches.push(serverRun.answer.matches);
    included.push(serverRun.answer.included);
    figures.total = serverRun.answer.total;
  }
  server.sort((a, b) => a - b);
  raw.sort((a, b) => a - b);
  return { ...figures, p50: percentile(server, 50), p99: percentile(server, 99), rawP50: percentile(raw, 50), rawP99: percentile(raw, 99),
    matches: median(matches), included: median(included) };
}
