/**
 * `npm run bench -- validation [--patients 100] [--runs 5] [--seconds 3]`:
 *
 * 1. Validator throughput, in process: Synthea Patients and Observations validated per second
 *    against the base definitions, and made to claim the test guide's profiles (slicing,
 *    bindings to loaded value sets, fixed values, invariants) against those.
 * 2. A transaction Bundle of N Synthea patients posted to the server (in process, through the
 *    HTTP layer with inject) on a fresh database each time, after a warm-up transaction of the
 *    five patients (as on a running server, the definitions are compiled by then): full
 *    validation, structural checks only, and no validator at all, in rotating order. Prints the median time of each and the
 *    cost of validation. With NODE_OPTIONS=--expose-gc the heap is collected between posts.
 *
 * The database is the real PostgreSQL (BENCH_DATABASE_URL, else DATABASE_URL, else the local
 * server). The data is committed in bench/validation/synthea; nothing is read from elsewhere.
 */
import type { Bundle, Resource } from '../../src/core/index.js';
import { readConfig } from '../../src/config.js';
import { loadCoreModel } from '../../src/model/index.js';
import { createFlint } from '../../src/server.js';
import { FhirValidator } from '../../src/validation/index.js';
import { loadPackage } from '../../src/packages/index.js';
import { createBenchDatabase } from '../support/bench-database.js';
import { PACKAGES, profiledObservation, profiledPatient, resourcesOf, syntheaBundles, transactionOf } from './workload.js';
import { option } from '../support/cli-options.js';

/** The root client's secret of the benchmark's server, and the Basic header of its requests. */
const ROOT_SECRET = 'bench-root-secret';
const ROOT_BASIC = `Basic ${Buffer.from(`root:${ROOT_SECRET}`).toString('base64')}`;

type Variant = 'full' | 'structure' | 'none';

/** CPU seconds this process used (user and system): steadier than wall time on a shared machine. */
function cpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

/** Validates the resources round after round for about `seconds` of CPU time; resources per CPU second. */
function throughput(validator: FhirValidator, resources: Resource[], seconds: number): { perSecond: number; errors: number } {
  let errors = 0;
  for (let warmup = 0; warmup < 3; warmup++) {
    errors = 0;
    for (const resource of resources) errors += validator.walk(resource, { information: false }).issues.filter((issue) => issue.severity === 'error').length;
  }
  let count = 0;
  const start = cpuSeconds();
  while (cpuSeconds() - start < seconds) {
    for (const resource of resources) validator.walk(resource, { information: false });
    count += resources.length;
  }
  return { perSecond: count / (cpuSeconds() - start), errors };
}

async function validatorFigures(bundles: Bundle[], seconds: number): Promise<void> {
  const validator = new FhirValidator(await loadCoreModel());
  await loadPackage({ validator, sources: { folders: [PACKAGES] }, write: async () => {} }, `${PACKAGES}/example.fhir.clinic#2.0.0`);
  const patients = resourcesOf(bundles, 'Patient');
  const observations = resourcesOf(bundles, 'Observation');
  const rows: [string, Resource[]][] = [
    ['Patient, base definitions', patients],
    ['Patient, clinic-patient profile', patients.map(profiledPatient)],
    ['Observation, base definitions', observations],
    ['Observation, clinic-vital profile', observations.map(profiledObservation)],
  ];
  console.log('\nvalidator throughput (one process, per CPU second)');
  console.log('| resources | count | validated/s | errors found |');
  console.log('|---|---|---|---|');
  for (const [name, resources] of rows) {
    const { perSecond, errors } = throughput(validator, resources, seconds);
    console.log(`| ${name} | ${resources.length} | ${Math.round(perSecond).toLocaleString('en-US')} | ${errors} |`);
  }
}

interface Post {
  /** Wall-clock seconds of the whole post. */
  seconds: number;
  /** CPU seconds spent inside the validator. */
  validation: number;
}

async function postTransaction(bundle: string, warmup: string, variant: Variant): Promise<Post> {
  const database = await createBenchDatabase(`validation_${variant}`);
  const config = {
    ...readConfig({}), logLevel: 'silent', databaseUrl: database.url, bodyLimit: 1024 * 1024 * 1024,
    validation: variant === 'full' ? 'full' as const : 'structure' as const, rootClientSecret: ROOT_SECRET,
  };
  const flint = await createFlint(config);
  const validator = flint.ctx.validator;
  let validation = 0;
  flint.ctx.validator = {
    async validate(resource, request) {
      if (variant === 'none') return [];
      const start = cpuSeconds();
      const issues = await validator.validate(resource, request);
      validation += cpuSeconds() - start;
      return issues;
    },
  };
  try {
    // A running server has compiled the definitions it uses; a small transaction first does that here.
    await flint.app.inject({ method: 'POST', url: '/fhir', headers: { 'content-type': 'application/fhir+json', authorization: ROOT_BASIC }, payload: warmup });
    validation = 0;
    const start = process.hrtime.bigint();
    const response = await flint.app.inject({ method: 'POST', url: '/fhir', headers: { 'content-type': 'application/fhir+json', authorization: ROOT_BASIC }, payload: bundle });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (response.statusCode !== 200) throw new Error(`the transaction answered ${response.statusCode}: ${response.body.slice(0, 500)}`);
    return { seconds, validation };
  } finally {
    await flint.close();
    await database.drop();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function transactionFigures(bundles: Bundle[], patients: number, runs: number): Promise<void> {
  const bundle = transactionOf(bundles, patients);
  const text = JSON.stringify(bundle);
  const warmup = JSON.stringify(transactionOf(bundles, bundles.length));
  console.log(`\ntransaction of ${patients} patients: ${bundle.entry?.length} entries, ${(text.length / 1024 / 1024).toFixed(1)} MB`);
  const posts: Record<Variant, Post[]> = { full: [], structure: [], none: [] };
  const variants: Variant[] = ['none', 'structure', 'full'];
  for (let run = 0; run < runs; run++) {
    // Each run starts with another variant, so a slower machine late in the run affects all alike.
    for (let step = 0; step < variants.length; step++) {
      const variant = variants[(run + step) % variants.length];
      (globalThis as { gc?: () => void }).gc?.();
      posts[variant].push(await postTransaction(text, warmup, variant));
    }
  }
  const seconds = (variant: Variant) => posts[variant].map((post) => post.seconds);
  const none = median(seconds('none'));
  console.log('| validation | seconds (median) | fastest | all runs | validator CPU s (median) | vs no validator (medians) |');
  console.log('|---|---|---|---|---|---|');
  for (const variant of variants) {
    const value = median(seconds(variant));
    const cpu = median(posts[variant].map((post) => post.validation));
    console.log(`| ${variant} | ${value.toFixed(2)} | ${Math.min(...seconds(variant)).toFixed(2)} | ${seconds(variant).map((t) => t.toFixed(2)).join(', ')} | ${cpu.toFixed(2)} | +${((value / none - 1) * 100).toFixed(0)}% |`);
  }
  const fullCpu = median(posts.full.map((post) => post.validation));
  const fastestNone = Math.min(...seconds('none'));
  console.log(`full validation: ${fullCpu.toFixed(2)} CPU s inside the validator = ${(fullCpu / fastestNone * 100).toFixed(0)}% of the fastest post without validation (${fastestNone.toFixed(2)} s)`);
}

export async function run(args: string[]): Promise<void> {
  const bundles = syntheaBundles();
  await validatorFigures(bundles, option(args, '--seconds', 3));
  await transactionFigures(bundles, option(args, '--patients', 100), option(args, '--runs', 5));
}
