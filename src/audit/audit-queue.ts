/**
 * The queue of events that are not part of a write's transaction (reads, searches, failures,
 * sign-ins): recording is a push in memory, and a timer writes the queue every `flushMs` (one
 * multi-row INSERT per flush). A crash loses at most the events of that window; close() writes
 * what is left. When the database does not answer, the events stay queued (up to `maxQueued`,
 * the oldest dropped beyond, with a log line) and the next flush tries again.
 */
import type { Resource } from '../core/index.js';

export interface QueueSettings {
  flushMs: number;
  /** The most events kept while writes fail. */
  maxQueued: number;
}

export interface QueueLog {
  error(details: object, message: string): void;
}

export type EventSink = (events: Resource[]) => Promise<void>;

export class AuditQueue {
  private events: Resource[] = [];
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;

  constructor(private readonly sink: EventSink, private readonly settings: QueueSettings, private readonly log: () => QueueLog) {}

  push(event: Resource): void {
    this.events.push(event);
    if (this.events.length > this.settings.maxQueued) {
      const dropped = this.events.splice(0, this.events.length - this.settings.maxQueued);
      this.log().error({ dropped: dropped.length }, 'audit queue full: the oldest events were dropped');
    }
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.settings.flushMs);
      this.timer.unref();
    }
  }

  get size(): number {
    return this.events.length;
  }

  /** Writes every queued event now (waits for a flush in progress first). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.flushing) await this.flushing;
    if (this.events.length === 0) return;
    const batch = this.events;
    this.events = [];
    this.flushing = this.sink(batch).catch((error: unknown) => {
      this.log().error({ err: error, events: batch.length }, 'writing audit events failed; they stay queued');
      this.events = [...batch, ...this.events];
      if (!this.timer) {
        this.timer = setTimeout(() => void this.flush(), this.settings.flushMs);
        this.timer.unref();
      }
    }).finally(() => {
      this.flushing = undefined;
    });
    await this.flushing;
  }

  /** Stops the timer and writes what is queued (one last try). */
  async close(): Promise<void> {
    await this.flush();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
