/**
 * The matcher: reads the change feed after its cursor and turns each change into the events of the
 * targets whose topic and filters it meets, numbering each target's events (its eventNumbers). One
 * matcher runs at a time across the server processes (an advisory lock), and a batch's events, the
 * targets' counts and the cursor are written in one transaction: each change becomes each of its
 * events exactly once, whatever crashes. A target hears only of changes after its own creation in
 * the feed (its start position), and only of the rows its owner may read (target-access.ts).
 */
import type { Database, Queryable } from '../db/index.js';
import { jsonParam, sql } from '../sql/index.js';
import type { Caller } from '../core/index.js';
import type { ChangeEvent, ResourceStorage, StorageResolver } from '../storage/index.js';
import { changeVersions, type ChangeRef, type ChangeRow, type ChangeVersions } from './change-versions.js';
import type { DeliveryTarget } from './delivery-target.js';
import { targetOwners, visiblePositions, type TypeAccess } from './target-access.js';
import type { TargetRegistry } from './target-registry.js';
import { filtersMatch, type TopicChange } from './topics/index.js';

/** The advisory lock of the matcher ('fmat' in ASCII). */
const MATCHER_LOCK_KEY = 0x666d6174;
const CURSOR = 'matcher';
const BATCH = 500;

export interface MatchedEvent {
  target: string;
  position: number;
  resource_type: string;
  id: string;
  txid: string;
  event: ChangeEvent;
  ts: string;
}

/** The cursor, made at the feed's end the first time (the targets hear of what comes after). */
async function readCursor(tx: Queryable): Promise<number> {
  await tx.query(sql`
    INSERT INTO flint_delivery_cursor (name, position) SELECT ${CURSOR}, coalesce(max(position), 0) FROM flint_change
    ON CONFLICT (name) DO NOTHING`);
  const { rows } = await tx.query<{ position: string }>(sql`SELECT position FROM flint_delivery_cursor WHERE name = ${CURSOR} FOR UPDATE`);
  return Number(rows[0].position);
}

/** The state rows of the targets, made with their start position when new: the feed position of their creation. */
async function startPositions(tx: Queryable, targets: readonly DeliveryTarget[]): Promise<Map<string, number>> {
  if (targets.length === 0) return new Map();
  const keys = targets.map((target) => target.key);
  await tx.query(sql`
    INSERT INTO flint_delivery_target (target, start_position)
    SELECT key, coalesce(
      (SELECT max(c.position) FROM flint_change c WHERE c.resource_type = split_part(key, '/', 1) AND c.id = split_part(key, '/', 2) AND c.event = 'created'),
      (SELECT coalesce(max(position), 0) FROM flint_change))
    FROM unnest(${keys}::text[]) AS key
    ON CONFLICT (target) DO NOTHING`);
  const { rows } = await tx.query<{ target: string; start_position: string }>(sql`
    SELECT target, start_position FROM flint_delivery_target WHERE target = ANY(${keys}::text[])`);
  return new Map(rows.map((row) => [row.target, Number(row.start_position)]));
}

function byType(rows: ChangeRow[]): Map<string, ChangeRow[]> {
  const groups = new Map<string, ChangeRow[]>();
  for (const row of rows) groups.set(row.resource_type, [...(groups.get(row.resource_type) ?? []), row]);
  return groups;
}

function topicChange(row: ChangeRow, versions: ChangeVersions | undefined): TopicChange {
  const own = versions?.own?.resource;
  const before = versions?.before?.resource;
  if (row.event === 'deleted') return { resourceType: row.resource_type, event: row.event, previous: before ?? own };
  if (row.event === 'created') return { resourceType: row.resource_type, event: row.event, current: own };
  return { resourceType: row.resource_type, event: row.event, current: own, previous: before };
}

function meets(target: DeliveryTarget, change: TopicChange): boolean {
  const focus = change.current ?? change.previous;
  return focus !== undefined && target.topic.matches(change) && filtersMatch(target.filters, focus);
}

/** The access of a target's owner to a type (target-access.ts typeAccess, with the engine's context). */
export type OwnerAccess = (owner: Caller | undefined, resourceType: string) => Promise<TypeAccess>;

export class EventMatcher {
  constructor(
    private readonly db: Database,
    private readonly registry: TargetRegistry,
    private readonly storages: StorageResolver,
    private readonly access: OwnerAccess,
  ) {}

