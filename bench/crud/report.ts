/**
 * The tables the CRUD benchmark prints: per round, the server (wrk) beside pgbench and the Node
 * driver doing the same row work; after several rounds, the range of each figure over the rounds.
 */
import type { Figures } from '../support/latency.js';

export interface OperationFigures {
  name: string;
  /** Resources written or read per request (10 for the transaction). */
  resources: number;
  server: Figures;
  /** The server process's CPU time (user + system) per request while wrk ran, in µs. */
  serverCpuUs: number;
  pgbench: Figures;
  node: Figures;
}

const fmt = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '-');
const ratio = (a: Figures, b: Figures) => a.requestsPerSecond / b.requestsPerSecond;

export function roundTable(rows: OperationFigures[]): string {
  const lines = [
    '| operation | server req/s | p50 ms | p99 ms | server CPU µs/req | pgbench tps | p50 ms | p99 ms | server/pgbench | Node pg ops/s | server/Node pg |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const row of rows) {
    const { server, pgbench, node } = row;
    lines.push(`| ${row.name} | ${fmt(server.requestsPerSecond)} | ${fmt(server.p50, 2)} | ${fmt(server.p99, 2)} | ${fmt(row.serverCpuUs)} | ${fmt(pgbench.requestsPerSecond)} | ${fmt(pgbench.p50, 2)} | ${fmt(pgbench.p99, 2)} | ${fmt(ratio(server, pgbench), 2)} | ${fmt(node.requestsPerSecond)} | ${fmt(ratio(server, node), 2)} |`);
  }
  return lines.join('\n');
}

function range(values: number[], digits: number): string {
  const low = Math.min(...values);
  const high = Math.max(...values);
  return low === high ? fmt(low, digits) : `${fmt(low, digits)}-${fmt(high, digits)}`;
}

export function rangeTable(rounds: OperationFigures[][]): string {
  const lines = [
    `| operation (${rounds.length} rounds) | server req/s | server resources/s | server p99 ms | server CPU µs/req | pgbench tps | server/pgbench | server/Node pg |`,
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const [index, first] of rounds[0].entries()) {
    const rows = rounds.map((round) => round[index]);
    lines.push(`| ${first.name} | ${range(rows.map((row) => row.server.requestsPerSecond), 0)} | ${range(rows.map((row) => row.server.requestsPerSecond * row.resources), 0)} | ${range(rows.map((row) => row.server.p99), 1)} | ${range(rows.map((row) => row.serverCpuUs), 0)} | ${range(rows.map((row) => row.pgbench.requestsPerSecond), 0)} | ${range(rows.map((row) => ratio(row.server, row.pgbench)), 2)} | ${range(rows.map((row) => ratio(row.server, row.node)), 2)} |`);
  }
  return lines.join('\n');
}
