/**
 * `npm run bench -- format [--seconds N]`: conversion speed FHIR -> Aidbox and Aidbox -> FHIR over
 * the 761 R4 examples (test/fixtures/fhir-r4-examples), in resources and megabytes per second,
 * against a plain deep copy of the same resources (structuredClone), the floor any conversion that
 * builds new objects pays. Once with the server's own bindings, once on the small examples only (a
 * typical request), once with every core extension definition bound as a first-class field.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { Resource } from '../../src/core/index.js';
import { FIRST_CLASS_FIELD_URL, toAidbox, toFhir } from '../../src/format/index.js';
import { loadCoreModel, type FhirModel, type StructureDefinition } from '../../src/model/index.js';

function examples(): Resource[] {
  const file = new URL('../../test/fixtures/fhir-r4-examples/examples.ndjson.gz', import.meta.url);
  return gunzipSync(readFileSync(file)).toString('utf8').trim().split('\n').map((line) => (JSON.parse(line) as { resource: Resource }).resource);
}

interface Subject {
  label: string;
  inputs: Resource[];
  run: (resource: Resource) => unknown;
  rates: number[];
}

/** One slice of about a quarter second; the rate in resources per second. */
function slice(subject: Subject): number {
  let done = 0;
  const start = process.hrtime.bigint();
  const end = start + 250_000_000n;
  while (process.hrtime.bigint() < end) {
    for (const resource of subject.inputs) subject.run(resource);
    done += subject.inputs.length;
  }
  return done / (Number(process.hrtime.bigint() - start) / 1e9);
}

/**
 * Runs the subjects in turns of short slices for the given time and reports each one's best and
 * median slice: on a shared machine the best slice is the closest to the code's own speed, and the
 * turns expose every subject to the same load.
 */
function measure(subjects: Subject[], megabytes: number, seconds: number): void {
  for (const subject of subjects) for (const resource of subject.inputs) subject.run(resource);
  const turns = Math.max(1, Math.round(seconds / 0.25));
  for (let turn = 0; turn < turns; turn++) for (const subject of subjects) subject.rates.push(slice(subject));
  const perResource = megabytes / subjects[0].inputs.length;
  for (const subject of subjects) {
    const sorted = [...subject.rates].sort((a, b) => a - b);
    const best = sorted[sorted.length - 1];
    const median = sorted[Math.floor(sorted.length / 2)];
    console.log(`${subject.label.padEnd(30)} best ${Math.round(best).toLocaleString('en-US').padStart(9)} resources/s`
      + ` ${(best * perResource).toFixed(0).padStart(5)} MB/s   median ${Math.round(median).toLocaleString('en-US').padStart(9)} resources/s`);
  }
  const best = (subject: Subject) => Math.max(...subject.rates);
  console.log(`best against the baseline: toAidbox ${(best(subjects[1]) / best(subjects[0])).toFixed(2)}, toFhir ${(best(subjects[2]) / best(subjects[0])).toFixed(2)}`);
}

function bindAllCoreExtensions(model: FhirModel): void {
  for (const definition of model.canonical.all<StructureDefinition>('StructureDefinition').filter((d) => d.type === 'Extension')) {
    const words = definition.url.slice(definition.url.lastIndexOf('/') + 1).replace(/[^A-Za-z0-9-]/g, '').split('-');
    const name = words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() : w.charAt(0).toUpperCase()) + w.slice(1)).join('');
    const extension = [...(Array.isArray(definition.extension) ? definition.extension : []), { url: FIRST_CLASS_FIELD_URL, valueCode: name }];
    model.addDefinition({ ...definition, extension });
  }
}

async function runSet(label: string, model: FhirModel, resources: Resource[], megabytes: number, seconds: number): Promise<void> {
  const aidbox = resources.map((resource) => toAidbox(model, resource));
  console.log(`\n${label}`);
  measure([
    { label: 'structuredClone (baseline)', inputs: resources, run: (resource) => structuredClone(resource), rates: [] },
    { label: 'FHIR -> Aidbox (toAidbox)', inputs: resources, run: (resource) => toAidbox(model, resource), rates: [] },
    { label: 'Aidbox -> FHIR (toFhir)', inputs: aidbox, run: (resource) => toFhir(model, resource), rates: [] },
  ], megabytes, seconds);
}

export async function run(args: string[]): Promise<void> {
  const secondsArg = args.indexOf('--seconds');
  const seconds = secondsArg >= 0 ? Number(args[secondsArg + 1]) : 5;
  const resources = examples();
  const megabytes = resources.reduce((sum, resource) => sum + JSON.stringify(resource).length, 0) / 1e6;
  console.log(`${resources.length} R4 examples, ${megabytes.toFixed(1)} MB of JSON; ${seconds} s of quarter-second slices per subject; node ${process.version}`);
  const model = await loadCoreModel();
  await runSet('all 761 examples, server bindings (meta.createdAt)', model, resources, megabytes, seconds);
  const small = resources.filter((resource) => JSON.stringify(resource).length <= 10_000);
  const smallMegabytes = small.reduce((sum, resource) => sum + JSON.stringify(resource).length, 0) / 1e6;
  await runSet(`the ${small.length} examples of at most 10 kB (a typical request), server bindings`, model, small, smallMegabytes, seconds);
  const bound = await loadCoreModel();
  bindAllCoreExtensions(bound);
  await runSet('all 761 examples, every core extension bound as a first-class field', bound, resources, megabytes, seconds);
}