  /** Matches one batch of the feed; answers how many changes it read (0: nothing new, or another process is matching). */
  async run(): Promise<number> {
    if (!await this.behind()) return 0;
    return this.db.transaction(async (tx) => {
      const { rows: lock } = await tx.query<{ locked: boolean }>(sql`SELECT pg_try_advisory_xact_lock(${MATCHER_LOCK_KEY}::bigint) AS locked`);
      if (!lock[0]?.locked) return 0;
      const cursor = await readCursor(tx);
      await this.registry.refresh(tx);
      if (this.registry.all().length === 0) return this.skipTo(tx, cursor, this.registry.currentThrough);
      const { rows } = await tx.query<ChangeRow>(sql`
        SELECT position, resource_type, id, txid, event, ts FROM flint_change WHERE position > ${cursor}::bigint ORDER BY position LIMIT ${BATCH}`);
      if (rows.length === 0) return 0;
      const events = await this.match(tx, rows);
      await this.record(tx, events);
      await tx.query(sql`UPDATE flint_delivery_cursor SET position = ${rows[rows.length - 1].position}::bigint WHERE name = ${CURSOR}`);
      return rows.length;
    });
  }

  /**
   * With no target at all, the changes up to where the targets were read make no event: the cursor
   * moves past them without reading them (a target made later starts after its own creation).
   */
  private async skipTo(tx: Queryable, cursor: number, through: number): Promise<number> {
    if (through <= cursor) return 0;
    await tx.query(sql`UPDATE flint_delivery_cursor SET position = ${through}::bigint WHERE name = ${CURSOR}`);
    return through - cursor;
  }

  /** Whether the feed has changes after the cursor (or there is no cursor yet): one read, no transaction. */
  private async behind(): Promise<boolean> {
    const { rows } = await this.db.query<{ behind: boolean }>(sql`
      SELECT position < (SELECT coalesce(max(position), 0) FROM flint_change) AS behind FROM flint_delivery_cursor WHERE name = ${CURSOR}`);
    return rows[0]?.behind ?? true;
  }

  private async match(tx: Queryable, rows: ChangeRow[]): Promise<MatchedEvent[]> {
    const targets = this.registry.all();
    const starts = await startPositions(tx, targets);
    const owners = await targetOwners(tx, targets.map((target) => target.key));
    const events: MatchedEvent[] = [];
    for (const [type, changes] of byType(rows)) {
      const storage = this.storages.storageFor(type);
      if (this.registry.forType(type).length === 0 || !storage) continue;
      const refs = changes.map((row) => ({ position: Number(row.position), id: row.id, txid: row.txid }));
      const versions = await changeVersions(tx, storage, refs);
      for (const target of this.registry.forType(type)) {
        const allowed = await this.allowed(tx, storage, refs, await this.access(owners.get(target.key), type));
        for (const row of changes) {
          const position = Number(row.position);
          if (position <= (starts.get(target.key) ?? Infinity) || !allowed(position)) continue;
          if (!meets(target, topicChange(row, versions.get(position)))) continue;
          events.push({ target: target.key, position, resource_type: type, id: row.id, txid: row.txid, event: row.event, ts: row.ts });
        }
      }
    }
    return events.sort((a, b) => a.position - b.position);
  }

  /** Which changes the owner's access lets through. */
  private async allowed(tx: Queryable, storage: ResourceStorage, refs: ChangeRef[], access: TypeAccess): Promise<(position: number) => boolean> {
    if (access.kind === 'all') return () => true;
    if (access.kind === 'none') return () => false;
    const visible = await visiblePositions(tx, storage, refs, access.condition);
    return (position) => visible.has(position);
  }

  /** Numbers the events per target after its count so far, and writes them with the new counts. */
  private async record(tx: Queryable, events: MatchedEvent[]): Promise<void> {
    if (events.length === 0) return;
    await tx.query(sql`
      WITH incoming AS (
        SELECT e.*, row_number() OVER (PARTITION BY e.target ORDER BY e.position) AS n
        FROM jsonb_to_recordset(${jsonParam(events)}::jsonb)
          AS e(target text, position bigint, resource_type text, id text, txid bigint, event text, ts timestamptz)),
      counted AS (
        UPDATE flint_delivery_target t SET events = t.events + added.count
        FROM (SELECT target, count(*) AS count FROM incoming GROUP BY target) AS added
        WHERE t.target = added.target
        RETURNING t.target, t.events - added.count AS before)
      INSERT INTO flint_delivery_event (target, event_number, position, resource_type, id, txid, event, ts)
      SELECT i.target, counted.before + i.n, i.position, i.resource_type, i.id, i.txid, i.event, i.ts
      FROM incoming i JOIN counted ON counted.target = i.target`);
  }
}
