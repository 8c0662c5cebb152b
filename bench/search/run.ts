/**
 * `npm run bench -- search [--patients 1000,10000] [--repeat 200] [--keep | --reuse <db>] ...`
 * (options in bench/search/options.ts): FHIR search on the real PostgreSQL at several scales.
 * For each scale, deterministic realistic data (bench/search/generator.ts, ~50 resources per
 * patient) is loaded straight into Flint's tables; the server runs as its own process and each
 * query is sent over HTTP one at a time, with values sampled from the data, alternating with
 * hand-written SQL that returns the same resources. Prints p50/p99, result counts and server/raw per
 * scale, the growth of p50 across scales, and create throughput with and without search indexes.
 */
import pg from 'pg';
import { HttpGetter } from './http-get.js';
import { explainQuery } from './explain-query.js';
import { parseOptions, type SearchBenchOptions } from './options.js';
import { QUERIES } from './queries.js';
import { LOADED_TYPES } from './loader.js';
import { measureQuery, type QueryFigures } from './query-runner.js';
import { Sampler } from './query-samples.js';
import { growthTable, loadSummary, queryList, scaleTable, writeTable } from './report.js';
import { loadedDatabase, reusedDatabase, type SearchDatabase, searchIndexCounts, startServer } from './search-database.js';
import { compareCreates } from './write-throughput.js';

async function measureScale(database: SearchDatabase, options: SearchBenchOptions): Promise<QueryFigures[]> {
  const server = await startServer({ DATABASE_URL: database.url, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info', FLINT_DB_POOL_SIZE: '4' }, options.port);
  const client = new pg.Client({ connectionString: database.url });
  const http = new HttpGetter(server.baseUrl);
  const fhirBase = `${server.baseUrl}/fhir/`;
  await client.connect();
  try {
    // As the server's search transactions run (src/search/execute-search.ts).
    await client.query('SET jit = off');
    // A reused database may have been given new indexes by this server's start: their statistics.
    if (!database.load) await client.query(`ANALYZE ${LOADED_TYPES.map((type) => type.toLowerCase()).join(', ')}`);
    const indexes = await searchIndexCounts(client, ['patient', 'encounter', 'observation', 'condition', 'medicationrequest']);
    console.log(`  search indexes (besides id, txid, ts): ${Object.entries(indexes).map(([table, n]) => `${table} ${n}`).join(', ')}`);
    const figures: QueryFigures[] = [];
    for (const [k, query] of QUERIES.entries()) {
      if (options.queries && !options.queries.includes(k + 1)) continue;
      if (options.explain) console.log(await explainQuery(http, client, query.build(new Sampler(database, 1000 + k), fhirBase)));
      const measured = await measureQuery(query, k + 1, new Sampler(database, k + 1), { http, client, warmup: options.warmup, repeat: options.repeat, fhirBase });
      figures.push(measured);
      console.log(measured.failure
        ? `  FAILED ${k + 1}. ${query.name}: ${measured.failure}`
        : `  ${k + 1}. ${query.name}: p50 ${measured.p50.toFixed(2)} ms, raw ${measured.rawP50.toFixed(2)} ms${measured.mismatches ? `, ids differ in ${measured.mismatches} runs` : ''}`);
    }
    return figures;
  } finally {
    http.close();
    await client.end();
    await server.stop();
  }
}

async function openDatabase(target: { reuse?: string; patients?: number }, options: SearchBenchOptions): Promise<SearchDatabase> {
  if (target.reuse) return reusedDatabase(target.reuse);
  const database = await loadedDatabase(target.patients as number, options.seed, options.readings, options.keep, options.port);
  if (options.keep) console.log(`  kept as ${database.name} (query it again with --reuse ${database.name})`);
  return database;
}

export async function run(args: string[]): Promise<void> {
  const options = parseOptions(args);
  const command = `npm run bench -- search ${args.join(' ')}`.trim();
  console.log(command);
  const targets: { reuse?: string; patients?: number }[] = options.reuse.length > 0
    ? options.reuse.map((reuse) => ({ reuse })) : options.patients.map((patients) => ({ patients }));
  const scales: { patients: number; figures: QueryFigures[] }[] = [];
  for (const target of targets) {
    console.log(`\n## ${target.reuse ? `database ${target.reuse}` : `${target.patients?.toLocaleString('en')} patients`}${options.readings > 0 && !target.reuse ? `, ${options.readings.toLocaleString('en')} device readings` : ''}`);
    const database = await openDatabase(target, options);
    try {
      if (database.load) console.log(loadSummary(database.patients, database.load));
      const figures = await measureScale(database, options);
      scales.push({ patients: database.patients, figures });
      console.log(`\n### ${database.patients.toLocaleString('en')} patients, ${options.repeat} runs per query, one at a time\n\n${scaleTable(figures)}`);
    } finally {
      await database.release();
    }
  }
  scales.sort((a, b) => a.patients - b.patients);
  if (scales.length > 0) console.log(`\nQueries:\n${queryList(scales[0].figures)}`);
  if (scales.length > 1) console.log(`\n### Growth from ${scales[0].patients.toLocaleString('en')} to ${scales[scales.length - 1].patients.toLocaleString('en')} patients (p50)\n\n${growthTable(scales)}`);
  if (options.seconds > 0) {
    const settings = { seconds: options.seconds, connections: options.connections, port: options.port, seed: options.seed };
    const figures = await compareCreates(settings);
    console.log(`\n### Create throughput: POST /fhir/Observation, ${options.connections} connections, ${options.seconds} s each, in alternating 2 s slices\n\n${writeTable(figures)}`);
  }
  console.log(`\n${command}`);
}
