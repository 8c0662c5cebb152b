/**
 * The sockets bound to websocket Subscriptions on this process, and what they are sent
 * (https://hl7.org/fhir/uv/subscriptions-backport/channels.html#websockets): a handshake Bundle per
 * Subscription when a socket binds, then every event of the Subscription in eventNumber order (as
 * the matcher numbered them in flint_delivery_event, so any process's socket sees the same
 * numbers), then heartbeats when nothing was sent for the heartbeat period. A socket binds after
 * an eventNumber (resume: it first gets every stored event after it) or at the current count (only
 * new events). New events are found on a timer, and at once when this process's matcher numbered
 * some (wake). Each binding sends one notification at a time; the furthest number sent moves the
 * target's delivered mark, so that old events are pruned as for the other channels. A Subscription
 * that stops taking events (off, error, deleted, no longer websocket) loses its bindings, and a
 * socket left without any is closed (1000, with the reason).
 */
import type { Database, DatabaseLog } from '../db/index.js';
import { sql } from '../sql/index.js';
import type { StorageResolver } from '../storage/index.js';
import type { DeliveryTarget } from './delivery-target.js';
import type { TargetStateHooks } from './event-delivery.js';
import { eventNotification, handshake, heartbeat, notificationEvents, storedEvents, type TargetStatus } from './target-notifications.js';
import type { TargetRegistry } from './target-registry.js';

/** What the bindings need of a socket (the `ws` package's WebSocket has it). */
export interface BindableSocket {
  send(text: string): void;
  close(code: number, reason: string): void;
  /** 1 while open (WebSocket.OPEN). */
  readonly readyState: number;
  /** Bytes queued and not yet sent: a slow reader gets more once it has taken these. */
  readonly bufferedAmount: number;
}

export interface WebSocketBindingSources {
  db: Database;
  storages: StorageResolver;
  registry: TargetRegistry;
  hooks: Pick<TargetStateHooks, 'activated'>;
  log: DatabaseLog;
}

export interface WebSocketBindingSettings {
  baseUrl: string;
  /** How often bound sockets look for new events and heartbeats are due. */
  intervalMs: number;
}

interface Binding {
  socket: BindableSocket;
  key: string;
  target: DeliveryTarget;
  /** The last eventNumber sent. */
  sent: number;
  lastSentAt: number;
}

