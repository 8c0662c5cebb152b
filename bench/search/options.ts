/**
 * The command line of `npm run bench -- search`:
 *   --patients 1000,10000   scales to load and query (about 50 resources per patient)
 *   --readings 1000000      also load one monitored patient with this many device readings
 *                           (device-readings.ts), for the latest-reading queries
 *   --reuse <db>[,<db>]     query databases a previous run kept instead of loading (scales from them)
 *   --keep                  keep the loaded databases (their names are printed) for --reuse
 *   --repeat 200            measured runs per query, after --warmup 20
 *   --queries 1,3           only these queries (1-based, in the order of the report)
 *   --seconds 10            duration of each create-throughput run (0: skip the write benchmark)
 *   --connections 16        autocannon connections for the write benchmark
 *   --seed 1 --port 18383   data seed; port of the server process (the write benchmark uses the
 *                           next three)
 *   --explain               print each query's SQL and plan from the server ($explain) and the
 *                           hand-written SQL's plan
 */

export interface SearchBenchOptions {
  patients: number[];
  readings: number;
  reuse: string[];
  keep: boolean;
  repeat: number;
  warmup: number;
  queries?: number[];
  seconds: number;
  connections: number;
  seed: number;
  port: number;
  explain: boolean;
}

const FLAGS = new Set(['--keep', '--explain']);
const VALUED = new Set(['--patients', '--readings', '--reuse', '--repeat', '--warmup', '--queries', '--seconds', '--connections', '--seed', '--port']);

function numbers(value: string, name: string): number[] {
  const list = value.split(',').map((item) => Number(item.replace(/_/g, '')));
  if (list.some((item) => !Number.isInteger(item) || item < 0)) throw new Error(`${name} takes whole numbers, not "${value}"`);
  return list;
}

export function parseOptions(args: string[]): SearchBenchOptions {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    if (FLAGS.has(args[i])) flags.add(args[i]);
    else if (VALUED.has(args[i]) && i + 1 < args.length) values.set(args[i], args[++i]);
    else throw new Error(`unknown or incomplete option ${args[i]}; see bench/search/options.ts`);
  }
  const number = (name: string, fallback: number) => (values.has(name) ? numbers(values.get(name) as string, name)[0] : fallback);
  const repeat = number('--repeat', 200);
  const patients = numbers(values.get('--patients') ?? '1000,10000', '--patients').sort((a, b) => a - b);
  if (patients.some((count) => count < 1)) throw new Error('--patients takes at least one patient per scale');
  return {
    patients,
    readings: number('--readings', 0),
    reuse: (values.get('--reuse') ?? '').split(',').filter(Boolean),
    keep: flags.has('--keep'),
    repeat,
    warmup: number('--warmup', Math.min(20, Math.ceil(repeat / 10))),
    queries: values.has('--queries') ? numbers(values.get('--queries') as string, '--queries') : undefined,
    seconds: number('--seconds', 10),
    connections: number('--connections', 16),
    seed: number('--seed', 1),
    port: number('--port', 18383),
    explain: flags.has('--explain'),
  };
}
