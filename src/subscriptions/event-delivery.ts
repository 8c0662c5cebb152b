/**
 * The delivery of targets' events. A worker claims one target that has something due (events not
 * yet delivered, a handshake, a heartbeat) with a lease (FOR UPDATE SKIP LOCKED, then a lease time),
 * so processes share the targets and never send one target's notifications side by side: each
 * target's events go out in order, one notification at a time. Each claim has a lease of its own:
 * a worker whose send outlived its lease, the target taken over since, marks nothing (its late
 * answer neither frees the other's lease nor moves the mark back). A notification that arrives moves
 * the delivered mark; one that fails is tried again on the retry schedule (channels/retry-schedule.ts),
 * and when the receiver refuses for good or the schedule gives up, the target goes to error with the
 * reason. A crash between sending and marking sends the notification again: at least once.
 * One claim sends a run of notifications (up to RUN_EVENTS events) read in two statements, and
 * marks each as it is acknowledged (extending the lease); a mark that finds the lease taken ends the
 * run. So a target with one event per notification pays about one statement an event, not four.
 */
import { randomUUID } from 'node:crypto';
import type { Database, DatabaseLog } from '../db/index.js';
import { jsonParam, sql } from '../sql/index.js';
import type { StorageResolver } from '../storage/index.js';
import type { ChannelPool } from './channel-pool.js';
import { DeliveryError, type Delivery, type RetrySchedule } from './channels/index.js';
import type { DeliveryTarget } from './delivery-target.js';
import {
  eventNotification, handshake, heartbeat, notificationEvents, storedEvents, type TargetStatus,
} from './target-notifications.js';
import type { TargetRegistry } from './target-registry.js';

export interface DeliverySettings {
  /** Names this process's leases. */
  owner: string;
  baseUrl: string;
  retry: RetrySchedule;
  leaseMs: number;
}

/** What the delivery tells the rest of the server about a target's state. */
export interface TargetStateHooks {
  /** A requested Subscription's handshake arrived: it is active now. */
  activated(target: DeliveryTarget): Promise<void>;
  /** Delivery gave up: the target is in error for this reason. */
  failed(target: DeliveryTarget, reason: string): Promise<void>;
}

interface Claim {
  target: string;
  /** This claim's lease (the process's owner and a claim id): a worker whose lease ran out and was taken marks nothing. */
  lease: string;
  events: string;
  delivered: string;
  attempts: number;
  /** A requested Subscription's handshake arrived (the registry may not have read it as active yet). */
  handshaken: boolean;
}

type Work = { kind: 'handshake' } | { kind: 'events'; from: number; to: number } | { kind: 'heartbeat' };

/** The events one claim sends at most, in notifications of the target's maxCount. */
const RUN_EVENTS = 50;

/** What a claim's run got through: notifications acknowledged and marked. */
interface Progress {
  marked: number;
}

export class EventDelivery {
  constructor(
    private readonly db: Database,
    private readonly registry: TargetRegistry,
    private readonly channels: ChannelPool,
    private readonly storages: StorageResolver,
    private readonly settings: DeliverySettings,
    private readonly hooks: TargetStateHooks,
    private readonly log: DatabaseLog,
  ) {}

  /** Claims one target with something due and delivers it; false when nothing was due. */
  async deliverOne(): Promise<boolean> {
    const claim = await this.claim();
    if (!claim) return false;
    const target = this.registry.get(claim.target);
    if (!target?.channel) {
      await this.release(claim);
      return true;
    }
    const work = this.workOf(target, claim);
    const progress: Progress = { marked: 0 };
    try {
      await this.send(target, claim, work, progress);
      await this.delivered(target, claim, work);
    } catch (error) {
      await this.failedAttempt(target, claim, error, progress);
    }
    return true;
  }

  private async claim(): Promise<Claim | undefined> {
    const targets = this.registry.all().filter((target) => target.channel !== undefined);
    if (targets.length === 0) return undefined;
    const requested = targets.filter((target) => target.status === 'requested').map((target) => target.key);
    const beats = targets.filter((target) => target.heartbeatMs).map((target) => ({ key: target.key, ms: target.heartbeatMs }));
    const { rows } = await this.db.query<Claim>(sql`
      UPDATE flint_delivery_target t SET lease_owner = ${`${this.settings.owner}/${randomUUID()}`}, lease_until = now() + ${this.settings.leaseMs} * interval '1 millisecond'
      WHERE t.target = (
        SELECT c.target FROM flint_delivery_target c
        WHERE c.target = ANY(${targets.map((target) => target.key)}::text[]) AND c.state = 'active' AND c.next_attempt_at <= now()
          AND (c.lease_until IS NULL OR c.lease_until < now())
          AND (c.delivered < c.events OR (c.target = ANY(${requested}::text[]) AND NOT c.handshaken)
            OR EXISTS (SELECT 1 FROM jsonb_to_recordset(${jsonParam(beats)}::jsonb) AS b(key text, ms bigint)
              WHERE b.key = c.target AND coalesce(c.last_sent_at, '-infinity') < now() - b.ms * interval '1 millisecond'))
        ORDER BY c.next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING t.target, t.lease_owner AS lease, t.events, t.delivered, t.attempts, t.handshaken`);
    return rows[0];
  }

