/**
 * The property test of the conversion over every example of the FHIR R4 specification (761
 * resources, test/fixtures/fhir-r4-examples): FHIR -> Aidbox -> FHIR gives back the same JSON, and
 * Aidbox -> FHIR -> Aidbox likewise. Once with the server's own bindings (meta.createdAt), once
 * with every extension definition of the core package bound as a first-class field.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { gunzipSync } from 'node:zlib';
import type { Resource } from '../../src/core/index.js';
import { FIRST_CLASS_FIELD_URL, firstClassRegistry, toAidbox, toFhir } from '../../src/format/index.js';
import { loadCoreModel, type FhirModel, type StructureDefinition } from '../../src/model/index.js';

interface Example {
  file: string;
  resource: Resource;
}

const examples: Example[] = gunzipSync(readFileSync(new URL('../fixtures/fhir-r4-examples/examples.ndjson.gz', import.meta.url)))
  .toString('utf8').trim().split('\n').map((line) => JSON.parse(line) as Example);

interface RoundTrips {
  /** Examples whose FHIR -> Aidbox -> FHIR differs from the input. */
  fhirDiffers: string[];
  /** Examples whose Aidbox -> FHIR -> Aidbox differs from the Aidbox form. */
  aidboxDiffers: string[];
  /** Examples whose Aidbox form differs from the FHIR form. */
  converted: number;
  /** Examples with fewer extension arrays in the Aidbox form (first-class fields made). */
  lifted: number;
  /** FHIR -> Aidbox -> FHIR results, by file, for a closer look. */
  back: Map<string, Resource>;
}

function extensionArrays(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + extensionArrays(item), 0);
  if (value === null || typeof value !== 'object') return 0;
  return Object.entries(value).reduce((sum, [key, child]) => sum + (key === 'extension' ? 1 : 0) + extensionArrays(child), 0);
}

function roundTrips(model: FhirModel): RoundTrips {
  const result: RoundTrips = { fhirDiffers: [], aidboxDiffers: [], converted: 0, lifted: 0, back: new Map() };
  for (const { file, resource } of examples) {
    const before = JSON.stringify(resource);
    const aidbox = toAidbox(model, resource);
    const fhir = toFhir(model, aidbox);
    assert.equal(JSON.stringify(resource), before, `${file}: the conversion changed its input`);
    if (!isDeepStrictEqual(fhir, resource)) result.fhirDiffers.push(file);
    if (!isDeepStrictEqual(toAidbox(model, fhir), aidbox)) result.aidboxDiffers.push(file);
    if (!isDeepStrictEqual(aidbox, resource)) result.converted++;
    if (extensionArrays(aidbox) < extensionArrays(resource)) result.lifted++;
    result.back.set(file, fhir);
  }
  return result;
}

/** Every extension array sorted, so two resources compare equal when only extension order differs. */
function sortedExtensions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedExtensions);
  if (value === null || typeof value !== 'object') return value;
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const converted = sortedExtensions(child);
    result[key] = key === 'extension' && Array.isArray(converted)
      ? [...converted].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)) : converted;
  }
  return result;
}

describe('the R4 examples with the server\'s own bindings', () => {
  let trips: RoundTrips;
  before(async () => { trips = roundTrips(await loadCoreModel()); });

  it('holds all 761 examples', () => assert.equal(examples.length, 761));
  it('FHIR -> Aidbox -> FHIR gives back every example exactly', () => assert.deepEqual(trips.fhirDiffers, []));
  it('Aidbox -> FHIR -> Aidbox gives back every Aidbox form exactly', () => assert.deepEqual(trips.aidboxDiffers, []));
  it('the Aidbox form differs from FHIR for the 636 examples with references or choice types', () => assert.equal(trips.converted, 636));
});

/**
 * Examples where bound extensions sit before extensions that stay: the first-class ones come back
 * after the others (Element.extension has no orderMeaning in R4; see docs/platform.md).
 */
const REORDERED = ['examples/Bundle-hla-1.json', 'examples/Bundle-types.json', 'examples/Observation-example-genetics-brcapat.json'];

/** A field name from an extension url: .../patient-birthTime -> patientBirthTime. */
function fieldName(url: string): string {
  const words = url.slice(url.lastIndexOf('/') + 1).replace(/[^A-Za-z0-9-]/g, '').split('-');
  return words.map((word, index) => (index === 0 ? word.charAt(0).toLowerCase() : word.charAt(0).toUpperCase()) + word.slice(1)).join('');
}

describe('the R4 examples with every core extension definition bound as a first-class field', () => {
  let trips: RoundTrips;
  let model: FhirModel;
  before(async () => {
    model = await loadCoreModel();
    const definitions = model.canonical.all<StructureDefinition>('StructureDefinition').filter((definition) => definition.type === 'Extension');
    for (const definition of definitions) {
      const extension = [...(Array.isArray(definition.extension) ? definition.extension : []), { url: FIRST_CLASS_FIELD_URL, valueCode: fieldName(definition.url) }];
      model.addDefinition({ ...definition, extension });
    }
    trips = roundTrips(model);
  });

  it('binds 390 of the 396 extension definitions (not the 2 modifiers, not the 4 names starting with a digit) plus meta.createdAt', () => {
    assert.equal(firstClassRegistry(model).all().length, 391);
  });

  it('makes first-class fields in 57 examples', () => assert.equal(trips.lifted, 57));

  it('Aidbox -> FHIR -> Aidbox gives back every Aidbox form exactly', () => assert.deepEqual(trips.aidboxDiffers, []));

  it('FHIR -> Aidbox -> FHIR gives back every example exactly, except the extension order of three', () => {
    assert.deepEqual(trips.fhirDiffers, REORDERED);
  });

  it('in those three, the same extensions come back, in another order', () => {
    for (const file of REORDERED) {
      const original = examples.find((example) => example.file === file)?.resource;
      assert.deepEqual(sortedExtensions(trips.back.get(file)), sortedExtensions(original), file);
    }
  });
});
