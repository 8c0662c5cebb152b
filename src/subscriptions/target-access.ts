/**
 * Events carry only what the subscriber may see. A target's owner is the caller who wrote it last
 * (subscription-write-hook.ts); for each type, the owner's rows are those a search of the type by
 * that caller would see now: the request goes through the server's guards (access policies, SMART
 * scopes) exactly as the owner's own search would, and its row rules become the condition each
 * event's version must meet. An owner who may not search the type at all gets no events of it; the
 * root client, administrators and targets written by the server itself get every event.
 */
import { FhirError, type Caller } from '../core/index.js';
import type { Queryable } from '../db/index.js';
import { checkRequest, parseRoute, visibleRows, type EngineContext, type FhirRequest } from '../engine/index.js';
import { ident, sql } from '../sql/index.js';
import type { ResourceStorage, RowCondition } from '../storage/index.js';
import { changesRelation, versionOfChange, type ChangeRef } from './change-versions.js';

/** What a target may hear of a type: every event, none, or those whose version meets the condition. */
export type TypeAccess = { kind: 'all' } | { kind: 'none' } | { kind: 'rows'; condition: RowCondition };

const EVERY: TypeAccess = { kind: 'all' };
const ALIAS = 'subscriber_row';

/** The owners of targets, by target key. */
export async function targetOwners(db: Queryable, keys: readonly string[]): Promise<Map<string, Caller>> {
  if (keys.length === 0) return new Map();
  const { rows } = await db.query<{ target: string; caller: Caller }>(sql`SELECT target, caller FROM flint_delivery_owner WHERE target = ANY(${keys}::text[])`);
  return new Map(rows.map((row) => [row.target, row.caller]));
}

/** The access of an owner to a type, as its own search of the type would have it. */
export async function typeAccess(ctx: EngineContext, owner: Caller | undefined, resourceType: string, baseUrl: string): Promise<TypeAccess> {
  if (!owner || owner.admin) return EVERY;
  const request: FhirRequest = { method: 'GET', path: resourceType, query: [], headers: {}, baseUrl, caller: owner };
  try {
    await checkRequest(ctx, request, parseRoute('GET', resourceType));
  } catch (error) {
    if (error instanceof FhirError) return { kind: 'none' };
    throw error;
  }
  const condition = visibleRows(ctx, request, resourceType, ALIAS);
  return condition ? { kind: 'rows', condition } : EVERY;
}

/** The positions of the changes whose version meets the condition. */
export async function visiblePositions(db: Queryable, storage: ResourceStorage, changes: readonly ChangeRef[], condition: RowCondition): Promise<Set<number>> {
  if (changes.length === 0) return new Set();
  const { rows } = await db.query<{ position: string }>(sql`
    SELECT c.position FROM ${changesRelation(changes)}
    JOIN LATERAL (${versionOfChange(storage)}) AS ${ident(condition.alias)} ON true
    WHERE ${condition.condition}`);
  return new Set(rows.map((row) => Number(row.position)));
}
