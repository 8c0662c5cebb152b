/**
 * Slicing discriminators on resolve(): the core lipid profile slices DiagnosticReport.result by
 * resolve().code (the code fixed in each target profile), and type and profile discriminators on
 * resolve() read the slices' target profiles. Targets resolve when they are contained or entries
 * of the Bundle around the resource; otherwise the reference's type decides type and profile.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Issue, Resource } from '../../src/core/index.js';
import { loadCoreModel } from '../../src/model/index.js';
import { FhirValidator } from '../../src/validation/index.js';

let validator: FhirValidator;
before(async () => {
  const model = await loadCoreModel();
  validator = new FhirValidator(model);
  for (const definition of [byTypeProfile, byTargetProfile]) model.addDefinition(definition as unknown as Resource);
});

const slicingErrors = (issues: Issue[]) => issues
  .filter((issue) => issue.severity === 'error' && issue.code.startsWith('validation.slice'))
  .map((issue) => [issue.code, issue.expression?.[0]]);

const LOINC = 'http://loinc.org';
const codes: Record<string, object> = {
  cholesterol: { coding: [{ system: LOINC, code: '35200-5', display: 'Cholesterol [Moles/\u200bvolume] in Serum or Plasma' }] },
  triglyceride: { coding: [{ system: LOINC, code: '35217-9', display: 'Triglyceride [Moles/\u200bvolume] in Serum or Plasma' }] },
  hdl: { coding: [{ system: LOINC, code: '2085-9', display: 'HDL Cholesterol' }] },
};

function lipidBundle(results: string[]): Resource {
  const observations = results.map((name) => ({
    fullUrl: `http://example.org/fhir/Observation/${name}`,
    resource: { resourceType: 'Observation', id: name, status: 'final', code: codes[name] },
  }));
  const report = {
    resourceType: 'DiagnosticReport', id: 'lipids', meta: { profile: ['http://hl7.org/fhir/StructureDefinition/lipidprofile'] },
    status: 'final', code: { coding: [{ system: LOINC, code: '57698-3' }] },
    result: results.map((name) => ({ reference: `Observation/${name}` })),
  };
  return { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'http://example.org/fhir/DiagnosticReport/lipids', resource: report }, ...observations] } as Resource;
}

const byTypeProfile = {
  resourceType: 'StructureDefinition', url: 'http://example.org/fhir/StructureDefinition/list-by-target-type', name: 'ListByTargetType',
  status: 'draft', kind: 'resource', abstract: false, type: 'List', baseDefinition: 'http://hl7.org/fhir/StructureDefinition/List', derivation: 'constraint',
  differential: { element: [
    { id: 'List.entry.item', path: 'List.entry.item', slicing: { discriminator: [{ type: 'type', path: 'resolve()' }], rules: 'closed' } },
    { id: 'List.entry.item:patient', path: 'List.entry.item', sliceName: 'patient', min: 0, max: '1', type: [{ code: 'Reference', targetProfile: ['http://hl7.org/fhir/StructureDefinition/Patient'] }] },
  ] },
};

const byTargetProfile = {
  resourceType: 'StructureDefinition', url: 'http://example.org/fhir/StructureDefinition/report-by-target-profile', name: 'ReportByTargetProfile',
  status: 'draft', kind: 'resource', abstract: false, type: 'DiagnosticReport', baseDefinition: 'http://hl7.org/fhir/StructureDefinition/DiagnosticReport', derivation: 'constraint',
  differential: { element: [
    { id: 'DiagnosticReport.result', path: 'DiagnosticReport.result', slicing: { discriminator: [{ type: 'profile', path: 'resolve()' }], rules: 'open' } },
    { id: 'DiagnosticReport.result:cholesterol', path: 'DiagnosticReport.result', sliceName: 'cholesterol', min: 1, max: '1', type: [{ code: 'Reference', targetProfile: ['http://hl7.org/fhir/StructureDefinition/cholesterol'] }] },
  ] },
};

describe('value discriminator on resolve().code (the core lipid profile)', () => {
  it('matches Bundle entries to the slices by the code their target profile fixes', () => {
    assert.deepEqual(slicingErrors(validator.walk(lipidBundle(['cholesterol', 'triglyceride', 'hdl'])).issues), []);
  });

  it('reports the slice no entry fills', () => {
    const errors = slicingErrors(validator.walk(lipidBundle(['cholesterol', 'triglyceride'])).issues);
    assert.deepEqual(errors, [['validation.slice-cardinality-min', 'Bundle.entry[0].resource.result']]);
  });
});

describe('type and profile discriminators on resolve()', () => {
  const list = (item: object, contained: object[] = []) => ({
    resourceType: 'List', status: 'current', mode: 'working', meta: { profile: [byTypeProfile.url] }, contained, entry: [{ item }],
  });

  it('type: a contained target is matched by its resourceType, and a closed slicing rejects another type', () => {
    assert.deepEqual(slicingErrors(validator.walk(list({ reference: '#p' }, [{ resourceType: 'Patient', id: 'p' }])).issues), []);
    const errors = slicingErrors(validator.walk(list({ reference: '#d' }, [{ resourceType: 'Device', id: 'd' }])).issues);
    assert.deepEqual(errors.map(([code]) => code), ['validation.slice-closed']);
  });

  it('type: a target that is not here is matched by the type its reference names', () => {
    assert.deepEqual(slicingErrors(validator.walk(list({ reference: 'Patient/elsewhere' })).issues), []);
    assert.deepEqual(slicingErrors(validator.walk(list({ reference: 'Device/elsewhere' })).issues).map(([code]) => code), ['validation.slice-closed']);
  });

  it('profile: a contained target must conform to the slice\'s target profile', () => {
    const report = (observation: object) => ({
      resourceType: 'DiagnosticReport', meta: { profile: [byTargetProfile.url] }, status: 'final', code: { text: 'lipids' },
      contained: [{ resourceType: 'Observation', id: 'o', status: 'final', ...observation }], result: [{ reference: '#o' }],
    });
    const range = { referenceRange: [{ high: { value: 4.5 } }] };
    assert.deepEqual(slicingErrors(validator.walk(report({ code: codes.cholesterol, ...range })).issues), []);
    assert.deepEqual(slicingErrors(validator.walk(report({ code: codes.hdl, ...range })).issues).map(([code]) => code), ['validation.slice-cardinality-min']);
  });
});
