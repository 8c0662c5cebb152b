/**
 * The concurrency limit of $sql (FLINT_SQL_MAX_CONCURRENT): at most that many statements run at
 * once; a request beyond it waits in line up to FLINT_SQL_QUEUE_WAIT_MS for a place, then answers
 * 503 with Retry-After. Long statements thus never crowd out each other's callers indefinitely, and
 * the waiting line is bounded by the wait, not by memory.
 */
import { sqlErrors } from './sql-errors.js';

export class SqlGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly maxConcurrent: number, private readonly maxWaitMs: number) {}

  /** Runs fn when a place is free; 503 sql.busy when none frees up within the wait. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.maxConcurrent) await this.place();
    else this.running += 1;
    try {
      return await fn();
    } finally {
      this.leave();
    }
  }

  /** Waits for a place handed over by a leaving statement (the count stays: the place passes on). */
  private place(): Promise<void> {
    return new Promise((resolve, reject) => {
      const entry = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(entry), 1);
        reject(sqlErrors['sql.busy']({ detail: `${this.maxConcurrent} $sql statements are running already and none ended within ${this.maxWaitMs} ms; retry later` }, { headers: { 'retry-after': '1' } }));
      }, this.maxWaitMs);
      this.waiting.push(entry);
    });
  }

  private leave(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running -= 1;
  }
}
