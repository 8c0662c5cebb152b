/**
 * Runs the subscriptions of one server process: the targets' registry, the matcher (after each
 * move of the change feed, and on a timer in case another process moved it) and a few delivery
 * workers, each delivering one target at a time while there is work and then waiting for the next
 * matched events or the next tick. Several processes run it side by side: the matcher's lock and
 * the targets' leases share the work. Failures of the database are tried again on the next tick.
 */
import { randomUUID } from 'node:crypto';
import { isOutageError, type Database, type DatabaseLog } from '../db/index.js';
import type { FhirModel } from '../model/index.js';
import { sql } from '../sql/index.js';
import type { StorageResolver } from '../storage/index.js';
import { ChannelPool } from './channel-pool.js';
import { retrySchedule, type RetryScheduleOptions } from './channels/index.js';
import { EventDelivery, type TargetStateHooks } from './event-delivery.js';
import { EventMatcher, type OwnerAccess } from './event-matcher.js';
import { TargetRegistry } from './target-registry.js';

export interface DeliveryServiceSettings {
  intervalMs: number;
  workers: number;
  baseUrl: string;
  selfOrigins: string[];
  retry?: RetryScheduleOptions;
  /** How long a claimed target stays with this process (a crashed one's targets are taken after it). */
  leaseMs?: number;
  retentionDays: number;
}

export interface DeliveryServiceSources {
  db: Database;
  storages: StorageResolver;
  model: FhirModel;
  log: DatabaseLog;
  hooks: TargetStateHooks;
  access: OwnerAccess;
}

const PRUNE_EVERY_MS = 60 * 60 * 1000;

export class DeliveryService {
  readonly registry: TargetRegistry;
  private readonly matcher: EventMatcher;
  private readonly delivery: EventDelivery;
  private readonly channels = new ChannelPool();
  private closed = false;
  private timer?: NodeJS.Timeout;
  private matching?: Promise<void>;
  private readonly workers: Promise<void>[] = [];
  private wakers: (() => void)[] = [];
  private readonly matchedListeners: (() => void)[] = [];
  private lastPrune = 0;

  constructor(private readonly sources: DeliveryServiceSources, private readonly settings: DeliveryServiceSettings) {
    this.registry = new TargetRegistry({ storages: sources.storages, model: sources.model, selfOrigins: settings.selfOrigins, log: sources.log });
    this.matcher = new EventMatcher(sources.db, this.registry, sources.storages, sources.access);
    this.delivery = new EventDelivery(sources.db, this.registry, this.channels, sources.storages, {
      owner: randomUUID(), baseUrl: settings.baseUrl, retry: retrySchedule(settings.retry), leaseMs: settings.leaseMs ?? 60_000,
    }, sources.hooks, sources.log);
  }

  async start(): Promise<void> {
    await this.registry.refresh(this.sources.db);
    this.timer = setInterval(() => void this.match(), this.settings.intervalMs);
    this.timer.unref();
    for (let i = 0; i < this.settings.workers; i++) this.workers.push(this.work());
  }

  /** Matches what the feed has after the matcher's cursor, then wakes the workers. */
  match(): Promise<void> {
    this.matching ??= this.matchAll().finally(() => {
      this.matching = undefined;
    });
    return this.matching;
  }

  private async matchAll(): Promise<void> {
    try {
      await this.registry.refresh(this.sources.db);
      while (!this.closed && await this.matcher.run() > 0) {
        this.wake();
        for (const listener of this.matchedListeners) listener();
      }
      this.channels.retain(new Set(this.registry.all().map((target) => target.key)));
      await this.prune();
    } catch (error) {
      this.report(error, 'matching changes to subscriptions failed; trying again');
    }
    this.wake();
  }

  /** Hears each batch of changes this process matched (websocket bindings look for their new events then). */
  onMatched(listener: () => void): void {
    this.matchedListeners.push(listener);
  }

  private wake(): void {
    const wakers = this.wakers;
    this.wakers = [];
    for (const wake of wakers) wake();
  }

  private async work(): Promise<void> {
    while (!this.closed) {
      let busy = false;
      try {
        busy = await this.delivery.deliverOne();
      } catch (error) {
        this.report(error, 'delivering events failed; trying again');
      }
      if (!busy && !this.closed) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.settings.intervalMs);
          timer.unref();
          this.wakers.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    }
  }

  private async prune(): Promise<void> {
    if (Date.now() - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = Date.now();
    await this.sources.db.query(sql`
      DELETE FROM flint_delivery_event e USING flint_delivery_target t
      WHERE e.target = t.target AND e.event_number <= t.delivered AND e.ts < now() - make_interval(days => ${this.settings.retentionDays}::int)`);
  }

  private report(error: unknown, message: string): void {
    if (!isOutageError(error)) this.sources.log.warn({ err: error }, message);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    this.wake();
    await this.matching;
    await Promise.all(this.workers);
    await this.channels.close();
  }
}
