/**
 * Latency figures and the printed table of a benchmark.
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

const fmt = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

/** A markdown table comparing the server with raw PostgreSQL, operation by operation. */
export function comparisonTable(server: Figures[], raw: Figures[]): string {
  const rows = ['| operation | server req/s | p50 ms | p99 ms | raw PostgreSQL ops/s | raw p50 ms | raw p99 ms | server/raw |', '|---|---|---|---|---|---|---|---|'];
  for (const figures of server) {
    const base = raw.find((candidate) => candidate.name === figures.name);
    const ratio = base ? `${fmt((figures.requestsPerSecond / base.requestsPerSecond) * 100, 0)}%` : '-';
    rows.push(`| ${figures.name} | ${fmt(figures.requestsPerSecond, 0)} | ${fmt(figures.p50)} | ${fmt(figures.p99)} | ${fmt(base?.requestsPerSecond ?? NaN, 0)} | ${fmt(base?.p50 ?? NaN)} | ${fmt(base?.p99 ?? NaN)} | ${ratio} |`);
  }
  return rows.join('\n');
}
