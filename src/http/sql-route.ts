/**
 * POST /$sql (and /fhir/$sql): one SQL statement, as text/plain or application/sql, as a JSON
 * string, or as a JSON array [sql, value1, value2...] whose `?` placeholders take the values as
 * bind parameters. Answers the rows as a JSON array of objects, or YAML with _format=yaml.
 * _timeout (milliseconds, at most the configured maximum) and _limit (rows) narrow the defaults;
 * a result cut by the row or byte limit says so in the X-Sql-Truncated header, and why in
 * X-Sql-Truncated-Reason (rows, bytes). A statement the $sql role has no right to run is 403
 * sql.permission-denied. A statement PostgreSQL rejects is 400 sql.error carrying PostgreSQL's
 * message, SQLSTATE and position (sql-api/statement-failure.ts); every error becomes an
 * OperationOutcome in error-response.ts like any other. See docs/sql.md.
 */
import { requireAdmin } from '../access/index.js';
import { auditedSql } from '../audit/index.js';
import type { EngineAudit } from '../engine/index.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import YAML from 'yaml';
import { executeSql, sqlErrors, type SqlAccess, type SqlRequest } from '../sql-api/index.js';
import { requestSignal } from './request-signal.js';

export interface SqlSettings {
  readOnly: boolean;
  timeoutMs: number;
  maxTimeoutMs: number;
  maxRows: number;
  /** The most bytes the rows of one answer may hold. */
  maxBytes: number;
}

export interface SqlRouteOptions {
  access: SqlAccess;
  settings: SqlSettings;
  /** The audit log: each statement is recorded with its outcome. */
  audit?: EngineAudit;
}

function statementOf(body: unknown): Pick<SqlRequest, 'sql' | 'params'> {
  if (typeof body === 'string') return { sql: body };
  if (Array.isArray(body) && typeof body[0] === 'string') return { sql: body[0], params: body.slice(1) };
  throw sqlErrors['sql.bad-body']({ detail: 'Send the SQL as text, as a JSON string, or as a JSON array [sql, ...values]' });
}

function numberParam(value: string | undefined, name: string, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw sqlErrors['sql.bad-parameter']({ detail: `${name} must be a positive integer` });
  return Math.min(Number(value), max);
}

export function registerSqlRoute(app: FastifyInstance, options: SqlRouteOptions): void {
  const { settings } = options;
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    requireAdmin(request.caller, '$sql');
    const query = request.query as Record<string, string | undefined>;
    const format = query._format ?? 'json';
    if (format !== 'json' && format !== 'yaml') throw sqlErrors['sql.bad-format']({ detail: '_format must be json or yaml' });
    const sqlRequest: SqlRequest = {
      ...statementOf(request.body),
      readOnly: settings.readOnly,
      timeoutMs: numberParam(query._timeout, '_timeout', settings.maxTimeoutMs, settings.timeoutMs),
      maxRows: numberParam(query._limit, '_limit', settings.maxRows, settings.maxRows),
      signal: requestSignal(request),
      maxBytes: settings.maxBytes,
    };
    const result = await executeSql(options.access, sqlRequest);
    if (result.truncated) reply.header('x-sql-truncated', 'true').header('x-sql-truncated-reason', result.truncated);
    if (format === 'yaml') {
      return reply.header('content-type', 'application/yaml; charset=utf-8').send(YAML.stringify(result.rows.map((row) => JSON.parse(row) as unknown)));
    }
    return reply.header('content-type', 'application/json; charset=utf-8').send(`[${result.rows.join(',')}]`);
  };
  const audited = (request: FastifyRequest, reply: FastifyReply) =>
    auditedSql(options.audit, request.caller, request.body, `${request.protocol}://${request.host}/fhir`, () => handler(request, reply));
  app.post('/$sql', audited);
  app.post('/fhir/$sql', audited);
}
