/**
 * Keeps the change feed moving on every server process: moves committed changes from the outbox into
 * the feed every interval (one process does it at a time; the others find the lock taken and skip),
 * prunes the feed past its retention once an hour, and tells its listeners (the deliveries) after a
 * move brought something new. A failed move (the database away) is tried again at the next tick.
 */
import { isOutageError, type Database, type DatabaseLog } from '../db/index.js';
import { pruneChanges, sequenceChanges } from './change-sequencer.js';

const PRUNE_EVERY_MS = 60 * 60 * 1000;

export interface ChangeFeedSettings {
  intervalMs: number;
  retentionDays: number;
}

export class ChangeFeedService {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private lastPrune = 0;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly db: Database, private readonly settings: ChangeFeedSettings, private readonly log: DatabaseLog) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), this.settings.intervalMs);
    this.timer.unref();
  }

  /** Hears that new changes are in the feed. */
  onChanges(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** One move now (and a prune when due); overlapping ticks wait for the running one. */
  tick(): Promise<void> {
    this.running ??= this.move().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async move(): Promise<void> {
    try {
      const moved = await sequenceChanges(this.db);
      if (moved > 0) for (const listener of this.listeners) listener();
      if (Date.now() - this.lastPrune > PRUNE_EVERY_MS) {
        this.lastPrune = Date.now();
        await pruneChanges(this.db, this.settings.retentionDays);
      }
    } catch (error) {
      // An outage is logged once by the database itself.
      if (!isOutageError(error)) this.log.warn({ err: error }, 'the change feed could not move the outbox; trying again');
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
