/**
 * `npm run bench -- format [--seconds N]`: conversion speed FHIR -> Aidbox and Aidbox -> FHIR over
 * the 761 R4 examples (test/fixtures/fhir-r4-examples), in resources and megabytes per second,
 * against a plain deep copy of the same resources (structuredClone) as the floor any conversion
 * that builds new objects pays. Once with the server's own bindings, once with every core extension
 * definition bound as a first-class field.
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

function measure(label: string, resources: Resource[], megabytes: number, seconds: number, run: (resource: Resource) => unknown): number {
  for (let i = 0; i < 3; i++) for (const resource of resources) run(resource);
  let rounds = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(Math.round(seconds * 1e9));
  while (process.hrtime.bigint() < end) {
    for (const resource of resources) run(resource);
    rounds++;
  }
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  const perSecond = (rounds * resources.length) / elapsed;
  console.log(`${label.padEnd(44)} ${Math.round(perSecond).toLocaleString('en-US').padStart(9)} resources/s ${(rounds * megabytes / elapsed).toFixed(0).padStart(6)} MB/s`);
  return perSecond;
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
  const copy = measure('structuredClone (baseline)', resources, megabytes, seconds, (resource) => structuredClone(resource));
  const forward = measure('FHIR -> Aidbox (toAidbox)', resources, megabytes, seconds, (resource) => toAidbox(model, resource));
  let index = 0;
  const back = measure('Aidbox -> FHIR (toFhir)', aidbox, megabytes, seconds, () => toFhir(model, aidbox[index++ % aidbox.length]));
  console.log(`ratio to the baseline: toAidbox ${(forward / copy).toFixed(2)}, toFhir ${(back / copy).toFixed(2)}`);
}

export async function run(args: string[]): Promise<void> {
  const secondsArg = args.indexOf('--seconds');
  const seconds = secondsArg >= 0 ? Number(args[secondsArg + 1]) : 5;
  const resources = examples();
  const megabytes = resources.reduce((sum, resource) => sum + JSON.stringify(resource).length, 0) / 1e6;
  console.log(`${resources.length} R4 examples, ${megabytes.toFixed(1)} MB of JSON; ${seconds} s per measurement; node ${process.version}`);
  const model = await loadCoreModel();
  await runSet('all 761 examples, server bindings (meta.createdAt)', model, resources, megabytes, seconds);
  const small = resources.filter((resource) => JSON.stringify(resource).length <= 10_000);
  const smallMegabytes = small.reduce((sum, resource) => sum + JSON.stringify(resource).length, 0) / 1e6;
  await runSet(`the ${small.length} examples of at most 10 kB (a typical request), server bindings`, model, small, smallMegabytes, seconds);
  const bound = await loadCoreModel();
  bindAllCoreExtensions(bound);
  await runSet('all 761 examples, every core extension bound as a first-class field', bound, resources, megabytes, seconds);
}
