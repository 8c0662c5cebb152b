/**
 * What the audit tests share: the stored AuditEvents read straight from the table (so reading them
 * makes no event), and small accessors of an event's subtype, entities and outcome.
 */
import type { Resource } from '../../src/core/index.js';
import { sql } from '../../src/sql/index.js';
import type { Queryable } from '../../src/db/index.js';

export type AuditEvent = Resource & { subtype?: { code: string }[]; action?: string; outcome?: string; entity?: any[]; agent?: any[] };

/** Every stored AuditEvent, oldest first. */
export async function storedEvents(db: Queryable): Promise<AuditEvent[]> {
  const { rows } = await db.query<{ id: string; resource: Record<string, unknown> }>(sql`SELECT id, resource FROM auditevent ORDER BY txid`);
  return rows.map((row) => ({ resourceType: 'AuditEvent', id: row.id, ...row.resource }) as AuditEvent);
}

export function subtypeOf(event: AuditEvent): string | undefined {
  return event.subtype?.[0]?.code;
}

/** The references of the event's entities (Patient/1/_history/2, ...). */
export function entityReferences(event: AuditEvent): string[] {
  return (event.entity ?? []).map((entity) => entity.what?.reference).filter((reference): reference is string => typeof reference === 'string');
}

/** The query of the event's query entity, decoded from base64 and from URL encoding. */
export function queryOf(event: AuditEvent): string | undefined {
  const query = (event.entity ?? []).find((entity) => entity.role?.code === '24')?.query;
  return typeof query === 'string' ? decodeURIComponent(Buffer.from(query, 'base64').toString('utf8')) : undefined;
}

/** The patient entity's reference (role 1), if any. */
export function patientOf(event: AuditEvent): string | undefined {
  return (event.entity ?? []).find((entity) => entity.role?.code === '1')?.what?.reference;
}

/** Events whose subtype is `subtype` and whose entities name `reference` (a prefix: Patient/1 matches Patient/1/_history/2). */
export function eventsAbout(events: AuditEvent[], subtype: string, reference: string): AuditEvent[] {
  return events.filter((event) => subtypeOf(event) === subtype && entityReferences(event).some((ref) => ref === reference || ref.startsWith(`${reference}/`)));
}
