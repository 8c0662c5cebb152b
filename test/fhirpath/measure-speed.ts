/**
 * Evaluations per second of the FHIRPath adapter on two typical expressions (figures for
 * docs/fhirpath.md). Not a test: run it with `npx tsx test/fhirpath/measure-speed.ts`.
 */
import { readFileSync } from 'node:fs';
import { compileFhirPath, evaluateFhirPath } from '../../src/fhirpath/index.js';
import { library, r4 } from '../../src/fhirpath/fhirpath-library.js';

const input = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../fixtures/fhirpath/input/${name}`, import.meta.url), 'utf8'));

const patient = input('patient-example.json');
const observation = input('observation-example.json');

function measure(label: string, run: () => unknown, seconds = 2): void {
  for (let i = 0; i < 20_000; i++) run();
  let count = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(seconds * 1e9);
  while (process.hrtime.bigint() < end) {
    for (let i = 0; i < 1000; i++) run();
    count += 1000;
  }
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(`${label.padEnd(84)} ${Math.round(count / elapsed).toLocaleString('en-US').padStart(10)} /s`);
}

const simple = 'name.given';
const where = "code.coding.where(system = 'http://loinc.org').code";

const simpleCompiled = compileFhirPath(simple);
const whereCompiled = compileFhirPath(where);
measure(`evaluateFhirPath(patient, '${simple}')`, () => evaluateFhirPath(patient, simple));
measure(`compileFhirPath('${simple}') then (patient)`, () => simpleCompiled(patient));
measure(`evaluateFhirPath(observation, "${where}")`, () => evaluateFhirPath(observation, where));
measure(`compileFhirPath("${where}") then (observation)`, () => whereCompiled(observation));

const rawSimple = library.compile(simple, r4);
const rawWhere = library.compile(where, r4);
measure(`fhirpath.js alone, compiled: '${simple}'`, () => rawSimple(patient));
measure(`fhirpath.js alone, compiled: "${where}"`, () => rawWhere(observation));
