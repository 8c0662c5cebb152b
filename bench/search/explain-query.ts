/**
 * `--explain`: for one instance of a query, the SQL and plan the server reports through
 * `GET /fhir/<type>/$explain?<search>` (when the server has that operation), and the plan of the
 * hand-written SQL (EXPLAIN ANALYZE), to check both use the same indexes.
 */
import type pg from 'pg';
import type { HttpGetter } from './http-get.js';
import type { QueryInstance } from './search-query.js';

interface ParametersJson {
  resourceType?: string;
  parameter?: { name: string; valueString?: string }[];
}

async function serverExplanation(http: HttpGetter, instance: QueryInstance): Promise<string> {
  const [resource, query] = instance.path.split('?');
  const reply = await http.get(`${resource}/$explain?${query}`, { accept: 'application/fhir+json' });
  if (reply.status !== 200) return `  $explain answered ${reply.status}: ${reply.body.slice(0, 200)}`;
  const parameters = JSON.parse(reply.body) as ParametersJson;
  return (parameters.parameter ?? []).map((parameter) => `  ${parameter.name}:\n${(parameter.valueString ?? '').replace(/^/gm, '    ')}`).join('\n');
}

async function rawExplanation(client: pg.Client, instance: QueryInstance): Promise<string> {
  const plans: string[] = [];
  for (const statement of instance.raw) {
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${statement.text}`, statement.values);
    plans.push(`  hand-written SQL:\n${statement.text.replace(/^\s*/gm, '    ')}\n  its plan:\n${rows.map((row) => `    ${row['QUERY PLAN']}`).join('\n')}`);
  }
  return plans.join('\n');
}

export async function explainQuery(http: HttpGetter, client: pg.Client, instance: QueryInstance): Promise<string> {
  return [`GET ${instance.path}`, await serverExplanation(http, instance), await rawExplanation(client, instance)].join('\n');
}
