/**
 * Latency figures of a benchmark operation, and percentiles.
 */

export interface Figures {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
