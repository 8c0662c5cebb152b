/**
 * POST /$sql (and /fhir/$sql): one SQL statement, as text/plain or application/sql, as a JSON
 * string, or as a JSON array [sql, value1, value2...] whose `?` placeholders take the values as
 * bind parameters. Answers the rows as a JSON array of objects, or YAML with _format=yaml.
 * _timeout (milliseconds, at most the configured maximum) and _limit (rows) narrow the defaults;
 * a result cut by the row or byte limit says so in the X-Sql-Truncated header, and why in
 * X-Sql-Truncated-Reason (rows, bytes). A statement the $sql role has no right to run is 403
 * sql.permission-denied. A statement PostgreSQL rejects is 400 with an OperationOutcome carrying PostgreSQL's message, SQLSTATE and position
 * (the character in the statement as sent, also as the issue extensions sql-sqlstate and
 * sql-position). See docs/sql.md.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import YAML from 'yaml';
import { FhirError, FLINT_ISSUE_SYSTEM, type OperationOutcome } from '../core/index.js';
import { isDatabaseError, QUERY_CANCELED, translateDatabaseError } from '../db/index.js';
import { executeSql, SqlStatementError, type SqlAccess, type SqlRequest } from '../sql-api/index.js';
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
}

const READ_ONLY_TRANSACTION = '25006';
const INSUFFICIENT_PRIVILEGE = '42501';
export const SQL_POSITION_EXTENSION = 'urn:flint:sql-position';
export const SQL_STATE_EXTENSION = 'urn:flint:sql-sqlstate';

function statementOf(body: unknown): Pick<SqlRequest, 'sql' | 'params'> {
  if (typeof body === 'string') return { sql: body };
  if (Array.isArray(body) && typeof body[0] === 'string') return { sql: body[0], params: body.slice(1) };
  throw new FhirError('invalid', 'sql.bad-body', 'Send the SQL as text, as a JSON string, or as a JSON array [sql, ...values]');
}

function numberParam(value: string | undefined, name: string, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new FhirError('invalid', 'sql.bad-parameter', `${name} must be a positive integer`);
  return Math.min(Number(value), max);
}

function outcome(error: SqlStatementError): OperationOutcome {
  const database = error.databaseError as { code?: string; message: string };
  const where = error.position !== undefined ? ` at character ${error.position}` : '';
  return {
    resourceType: 'OperationOutcome',
    issue: [{
      severity: 'error',
      code: 'invalid',
      details: { coding: [{ system: FLINT_ISSUE_SYSTEM, code: 'sql.error' }] },
      diagnostics: `${database.message} (SQLSTATE ${database.code ?? 'unknown'})${where}`,
      extension: [
        ...(database.code ? [{ url: SQL_STATE_EXTENSION, valueCode: database.code }] : []),
        ...(error.position !== undefined ? [{ url: SQL_POSITION_EXTENSION, valueInteger: error.position }] : []),
      ],
    } as OperationOutcome['issue'][number]],
  };
}

/** Database errors a client causes that are not plain SQL errors: a timeout, a write in read-only mode, a right the role lacks. */
function knownFailure(error: SqlStatementError): unknown {
  const database = error.databaseError;
  if (!isDatabaseError(database)) return database;
  if (database.code === QUERY_CANCELED) return translateDatabaseError(database);
  if (database.code === READ_ONLY_TRANSACTION) {
    return new FhirError('forbidden', 'sql.read-only', `$sql is read-only here: ${database.message}`, { cause: database });
  }
  if (database.code === INSUFFICIENT_PRIVILEGE) {
    return new FhirError('forbidden', 'sql.permission-denied', `The role $sql runs as may not do this: ${database.message}`, { cause: database });
  }
  return undefined;
}

export function registerSqlRoute(app: FastifyInstance, options: SqlRouteOptions): void {
  const { settings } = options;
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const query = request.query as Record<string, string | undefined>;
    const format = query._format ?? 'json';
    if (format !== 'json' && format !== 'yaml') throw new FhirError('not-acceptable', 'sql.bad-format', '_format must be json or yaml');
    const sqlRequest: SqlRequest = {
      ...statementOf(request.body),
      readOnly: settings.readOnly,
      timeoutMs: numberParam(query._timeout, '_timeout', settings.maxTimeoutMs, settings.timeoutMs),
      maxRows: numberParam(query._limit, '_limit', settings.maxRows, settings.maxRows),
      signal: requestSignal(request),
      maxBytes: settings.maxBytes,
    };
    let result;
    try {
      result = await executeSql(options.access, sqlRequest);
    } catch (error) {
      if (!(error instanceof SqlStatementError)) throw error;
      const known = knownFailure(error);
      if (known !== undefined) throw known;
      return reply.code(400).header('content-type', 'application/fhir+json; charset=utf-8').send(JSON.stringify(outcome(error)));
    }
    if (result.truncated) reply.header('x-sql-truncated', 'true').header('x-sql-truncated-reason', result.truncated);
    if (format === 'yaml') {
      return reply.header('content-type', 'application/yaml; charset=utf-8').send(YAML.stringify(result.rows.map((row) => JSON.parse(row) as unknown)));
    }
    return reply.header('content-type', 'application/json; charset=utf-8').send(`[${result.rows.join(',')}]`);
  };
  app.post('/$sql', handler);
  app.post('/fhir/$sql', handler);
}
