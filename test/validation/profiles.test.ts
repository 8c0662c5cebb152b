/**
 * Validation against profiles of a package (test/fixtures/packages): slicing on identifier and
 * extension, fixed and pattern values, maxLength, max 0, choice types restricted, type slices,
 * bindings to loaded value sets (filters on a loaded code system), reference target profiles,
 * invariants of a profile, and two versions of one guide side by side.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { Issue, Resource } from '../../src/core/index.js';
import { loadCoreModel } from '../../src/model/index.js';
import { FhirValidator } from '../../src/validation/index.js';
import { loadPackage } from '../../src/packages/index.js';

const PACKAGES = join(import.meta.dirname, '..', 'fixtures', 'packages');
const BASE = 'http://example.org/fhir/clinic';
const PATIENT = `${BASE}/StructureDefinition/clinic-patient`;
const VITAL = `${BASE}/StructureDefinition/clinic-vital`;
const BIRTH_COUNTRY = `${BASE}/StructureDefinition/birth-country`;
const COUNTRIES = 'http://example.org/fhir/terminology/CodeSystem/countries';
const CLINIC_CODES = 'http://example.org/fhir/terminology/CodeSystem/clinic-codes';

let validator: FhirValidator;
const stored: Resource[] = [];

before(async () => {
  validator = new FhirValidator(await loadCoreModel());
  const deps = { validator, sources: { folders: [PACKAGES] }, write: async (resources: Resource[]) => { stored.push(...resources); } };
  await loadPackage(deps, join(PACKAGES, 'example.fhir.clinic#1.0.0'));
  await loadPackage(deps, join(PACKAGES, 'example.fhir.clinic#2.0.0'));
});

const errorsOf = (issues: Issue[]) => issues.filter((issue) => issue.severity === 'error').map((issue) => [issue.code, issue.expression?.[0]]);

function patient(changes: Record<string, unknown> = {}, profile = PATIENT): Resource {
  const resource: Resource = {
    resourceType: 'Patient',
    meta: { profile: [profile] },
    identifier: [{ system: `${BASE}/mrn`, value: '12345' }],
    name: [{ family: 'Doe', given: ['Jo'] }],
    gender: 'female',
    birthDate: '2000-01-01',
    extension: [{ url: BIRTH_COUNTRY, valueCodeableConcept: { coding: [{ system: COUNTRIES, code: 'NL' }] } }],
    ...changes,
  };
  for (const [key, value] of Object.entries(resource)) if (value === null) delete resource[key];
  return resource;
}

function vital(changes: Record<string, unknown> = {}): Resource {
  const resource: Resource = {
    resourceType: 'Observation',
    meta: { profile: [VITAL] },
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: CLINIC_CODES, code: 'heart-rate' }] },
    subject: { reference: 'Patient/1' },
    effectiveDateTime: '2020-01-01',
    valueQuantity: { value: 60, system: 'http://unitsofmeasure.org', code: '/min' },
    ...changes,
  };
  for (const [key, value] of Object.entries(resource)) if (value === null) delete resource[key];
  return resource;
}

const cases: [string, Resource, [string, string][]][] = [
  ['a conforming patient', patient(), []],
  ['the mrn slice missing (open slicing keeps the other identifier)', patient({ identifier: [{ system: 'http://other', value: '1' }] }),
    [['validation.slice-cardinality-min', 'Patient.identifier']]],
  ['a slice value longer than its maxLength', patient({ identifier: [{ system: `${BASE}/mrn`, value: '12345678901' }] }), [['validation.max-length', 'Patient.identifier[0].value']]],
  ['an element of a matched slice missing', patient({ identifier: [{ system: `${BASE}/mrn`, value: '1' }, { system: `${BASE}/passport`, value: 'P1' }] }),
    [['validation.cardinality-min', 'Patient.identifier[1]']]],
  ['a pattern in a slice not met', patient({ identifier: [{ system: `${BASE}/mrn`, value: '1' }, { system: `${BASE}/passport`, value: 'P1', type: { text: 'passport' } }] }),
    [['validation.pattern-value', 'Patient.identifier[1].type']]],
  ['a slice repeated beyond its max', patient({ identifier: [{ system: `${BASE}/mrn`, value: '1' }, { system: `${BASE}/mrn`, value: '2' }] }),
    [['validation.slice-cardinality-max', 'Patient.identifier']]],
  ['an extension slice with a code outside its required value set', patient({ extension: [{ url: BIRTH_COUNTRY, valueCodeableConcept: { coding: [{ system: COUNTRIES, code: 'XX' }] } }] }),
    [['validation.binding-required', 'Patient.extension[0].valueCodeableConcept.coding[0]'], ['validation.code-unknown', 'Patient.extension[0].valueCodeableConcept.coding[0].code']]],
  ['an extension whose value type its definition does not allow', patient({ extension: [{ url: BIRTH_COUNTRY, valueString: 'NL' }] }),
    [['structure.extension-value-type', 'Patient.extension[0].valueString']]],
  ['an element the profile forbids (max 0)', patient({ photo: [{ url: 'http://example.org/photo' }] }), [['validation.cardinality-max', 'Patient.photo']]],
  ['a choice type the profile does not allow', patient({ deceasedDateTime: '2020-01-01' }), [['validation.type-not-allowed', 'Patient.deceasedDateTime']]],
  ['a nested required element (name.family)', patient({ name: [{ given: ['Jo'] }] }), [['validation.cardinality-min', 'Patient.name[0]']]],
  ['the profile invariant cp-1', patient({ name: [{ family: 'Doe' }] }), [['validation.invariant', 'Patient']]],
  ['birthDate required by version 2.0.0 (the newest, a bare canonical)', patient({ birthDate: null }), [['validation.cardinality-min', 'Patient']]],
  ['birthDate not required by version 1.0.0 (pinned)', patient({ birthDate: null }, `${PATIENT}|1.0.0`), []],
  ['a conforming vital sign', vital(), []],
  ['the category slice missing (pattern discriminator)', vital({ category: [{ text: 'vital' }] }), [['validation.slice-cardinality-min', 'Observation.category']]],
  ['a code outside the value set built by a descendent-of filter', vital({ code: { coding: [{ system: CLINIC_CODES, code: 'glucose' }] } }),
    [['validation.binding-required', 'Observation.code.coding[0]']]],
  ['the parent code itself (descendent-of excludes it)', vital({ code: { coding: [{ system: CLINIC_CODES, code: 'vital' }] } }),
    [['validation.binding-required', 'Observation.code.coding[0]']]],
  ['a subject of a type the target profile does not allow', vital({ subject: { reference: 'Group/1' } }), [['validation.reference-target-type', 'Observation.subject.reference']]],
  ['a value of a type the profile does not allow', vital({ valueQuantity: null, valueString: 'sixty' }), [['validation.type-not-allowed', 'Observation.valueString']]],
  ['a type slice with a wrong fixed system and a missing code', vital({ valueQuantity: { value: 60, system: 'http://example.org/units' } }),
    [['validation.fixed-value', 'Observation.valueQuantity.system'], ['validation.cardinality-min', 'Observation.valueQuantity']]],
];

describe('profiles of a package', () => {
  for (const [name, resource, expected] of cases) {
    it(name, () => assert.deepEqual(errorsOf(validator.walk(resource).issues), expected));
  }

  it('reports the warning invariant of a profile as a warning', () => {
    const issues = validator.walk(vital({ effectiveDateTime: null })).issues;
    assert.ok(issues.some((issue) => issue.severity === 'warning' && issue.diagnostics.includes('cv-1')));
  });

  it('validates against a profile given by the caller ($validate profile)', () => {
    const plain = { resourceType: 'Patient', name: [{ family: 'Doe' }] };
    assert.deepEqual(errorsOf(validator.walk(plain).issues), []);
    assert.deepEqual(errorsOf(validator.walk(plain, { profiles: [PATIENT] }).issues).map(([code]) => code).sort(),
      ['validation.cardinality-min', 'validation.cardinality-min', 'validation.cardinality-min', 'validation.invariant', 'validation.slice-cardinality-min']);
  });

  it('reports a profile of another type', () => {
    assert.deepEqual(errorsOf(validator.walk({ resourceType: 'Observation', status: 'final', code: { text: 'x' } }, { profiles: [PATIENT] }).issues),
      [['validation.profile-type-mismatch', 'Observation']]);
  });

  it('keeps both versions, each under its own id, and resolves bare canonicals to the newest', () => {
    const patients = stored.filter((resource) => resource.url === PATIENT);
    assert.deepEqual(patients.map((resource) => resource.version).sort(), ['1.0.0', '2.0.0']);
    assert.equal(new Set(patients.map((resource) => resource.id)).size, 2);
    assert.equal(validator.registry.resolve(PATIENT)?.version, '2.0.0');
    assert.equal(validator.registry.resolve(`${PATIENT}|1.0.0`)?.version, '1.0.0');
    assert.ok(patients.every((resource) => resource.meta?.tag?.some((tag) => tag.system === 'urn:flint:package')));
  });

  it('puts the package search parameter into the model', () => {
    assert.equal(validator.model.searchParameters.get('Patient', 'birth-country')?.type, 'token');
  });
});
