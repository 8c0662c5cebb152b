/**
 * The audit log the engine calls (EngineAudit): each request is recorded once it answered or
 * failed, queued (audit-queue.ts); each successful write is recorded in its own transaction
 * (audit-store.ts), and its events are forwarded once that transaction committed. Requests without
 * a caller are the server's own work (bootstrap, sessions, records an operation writes under the
 * operation's event) and are not recorded; nor is the CapabilityStatement, nor a path that names
 * no interaction. See docs/audit.md.
 */
import type { Resource } from '../core/index.js';
import { parseRoute, type EngineAudit, type EngineContext, type FhirRequest, type FhirResponse, type Route, type WritePlan } from '../engine/index.js';
import type { ResourceChange, WriteHook, WriteTx } from '../storage/index.js';
import { isReadSubtype } from './audit-codes.js';
import { restEvent } from './audit-event.js';
import { AuditForwarder, DEFAULT_FORWARD, type ForwardSettings } from './audit-forwarder.js';
import { AuditQueue } from './audit-queue.js';
import { storeEvents } from './audit-store.js';
import { ImmutableAuditHook } from './immutable-audit-hook.js';
import { interactionFacts } from './interaction-facts.js';
import { writeFacts } from './write-facts.js';

export interface AuditSettings {
  /** FLINT_AUDIT_READS: record reads, searches and history (their refusals are recorded whatever it says). */
  reads: boolean;
  /** FLINT_AUDIT_FLUSH_MS: the most time a queued event waits before it is written. */
  flushMs: number;
  /** FLINT_AUDIT_FORWARD_URL and FLINT_AUDIT_FORWARD_AUTH. */
  forward?: Pick<ForwardSettings, 'url' | 'authorization'> & Partial<ForwardSettings>;
  /** The most events kept in memory while the database does not answer. */
  maxQueued?: number;
}

const WRITES = new Set<Route['interaction']>(['create', 'update', 'conditional-update', 'patch', 'conditional-patch', 'delete', 'conditional-delete']);

function routeOf(request: FhirRequest): Route | undefined {
  try {
    return parseRoute(request.method, request.path);
  } catch {
    return undefined;
  }
}

type AuditContext = Pick<EngineContext, 'db' | 'storages' | 'model' | 'log'>;

export class AuditLog implements EngineAudit {
  private readonly queue: AuditQueue;
  private readonly forwarder?: AuditForwarder;
  /** The events each open write transaction stored, by its change list, forwarded after commit. */
  private readonly committing = new WeakMap<readonly ResourceChange[], Resource[]>();
  /** Forwards the events of committed writes (the engine hands afterCommit the transaction's change list). */
  readonly hook: WriteHook;

  constructor(private readonly ctx: AuditContext, private readonly settings: AuditSettings) {
    const forward = settings.forward;
    this.forwarder = forward ? new AuditForwarder({ ...DEFAULT_FORWARD, ...forward }, () => ctx.log) : undefined;
    this.queue = new AuditQueue((events) => this.store(events), { flushMs: settings.flushMs, maxQueued: settings.maxQueued ?? 100_000 }, () => ctx.log);
    this.hook = {
      afterCommit: (changes) => {
        const events = this.committing.get(changes);
        if (events) this.forwarder?.enqueue(events);
      },
    };
  }

  private async store(events: Resource[]): Promise<void> {
    if (!await storeEvents(this.ctx.db, this.ctx.storages, events)) {
      this.ctx.log.warn({ events: events.length }, 'no storage serves AuditEvent: audit events dropped');
      return;
    }
    this.forwarder?.enqueue(events);
  }

  async request(request: FhirRequest, run: () => Promise<FhirResponse>): Promise<FhirResponse> {
    if (!request.caller) return run();
    let response: FhirResponse;
    try {
      response = await run();
    } catch (error) {
      this.answered(request, { error });
      throw error;
    }
    this.answered(request, { response });
    return response;
  }

  /** Queues the event of an answered request, unless a write recorded it or the settings leave it out. */
  private answered(request: FhirRequest, outcome: { response: FhirResponse } | { error: unknown }): void {
    const route = routeOf(request);
    if (!route || route.interaction === 'capabilities') return;
    if ('response' in outcome && WRITES.has(route.interaction)) return;
    const facts = interactionFacts(this.ctx.model, request, route, outcome);
    if (!this.settings.reads && isReadSubtype(facts.subtype) && facts.status !== 401 && facts.status !== 403) return;
    this.queue.push(restEvent(facts));
  }

  async write(tx: WriteTx, plan: WritePlan, response: FhirResponse, changes: readonly ResourceChange[]): Promise<void> {
    if (!plan.request.caller) return;
    const events = writeFacts(this.ctx.model, plan, response, changes).map(restEvent);
    // Nothing was written (an If-None-Exist match, a delete of nothing): no transaction to join.
    if (changes.length === 0) {
      for (const event of events) this.queue.push(event);
      return;
    }
    await storeEvents(tx, this.ctx.storages, events);
    if (this.forwarder) this.committing.set(tx.changes, [...(this.committing.get(tx.changes) ?? []), ...events]);
  }

  record(event: Resource): void {
    this.queue.push(event);
  }

  /** Writes the queued events now (tests, shutdown). */
  flush(): Promise<void> {
    return this.queue.flush();
  }

  /** Writes what is queued, gives forwarding a moment to deliver, then stops it. */
  async close(forwardWaitMs = 2000): Promise<void> {
    await this.queue.close();
    const deadline = Date.now() + forwardWaitMs;
    while (this.forwarder && this.forwarder.pending > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    this.forwarder?.close();
  }
}

/**
 * Installs the audit log in the engine: the append-only rule always, and, unless the settings are
 * absent (FLINT_AUDIT=off), the log itself and its forwarding hook.
 */
export function installAudit(ctx: EngineContext, settings: AuditSettings | undefined): AuditLog | undefined {
  ctx.hooks.push(new ImmutableAuditHook());
  if (!settings) return undefined;
  const auditLog = new AuditLog(ctx, settings);
  ctx.audit = auditLog;
  ctx.hooks.push(auditLog.hook);
  return auditLog;
}
