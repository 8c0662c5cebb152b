/**
 * Runs an operation against the database directly, `concurrency` at a time for `seconds`, and
 * measures throughput and latency: the raw PostgreSQL side of every comparison.
 */
import { performance } from 'node:perf_hooks';
import { percentile, type Figures } from './latency.js';

export async function runRaw(name: string, concurrency: number, seconds: number, operation: (i: number) => Promise<unknown>): Promise<Figures> {
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  let counter = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      const started = performance.now();
      await operation(counter++);
      latencies.push(performance.now() - started);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { name, requestsPerSecond: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}
