/**
 * When to try a failed delivery again: exponential backoff with full jitter
 * (https://aws.amazon.com/builders-library/timeouts-retries-and-backoff-with-jitter/). The wait
 * before retry n is a random time between 0 and min(cap, base * 2^(n-1)): 1 s, 2 s, 4 s ... up to
 * one hour a wait. Retries stop once the sum of those ceilings would pass the horizon (24 hours by
 * default), so a receiver that is down for an afternoon still gets its notifications, and the sum
 * of the waits actually taken never exceeds the horizon.
 */

export interface RetryScheduleOptions {
  /** The ceiling of the first wait. Default 1 s. */
  baseMs?: number;
  /** The largest ceiling of one wait. Default 1 hour. */
  capMs?: number;
  /** No retry once the ceilings of the waits add up to more than this. Default 24 hours. */
  horizonMs?: number;
  /** A number in [0, 1); Math.random by default (tests pass their own). */
  random?: () => number;
}

export const DEFAULT_RETRY_BASE_MS = 1_000;
export const DEFAULT_RETRY_CAP_MS = 60 * 60 * 1_000;
export const DEFAULT_RETRY_HORIZON_MS = 24 * 60 * 60 * 1_000;

/** The wait before the next try, given how many tries failed so far, or undefined: give up. */
export type RetrySchedule = (attempt: number) => number | undefined;

function checkPositive(name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number of milliseconds, not ${value}`);
}

/** The ceiling of the wait after the given failed attempt (1 = the first try failed). */
function ceilingOf(attempt: number, baseMs: number, capMs: number): number {
  const doublings = Math.min(attempt - 1, 60);
  return Math.min(capMs, baseMs * 2 ** doublings);
}

/** A schedule with its own base, cap, horizon and random source. */
export function retrySchedule(options: RetryScheduleOptions = {}): RetrySchedule {
  const { baseMs = DEFAULT_RETRY_BASE_MS, capMs = DEFAULT_RETRY_CAP_MS, horizonMs = DEFAULT_RETRY_HORIZON_MS, random = Math.random } = options;
  checkPositive('baseMs', baseMs);
  checkPositive('capMs', capMs);
  checkPositive('horizonMs', horizonMs);
  return (attempt) => {
    if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be a whole number from 1, not ${attempt}`);
    let total = 0;
    for (let n = 1; n <= attempt; n++) {
      total += ceilingOf(n, baseMs, capMs);
      if (total > horizonMs) return undefined;
    }
    return Math.floor(random() * ceilingOf(attempt, baseMs, capMs));
  };
}

const defaultSchedule = retrySchedule();

/**
 * The wait before the next try with the default schedule (1 s doubling to 1 hour, 24 hours in
 * all), or undefined once retrying should stop. `attempt` counts the tries that failed so far.
 */
export function nextRetryDelayMs(attempt: number, options?: RetryScheduleOptions): number | undefined {
  return options === undefined ? defaultSchedule(attempt) : retrySchedule(options)(attempt);
}
