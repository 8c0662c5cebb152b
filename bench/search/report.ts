/**
 * The search benchmark's printed results: the load, a table per scale (latency over HTTP against
 * the hand-written SQL, result counts, whether the ids agreed), the growth of each query's p50 from
 * the smallest scale to the largest, and the create throughput with and without search indexes.
 */
import type { LoadFigures } from './loader.js';
import type { QueryFigures } from './query-runner.js';
import type { WriteFigures } from './write-throughput.js';

const fmt = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : '-');
const count = (value: number) => value.toLocaleString('en');

export function loadSummary(patients: number, load: LoadFigures): string {
  const perType = Object.entries(load.byType).map(([type, rows]) => `${type} ${count(rows)}`).join(', ');
  return [
    `  loaded ${count(load.rows)} resources for ${count(patients)} patients (${perType})`,
    `  insert ${fmt(load.insertSeconds, 1)} s (${count(Math.round(load.rows / load.insertSeconds))} rows/s); ` +
      `${load.indexes} indexes rebuilt in ${fmt(load.indexSeconds, 1)} s; VACUUM ANALYZE ${fmt(load.vacuumSeconds, 1)} s; ` +
      `total ${fmt(load.insertSeconds + load.indexSeconds + load.vacuumSeconds, 1)} s ` +
      `(${count(Math.round(load.rows / (load.insertSeconds + load.indexSeconds + load.vacuumSeconds)))} rows/s)`,
  ].join('\n');
}

function results(figures: QueryFigures): string {
  if (!Number.isFinite(figures.matches)) return '-';
  let text = String(figures.matches);
  if (figures.included > 0) text += ` + ${figures.included} included`;
  if (!figures.query.selective && figures.total !== undefined) text += ` (total ${count(figures.total)})`;
  return text;
}

function check(figures: QueryFigures): string {
  if (figures.failure) return 'FAILED';
  return figures.mismatches === 0 ? 'same ids' : `${figures.mismatches} differ`;
}

export function scaleTable(figures: QueryFigures[]): string {
  const rows = ['| query | p50 ms | p99 ms | results | raw p50 ms | server/raw p50 | check |', '|---|---|---|---|---|---|---|'];
  for (const item of figures) {
    rows.push(`| ${item.number}. ${item.query.name} | ${fmt(item.p50)} | ${fmt(item.p99)} | ${results(item)} | ${fmt(item.rawP50)} | ` +
      `${item.failure ? '-' : `${fmt(item.p50 / item.rawP50, 1)}x`} | ${check(item)} |`);
  }
  const notes = figures.flatMap((item) => [
    ...(item.failure ? [`- ${item.number}. ${item.query.name}: ${item.failure}`] : []),
    ...(item.mismatchExample ? [`- ${item.number}. ${item.query.name}: ids differ in ${item.mismatches} runs, e.g. ${item.mismatchExample}`] : []),
  ]);
  return [rows.join('\n'), ...(notes.length > 0 ? ['', ...notes] : [])].join('\n');
}

export function queryList(figures: QueryFigures[]): string {
  return figures.map((item) => `${item.number}. ${item.query.name}: \`${item.query.template}\``).join('\n');
}

export function growthTable(scales: { patients: number; figures: QueryFigures[] }[]): string {
  const first = scales[0];
  const last = scales[scales.length - 1];
  const rows = [`| query | p50 ms at ${count(first.patients)} | p50 ms at ${count(last.patients)} | growth | raw growth |`, '|---|---|---|---|---|'];
  first.figures.forEach((small, k) => {
    const large = last.figures[k];
    rows.push(`| ${small.number}. ${small.query.name} | ${fmt(small.p50)} | ${fmt(large.p50)} | ${fmt(large.p50 / small.p50, 1)}x | ${fmt(large.rawP50 / small.rawP50, 1)}x |`);
  });
  return rows.join('\n');
}

/** The create figures: with the default indexes first, with none last. */
export function writeTable(figures: WriteFigures[]): string {
  const row = (item: WriteFigures) => `| ${item.name} | ${item.indexes} | ${fmt(item.requestsPerSecond, 0)} | ${fmt(item.p50)} | ${fmt(item.p99)} | ${item.failures} |`;
  const share = (item: WriteFigures) => fmt((item.requestsPerSecond / figures[figures.length - 1].requestsPerSecond) * 100, 0);
  return [
    '| run | search indexes on observation | req/s | p50 ms | p99 ms | failed |', '|---|---|---|---|---|---|',
    ...figures.map(row), '',
    ...figures.slice(0, -1).map((item) => `${item.name} / without search indexes: ${share(item)}%`),
    '(aim: with the default search indexes at least 80%)',
  ].join('\n');
}