const OPEN = 1;
const NORMAL_CLOSURE = 1000;
/** Past this much unsent, a socket gets nothing more until the next look. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

export class WebSocketBindings {
  private readonly bindings = new Set<Binding>();
  private timer?: NodeJS.Timeout;
  private polling?: Promise<void>;
  private again = false;

  constructor(private readonly sources: WebSocketBindingSources, private readonly settings: WebSocketBindingSettings) {}

  start(): void {
    this.timer = setInterval(() => this.wake(), this.settings.intervalMs);
    this.timer.unref();
  }

  /**
   * Binds the socket to the targets: sends each one's handshake, then (on the next look) the
   * events after `after` when given, else only events numbered from now on.
   */
  async bind(socket: BindableSocket, targets: readonly DeliveryTarget[], after?: number): Promise<void> {
    const counts = await this.counts(targets.map((target) => target.key));
    for (const target of targets) {
      const events = counts.get(target.key) ?? 0;
      this.send(socket, handshake(target, { status: target.status, eventsSinceStart: events }, this.settings.baseUrl));
      if (target.status === 'requested') await this.activate(target);
      const sent = after === undefined ? events : Math.min(after, events);
      this.unbind(socket, target.key);
      this.bindings.add({ socket, key: target.key, target: { ...target, status: 'active' }, sent, lastSentAt: Date.now() });
    }
    this.wake();
  }

  /** Unbinds the socket from one target, or from all. */
  unbind(socket: BindableSocket, key?: string): void {
    for (const binding of this.bindings) {
      if (binding.socket === socket && (key === undefined || binding.key === key)) this.bindings.delete(binding);
    }
  }

  /** Looks for new events now (once more after the look in progress, when one is). */
  wake(): void {
    if (this.polling) {
      this.again = true;
      return;
    }
    this.polling = this.poll().finally(() => {
      this.polling = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async poll(): Promise<void> {
    if (this.bindings.size === 0) return;
    try {
      await this.sources.registry.refresh(this.sources.db);
      this.dropEnded();
      const counts = await this.counts([...new Set([...this.bindings].map((binding) => binding.key))]);
      for (const binding of this.bindings) {
        if (binding.socket.readyState !== OPEN) this.bindings.delete(binding);
        else await this.serve(binding, counts.get(binding.key) ?? 0);
      }
    } catch (error) {
      this.sources.log.warn({ err: error }, 'sending events to websocket subscribers failed; trying again');
    }
  }

  /** Unbinds the Subscriptions that take no events any more; closes the sockets left with none. */
  private dropEnded(): void {
    const takesEvents = (key: string) => {
      const target = this.sources.registry.get(key);
      return target !== undefined && target.channel === undefined;
    };
    const ended = [...this.bindings].filter((binding) => !takesEvents(binding.key));
    for (const binding of ended) this.bindings.delete(binding);
    for (const binding of ended) {
      if (![...this.bindings].some((other) => other.socket === binding.socket) && binding.socket.readyState === OPEN) {
        binding.socket.close(NORMAL_CLOSURE, `${binding.key} no longer takes events`);
      }
    }
  }

  /** Sends the binding's events up to `events`, or a heartbeat when one is due. */
  private async serve(binding: Binding, events: number): Promise<void> {
    const target = { ...(this.sources.registry.get(binding.key) ?? binding.target), status: 'active' as const };
    binding.target = target;
    const status: TargetStatus = { status: 'active', eventsSinceStart: events };
    while (binding.sent < events && binding.socket.readyState === OPEN && binding.socket.bufferedAmount < MAX_BUFFERED_BYTES) {
      const to = Math.min(events, binding.sent + target.maxCount);
      // Events pruned after the retention period are skipped.
      const stored = await storedEvents(this.sources.db, binding.key, binding.sent + 1, to);
      const notified = await notificationEvents(this.sources.db, this.sources.storages, stored, target.content === 'full-resource');
      if (notified.length > 0) this.send(binding.socket, eventNotification(target, status, this.settings.baseUrl, notified));
      binding.sent = to;
      binding.lastSentAt = Date.now();
      await this.markDelivered(binding.key, to);
    }
    if (target.heartbeatMs && Date.now() - binding.lastSentAt >= target.heartbeatMs) {
      this.send(binding.socket, heartbeat(target, status, this.settings.baseUrl));
      binding.lastSentAt = Date.now();
    }
  }

  private send(socket: BindableSocket, bundle: unknown): void {
    if (socket.readyState === OPEN) socket.send(JSON.stringify(bundle));
  }

  private async counts(keys: string[]): Promise<Map<string, number>> {
    if (keys.length === 0) return new Map();
    const { rows } = await this.sources.db.query<{ target: string; events: string }>(sql`
      SELECT target, events FROM flint_delivery_target WHERE target = ANY(${keys}::text[])`);
    return new Map(rows.map((row) => [row.target, Number(row.events)]));
  }

  private async markDelivered(key: string, upTo: number): Promise<void> {
    await this.sources.db.query(sql`
      UPDATE flint_delivery_target SET delivered = greatest(delivered, ${upTo}::bigint), last_sent_at = now() WHERE target = ${key}`);
  }

  private async activate(target: DeliveryTarget): Promise<void> {
    await this.sources.hooks.activated(target).catch((error: unknown) =>
      this.sources.log.warn({ err: error, target: target.key }, 'a websocket bound but the Subscription could not be marked active'));
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.bindings.clear();
    await this.polling;
  }
}
