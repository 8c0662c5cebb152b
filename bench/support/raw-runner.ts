/**
 * Runs an operation against the database directly, `concurrency` at a time for `seconds`, and
 * measures throughput and latency: the raw PostgreSQL side of every comparison. Failed operations
 * (a serialization failure after the retries) are counted and left out, as wrk counts non-2xx.
 */
import { performance } from 'node:perf_hooks';
import { percentile, type Figures } from './latency.js';

export async function runRaw(name: string, concurrency: number, seconds: number, operation: (i: number) => Promise<unknown>): Promise<Figures> {
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  let counter = 0;
  let failures = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      const started = performance.now();
      try {
        await operation(counter++);
        latencies.push(performance.now() - started);
      } catch {
        failures++;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - started) / 1000;
  if (failures > 0) console.warn(`  ${name}: ${failures} operations failed (counted out of the throughput)`);
  latencies.sort((a, b) => a - b);
  return { name, requestsPerSecond: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}
