/**
 * The rate limit of failed sign-ins (OWASP Authentication Cheat Sheet, "Protect against automated
 * attacks"): failures are counted per account (the login as typed, without case) and per client
 * address in a sliding window; at the limit, further attempts are refused until the oldest failure
 * leaves the window, whatever the password. Counted in the memory of the process.
 */

export interface LimiterSettings {
  /** Failures allowed in the window. */
  maxFailures: number;
  windowMs: number;
}

export const DEFAULT_SIGN_IN_LIMIT: LimiterSettings = { maxFailures: 5, windowMs: 15 * 60 * 1000 };

const MAX_KEYS = 100_000;

export class SignInLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly settings: LimiterSettings = DEFAULT_SIGN_IN_LIMIT, private readonly now: () => number = Date.now) {}

  private recent(key: string): number[] {
    const since = this.now() - this.settings.windowMs;
    const times = (this.failures.get(key) ?? []).filter((time) => time > since);
    if (times.length === 0) this.failures.delete(key);
    else this.failures.set(key, times);
    return times;
  }

  private keys(login: string, address: string): string[] {
    return [`account:${login.toLowerCase()}`, `address:${address}`];
  }

  /** Seconds until another attempt is allowed, or 0 when one is allowed now. */
  retryAfter(login: string, address: string): number {
    let wait = 0;
    for (const key of this.keys(login, address)) {
      const times = this.recent(key);
      if (times.length >= this.settings.maxFailures) {
        const ms = times[times.length - this.settings.maxFailures] + this.settings.windowMs - this.now();
        wait = Math.max(wait, Math.ceil(ms / 1000));
      }
    }
    return wait;
  }

  /** Counts a failure; answers the failures of the account in the window. */
  fail(login: string, address: string): number {
    if (this.failures.size > MAX_KEYS) this.failures.clear();
    const counts = this.keys(login, address).map((key) => {
      const times = [...this.recent(key), this.now()];
      this.failures.set(key, times);
      return times.length;
    });
    return counts[0];
  }

  /** A success clears the account's failures (not the address's). */
  succeed(login: string): void {
    this.failures.delete(`account:${login.toLowerCase()}`);
  }
}
