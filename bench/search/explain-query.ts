/**
 * `--explain`: for one instance of a query, the SQL, bind values and plan (EXPLAIN ANALYZE) the
 * server reports through `GET /fhir/<type>/$explain?<search>&analyze=true`, the plan of the
 * hand-written SQL, and a check that every key expression of the hand-written SQL appears verbatim
 * in the server's (so both can use the same indexes; include steps are not in $explain's page SQL).
 */
import type pg from 'pg';
import { keyExpressionsOf } from './flint-keys.js';
import type { HttpGetter } from './http-get.js';
import { planText } from './plan-text.js';
import type { QueryInstance } from './search-query.js';

interface ParametersJson {
  resourceType?: string;
  parameter?: { name: string; valueString?: string }[];
}

const indent = (text: string, pad = '    ') => text.replace(/^/gm, pad);

async function serverExplanation(http: HttpGetter, instance: QueryInstance): Promise<{ text: string; sql: string }> {
  const [resource, query] = instance.path.split('?');
  const reply = await http.get(`${resource}/$explain?${query}&analyze=true`, { accept: 'application/fhir+json' });
  if (reply.status !== 200) return { text: `  $explain answered ${reply.status}: ${reply.body.slice(0, 200)}`, sql: '' };
  const parameters = (JSON.parse(reply.body) as ParametersJson).parameter ?? [];
  const sql = parameters.find((parameter) => parameter.name === 'sql')?.valueString ?? '';
  const text = parameters.map((parameter) => {
    const value = parameter.valueString ?? '';
    return `  server ${parameter.name}:\n${indent(parameter.name === 'plan' ? planText(value) : value)}`;
  }).join('\n');
  return { text, sql };
}

async function explainStatement(client: pg.Client, statement: { text: string; values: unknown[] }): Promise<string> {
  const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${statement.text}`, statement.values);
  return `  hand-written SQL:\n${statement.text.replace(/^\s*/gm, '    ')}\n  its values: ${JSON.stringify(statement.values)}\n  its plan:\n${rows.map((row) => `    ${row['QUERY PLAN']}`).join('\n')}`;
}

/** The plans of the hand-written statements; a step is run as well, for the statement its rows choose. */
async function rawExplanation(client: pg.Client, instance: QueryInstance): Promise<{ text: string; statements: string[] }> {
  const plans: string[] = [];
  const statements: string[] = [];
  for (const first of instance.raw) {
    let statement = first;
    plans.push(await explainStatement(client, statement));
    statements.push(statement.text);
    while ('then' in statement) {
      statement = statement.then((await client.query(statement.text, statement.values)).rows);
      plans.push(await explainStatement(client, statement));
      statements.push(statement.text);
    }
  }
  return { text: plans.join('\n'), statements };
}

function keyCheck(serverSql: string, statements: string[]): string {
  const server = new Set(keyExpressionsOf(serverSql));
  const raw = keyExpressionsOf(statements.join('\n'));
  const absent = raw.filter((expression) => !server.has(expression));
  return `  key expressions of the hand-written SQL found in the server's SQL: ${raw.length - absent.length} of ${raw.length}` +
    (absent.length > 0 ? `; not in its page SQL: ${absent.join(', ')}` : '');
}

export async function explainQuery(http: HttpGetter, client: pg.Client, instance: QueryInstance): Promise<string> {
  const server = await serverExplanation(http, instance);
  const raw = await rawExplanation(client, instance);
  return [`GET ${instance.path}`, server.text, raw.text, keyCheck(server.sql, raw.statements)].join('\n');
}
