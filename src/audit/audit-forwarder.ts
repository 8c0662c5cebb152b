/**
 * Forwarding to an external audit repository (FLINT_AUDIT_FORWARD_URL): every batch of events,
 * once stored, is also POSTed there as a FHIR transaction Bundle of creates. Sending never blocks
 * a request: batches wait in a bounded queue (the oldest dropped beyond it, logged) and one sender
 * posts them in order, retrying a failed post with exponential backoff (from `retryMs` up to
 * `maxRetryMs`). Delivery is at least once: a post that succeeded but whose answer was lost is
 * sent again.
 */
import type { Resource } from '../core/index.js';

export interface ForwardSettings {
  url: string;
  /** The Authorization header value, if the repository wants one. */
  authorization?: string;
  maxQueued: number;
  /** Events per Bundle. */
  batchSize: number;
  retryMs: number;
  maxRetryMs: number;
  timeoutMs: number;
}

export interface ForwardLog {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export const DEFAULT_FORWARD: Omit<ForwardSettings, 'url'> = { maxQueued: 100_000, batchSize: 500, retryMs: 500, maxRetryMs: 60_000, timeoutMs: 10_000 };

/** The transaction Bundle of a batch: a POST AuditEvent entry per event. */
export function forwardBundle(events: readonly Resource[]): Resource {
  return {
    resourceType: 'Bundle', type: 'transaction',
    entry: events.map((event) => ({ fullUrl: `urn:uuid:${event.id as string}`, resource: event, request: { method: 'POST', url: 'AuditEvent' } })),
  };
}

export class AuditForwarder {
  private queue: Resource[] = [];
  private sending = false;
  private closed = false;
  private wake?: () => void;

  constructor(private readonly settings: ForwardSettings, private readonly log: () => ForwardLog) {}

  enqueue(events: readonly Resource[]): void {
    if (this.closed || events.length === 0) return;
    this.queue.push(...events);
    if (this.queue.length > this.settings.maxQueued) {
      const dropped = this.queue.splice(0, this.queue.length - this.settings.maxQueued);
      this.log().error({ dropped: dropped.length }, 'audit forwarding queue full: the oldest events were dropped');
    }
    if (!this.sending) void this.run();
  }

  get pending(): number {
    return this.queue.length;
  }

  private async post(events: readonly Resource[]): Promise<void> {
    const headers: Record<string, string> = { 'content-type': 'application/fhir+json' };
    if (this.settings.authorization) headers.authorization = this.settings.authorization;
    const response = await fetch(this.settings.url, {
      method: 'POST', headers, body: JSON.stringify(forwardBundle(events)), signal: AbortSignal.timeout(this.settings.timeoutMs),
    });
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) throw new Error(`the audit repository answered ${response.status}`);
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      timer.unref();
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Sends batches until the queue is empty; a failed batch is retried with backoff. */
  private async run(): Promise<void> {
    this.sending = true;
    let delay = this.settings.retryMs;
    while (this.queue.length > 0 && !this.closed) {
      const batch = this.queue.slice(0, this.settings.batchSize);
      try {
        await this.post(batch);
        this.queue.splice(0, batch.length);
        delay = this.settings.retryMs;
      } catch (error) {
        this.log().warn({ err: error, events: batch.length, retryInMs: delay }, 'forwarding audit events failed; retrying');
        await this.pause(delay);
        delay = Math.min(delay * 2, this.settings.maxRetryMs);
      }
    }
    this.sending = false;
  }

  /** Stops sending; events not yet delivered are logged as lost. */
  close(): void {
    this.closed = true;
    this.wake?.();
    if (this.queue.length > 0) this.log().error({ events: this.queue.length }, 'audit events not forwarded at shutdown');
  }
}
