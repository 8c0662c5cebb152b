/**
 * The audit event of a $sql request: an operation ($sql) whose query entity holds the statement
 * (base64 in entity.query, readable in description), with the outcome of running it.
 */
import type { Caller } from '../core/index.js';
import type { EngineAudit } from '../engine/index.js';
import { restEvent } from './audit-event.js';
import { errorStatus, failureText } from './interaction-facts.js';

/** The statement of a $sql body: text, a JSON string, or the first item of [sql, ...values]. */
function statementText(body: unknown): string | undefined {
  if (typeof body === 'string') return body;
  return Array.isArray(body) && typeof body[0] === 'string' ? body[0] : undefined;
}

/** Runs a $sql request and records it (answered or failed) in the audit log, when there is one. */
export async function auditedSql<T>(audit: EngineAudit | undefined, caller: Caller | undefined, body: unknown, baseUrl: string, run: () => Promise<T>): Promise<T> {
  if (!audit) return run();
  const statement = statementText(body);
  const facts = { subtype: 'operation' as const, caller, baseUrl, operation: '$sql', patients: [], ...(statement !== undefined ? { query: statement } : {}) };
  try {
    const result = await run();
    audit.record(restEvent({ ...facts, status: 200 }));
    return result;
  } catch (error) {
    audit.record(restEvent({ ...facts, status: errorStatus(error), failure: failureText(error) }));
    throw error;
  }
}
