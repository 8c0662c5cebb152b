/**
 * The retry schedule: full jitter under a ceiling that doubles from the base to the cap, and no
 * retry once the ceilings add up past the horizon. The random source is injected, so every wait
 * is known.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextRetryDelayMs, retrySchedule } from '../../../src/subscriptions/channels/index.js';

const SECOND = 1000;
const HOUR = 3600 * SECOND;

describe('retry schedule', () => {
  it('the ceiling doubles from 1 s and stops at 1 hour (random just below 1 gives the ceiling)', () => {
    const schedule = retrySchedule({ random: () => 0.999999999 });
    const ceilings = [1, 2, 3, 4, 5, 11, 12, 13, 20].map((attempt) => Math.round((schedule(attempt) as number) / SECOND));
    assert.deepEqual(ceilings, [1, 2, 4, 8, 16, 1024, 2048, 3600, 3600]);
  });

  it('the wait is the random fraction of the ceiling (full jitter)', () => {
    assert.equal(retrySchedule({ random: () => 0 })(5), 0);
    assert.equal(retrySchedule({ random: () => 0.5 })(5), 8 * SECOND);
    assert.equal(retrySchedule({ random: () => 0.25 })(1), 250);
  });

  it('gives up once the ceilings pass 24 hours: the last retry is 34, and the waits never add up to more', () => {
    const schedule = retrySchedule({ random: () => 0.999999999 });
    // ceilings 1 s .. 2048 s (12 retries, 4095 s), then 22 of one hour: 83,295 s <= 86,400 s; a 23rd passes it
    assert.notEqual(schedule(34), undefined);
    assert.equal(schedule(35), undefined);
    assert.equal(schedule(100), undefined);
    let total = 0;
    for (let attempt = 1; schedule(attempt) !== undefined; attempt++) total += schedule(attempt) as number;
    assert.ok(total <= 24 * HOUR && total > 23 * HOUR, `total ${total}`);
  });

  it('the default export follows the same schedule, with Math.random', () => {
    for (const attempt of [1, 6, 20, 34]) {
      const wait = nextRetryDelayMs(attempt) as number;
      assert.ok(wait >= 0 && wait < Math.min(HOUR, SECOND * 2 ** (attempt - 1)), `attempt ${attempt}: ${wait}`);
    }
    assert.equal(nextRetryDelayMs(35), undefined);
  });

  it('takes its base, cap and horizon from the options', () => {
    const options = { baseMs: 100, capMs: 400, horizonMs: 1500, random: () => 0.5 };
    const waits = [1, 2, 3, 4, 5, 6, 7].map((attempt) => nextRetryDelayMs(attempt, options));
    // ceilings 100, 200, 400, 400, 400 (total 1500); the next passes the horizon
    assert.deepEqual(waits, [50, 100, 200, 200, 200, undefined, undefined]);
  });

  it('refuses an attempt below 1 and options that are not positive', () => {
    assert.throws(() => nextRetryDelayMs(0), RangeError);
    assert.throws(() => nextRetryDelayMs(1.5), RangeError);
    assert.throws(() => retrySchedule({ horizonMs: 0 }), RangeError);
    assert.throws(() => retrySchedule({ baseMs: -1 }), RangeError);
  });
});