  private workOf(target: DeliveryTarget, claim: Claim): Work {
    if (target.status === 'requested' && !claim.handshaken) return { kind: 'handshake' };
    const delivered = Number(claim.delivered);
    const events = Number(claim.events);
    if (delivered < events) return { kind: 'events', from: delivered + 1, to: Math.min(events, delivered + Math.max(target.maxCount, RUN_EVENTS)) };
    return { kind: 'heartbeat' };
  }

  private async send(target: DeliveryTarget, claim: Claim, work: Work, progress: Progress): Promise<void> {
    const status: TargetStatus = { status: target.status, eventsSinceStart: Number(claim.events) };
    const channel = this.channels.channelOf(target);
    if (work.kind !== 'events') {
      const bundle = work.kind === 'handshake' ? handshake(target, status, this.settings.baseUrl) : heartbeat(target, status, this.settings.baseUrl);
      await channel.send(this.delivery(`${target.key}/${work.kind}/${claim.events}`, bundle));
      return;
    }
    const stored = await storedEvents(this.db, target.key, work.from, work.to);
    const events = await notificationEvents(this.db, this.storages, stored, target.content === 'full-resource');
    for (let start = 0; start < stored.length; start += target.maxCount) {
      const part = stored.slice(start, start + target.maxCount);
      const [first, last] = [part[0].event_number, part[part.length - 1].event_number];
      const bundle = eventNotification(target, status, this.settings.baseUrl, events.slice(start, start + target.maxCount));
      const key = part.length === 1 ? `${part[0].resource_type}/${part[0].id}` : undefined;
      await channel.send(this.delivery(`${target.key}/${first === last ? first : `${first}-${last}`}`, bundle, key));
      if (!await this.markSent(target, claim, Number(last))) return;
      progress.marked++;
    }
  }

  /** Marks the events up to `last` delivered and extends the lease; false when the lease was taken meanwhile. */
  private async markSent(target: DeliveryTarget, claim: Claim, last: number): Promise<boolean> {
    const { rowCount } = await this.db.query(sql`
      UPDATE flint_delivery_target SET delivered = greatest(delivered, ${last}::bigint), attempts = 0, last_sent_at = now(), last_error = NULL,
        lease_until = now() + ${this.settings.leaseMs} * interval '1 millisecond'
      WHERE target = ${target.key} AND lease_owner = ${claim.lease}`);
    return rowCount === 1;
  }

  private delivery(eventId: string, body: unknown, key?: string): Delivery {
    return { body: JSON.stringify(body), contentType: 'application/fhir+json', eventId, ...(key ? { key } : {}) };
  }

  /** Ends the claim: the events were marked as they went; a handshake or heartbeat is marked here. */
  private async delivered(target: DeliveryTarget, claim: Claim, work: Work): Promise<void> {
    const sent = work.kind === 'events' ? sql`last_sent_at` : sql`now()`;
    await this.db.query(sql`
      UPDATE flint_delivery_target SET attempts = 0, next_attempt_at = now(), last_sent_at = ${sent},
        last_error = CASE WHEN ${work.kind === 'events'} THEN last_error END, lease_owner = NULL, lease_until = NULL,
        handshaken = handshaken OR ${work.kind === 'handshake'}
      WHERE target = ${target.key} AND lease_owner = ${claim.lease}`);
    if (work.kind === 'handshake') await this.hooks.activated(target).catch((error: unknown) => this.log.warn({ err: error, target: target.key }, 'the handshake arrived but the Subscription could not be marked active'));
  }

  private async failedAttempt(target: DeliveryTarget, claim: Claim, error: unknown, progress: Progress): Promise<void> {
    const reason = error instanceof Error ? error.message : String(error);
    // A run that got notifications through before failing failed afresh: its retries start over.
    const attempts = progress.marked > 0 ? 1 : claim.attempts + 1;
    const retryable = !(error instanceof DeliveryError) || error.retryable;
    const delay = retryable ? this.settings.retry(attempts) : undefined;
    const wait = error instanceof DeliveryError && error.retryAfterMs !== undefined && delay !== undefined ? Math.max(delay, error.retryAfterMs) : delay;
    const { rowCount } = await this.db.query(sql`
      UPDATE flint_delivery_target SET attempts = ${attempts}, failed_attempts = failed_attempts + 1, last_error = ${reason},
        next_attempt_at = now() + ${wait ?? 0} * interval '1 millisecond', state = ${wait === undefined ? 'error' : 'active'},
        lease_owner = NULL, lease_until = NULL
      WHERE target = ${target.key} AND lease_owner = ${claim.lease}`);
    // A worker whose lease was taken over meanwhile leaves the target to the one that holds it.
    if (wait === undefined && rowCount === 1) {
      this.log.warn({ target: target.key, reason }, 'delivery gave up: the target is in error');
      await this.hooks.failed(target, reason).catch((failure: unknown) => this.log.warn({ err: failure, target: target.key }, 'the Subscription could not be marked as in error'));
    }
  }

  private async release(claim: Claim): Promise<void> {
    await this.db.query(sql`UPDATE flint_delivery_target SET lease_owner = NULL, lease_until = NULL WHERE target = ${claim.target} AND lease_owner = ${claim.lease}`);
  }
}
