/**
 * Validation against the base definitions (table-driven): each case is a resource and the
 * errors (code and expression) it must produce; valid resources produce no error. Warnings and
 * information are checked where the case is about them.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Issue } from '../../src/core/index.js';
import { loadCoreModel } from '../../src/model/index.js';
import { FhirValidator } from '../../src/validation/index.js';

let validator: FhirValidator;
before(async () => { validator = new FhirValidator(await loadCoreModel()); });

const errorsOf = (issues: Issue[]) => issues.filter((issue) => issue.severity === 'error').map((issue) => [issue.code, issue.expression?.[0]]);
const narrative = { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml"><p>text</p></div>' };
const observation = { resourceType: 'Observation', status: 'final', code: { text: 'x' } };

const valid: [string, object][] = [
  ['a patient with a known extension where it may be used', { resourceType: 'Patient', extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace', valueAddress: { city: 'Paris' } }] }],
  ['a required binding met', { resourceType: 'Patient', gender: 'female' }],
  ['a code of a system that is not available (SNOMED CT) under an example binding', { ...observation, code: { coding: [{ system: 'http://snomed.info/sct', code: '1234' }] } }],
  ['a contained resource referenced from the container', { ...observation, contained: [{ resourceType: 'Patient', id: 'p' }], subject: { reference: '#p' } }],
  ['a period in order', { resourceType: 'Encounter', status: 'finished', class: { code: 'AMB' }, period: { start: '2020-01-01', end: '2020-01-02' } }],
  ['a reference to an allowed type', { ...observation, subject: { reference: 'Patient/1' } }],
  ['a reference to a profile-typed target (vitalsigns)', { ...observation, hasMember: [{ reference: 'Observation/2' }] }],
  ['a narrative with allowed markup', { resourceType: 'Patient', text: narrative }],
  ['a nested extension with a value', { resourceType: 'Patient', extension: [{ url: 'http://example.org/a', extension: [{ url: 'b', valueString: 'c' }] }] }],
  ['an attachment whose size matches its data', { resourceType: 'Media', status: 'completed', content: { contentType: 'text/plain', data: 'aGVsbG8=', size: 5 } }],
  ['a questionnaire with nested items (contentReference)', { resourceType: 'Questionnaire', status: 'draft', item: [{ linkId: '1', type: 'group', item: [{ linkId: '1.1', type: 'string' }] }] }],
  ['a care team member resolved to a contained Practitioner, on behalf of an organization (ctm-1 with resolve())', {
    resourceType: 'CareTeam', text: narrative, contained: [{ resourceType: 'Practitioner', id: 'p' }],
    participant: [{ member: { reference: '#p' }, onBehalfOf: { reference: 'Organization/o' } }],
  }],
  ['a care team member that resolves to nothing here, on behalf of an organization (resolve() fetches nothing)', {
    resourceType: 'CareTeam', text: narrative, participant: [{ member: { reference: 'Organization/x' }, onBehalfOf: { reference: 'Organization/o' } }],
  }],
  ['a document Bundle whose references resolve', {
    resourceType: 'Bundle', type: 'document', identifier: { system: 'urn:ietf:rfc:3986', value: 'urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0' }, timestamp: '2020-01-01T00:00:00Z',
    entry: [
      { fullUrl: 'http://example.org/fhir/Composition/c', resource: { resourceType: 'Composition', id: 'c', status: 'final', type: { text: 'x' }, date: '2020-01-01', author: [{ reference: 'Patient/p' }], title: 't', subject: { reference: 'Patient/p' } } },
      { fullUrl: 'http://example.org/fhir/Patient/p', resource: { resourceType: 'Patient', id: 'p' } },
    ],
  }],
];

const invalid: [string, object, [string, string][]][] = [
  ['a missing required element', { resourceType: 'Observation', status: 'final' }, [['validation.cardinality-min', 'Observation']]],
  ['a missing required element in a backbone element', { resourceType: 'Patient', link: [{ type: 'seealso' }] }, [['validation.cardinality-min', 'Patient.link[0]']]],
  ['a code outside a required value set', { resourceType: 'Patient', gender: 'unknown-gender' }, [['validation.binding-required', 'Patient.gender']]],
  ['a coding outside a required value set', { ...observation, status: 'final', interpretation: [{ coding: [{ system: 'http://hl7.org/fhir/administrative-gender', code: 'nope' }] }] },
    [['validation.code-unknown', 'Observation.interpretation[0].coding[0].code']]],
  ['a Coding whose system is not an absolute URI', { ...observation, code: { coding: [{ system: 'Location!', code: 'x' }] } },
    [['validation.coding-system', 'Observation.code.coding[0].system']]],
  ['a Coding whose system is a value set', { ...observation, category: [{ coding: [{ system: 'http://hl7.org/fhir/ValueSet/observation-category', code: 'vital-signs' }] }] },
    [['validation.coding-system', 'Observation.category[0].coding[0].system']]],
  ['a code element with extensions but no code under a required binding', { resourceType: 'Patient', _gender: { extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'unknown' }] } },
    [['validation.binding-no-code', 'Patient._gender']]],
  ['an invariant broken (per-1)', { resourceType: 'Encounter', status: 'finished', class: { code: 'AMB' }, period: { start: '2020-01-02', end: '2020-01-01' } }, [['validation.invariant', 'Encounter.period']]],
  ['a care team member resolved to a contained Organization, on behalf of another (ctm-1 with resolve())', {
    resourceType: 'CareTeam', contained: [{ resourceType: 'Organization', id: 'o2', name: 'Ward 2' }],
    participant: [{ member: { reference: '#o2' }, onBehalfOf: { reference: 'Organization/o' } }],
  }, [['validation.invariant', 'CareTeam.participant[0]']]],
  ['a care team member resolved to an Organization entry of the Bundle (ctm-1 with resolve())', {
    resourceType: 'Bundle', type: 'collection', entry: [
      { fullUrl: 'http://example.org/fhir/Organization/x', resource: { resourceType: 'Organization', id: 'x', name: 'Clinic X' } },
      { fullUrl: 'http://example.org/fhir/CareTeam/t', resource: { resourceType: 'CareTeam', id: 't', participant: [{ member: { reference: 'Organization/x' }, onBehalfOf: { reference: 'Organization/o' } }] } },
    ],
  }, [['validation.invariant', 'Bundle.entry[1].resource.participant[0]']]],
  ['an invariant of a resource broken (obs-6)', { ...observation, valueString: 'x', dataAbsentReason: { text: 'y' } }, [['validation.invariant', 'Observation']]],
  ['an element with only an id (ele-1)', { resourceType: 'Patient', maritalStatus: { id: 'x' } }, [['validation.invariant', 'Patient.maritalStatus']]],
  ['an extension with both a value and extensions (ext-1)', { resourceType: 'Patient', extension: [{ url: 'http://example.org/a', valueString: 'x', extension: [{ url: 'b', valueString: 'c' }] }] },
    [['validation.invariant', 'Patient.extension[0]']]],
  ['an extension without url', { resourceType: 'Patient', extension: [{ valueString: 'x' }] }, [['validation.extension-url-missing', 'Patient.extension[0]'], ['validation.cardinality-min', 'Patient.extension[0]']]],
  ['an extension used outside its context', { ...observation, extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace', valueAddress: { city: 'x' } }] },
    [['validation.extension-context', 'Observation.extension[0]']]],
  ['an extension with a value of the wrong type', { resourceType: 'Patient', extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace', valueString: 'Paris' }] },
    [['structure.extension-value-type', 'Patient.extension[0].valueString']]],
  ['a reference to a type the element does not allow', { ...observation, subject: { reference: 'Medication/1' } }, [['validation.reference-target-type', 'Observation.subject.reference']]],
  ['a reference to an unknown type', { ...observation, subject: { reference: 'Unicorn/1' } }, [['validation.reference-format', 'Observation.subject.reference']]],
  ['a relative reference of the wrong form', { ...observation, subject: { reference: 'just-an-id' } }, [['validation.reference-format', 'Observation.subject.reference']]],
  ['a local reference to nothing contained (ref-1)', { ...observation, subject: { reference: '#nothing' } }, [['validation.invariant', 'Observation.subject']]],
  ['a contained resource nobody references (dom-3)', { ...observation, contained: [{ resourceType: 'Patient', id: 'p' }] }, [['validation.invariant', 'Observation']]],
  ['a script in the narrative', { resourceType: 'Patient', text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml"><script>x</script></div>' } },
    [['validation.xhtml', 'Patient.text.div'], ['validation.invariant', 'Patient.text.div']]],
  ['an entity XML does not define', { resourceType: 'Patient', text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">&reg;</div>' } }, [['validation.xhtml', 'Patient.text.div']]],
  ['an attachment whose size does not match', { resourceType: 'Media', status: 'completed', content: { contentType: 'text/plain', data: 'aGVsbG8=', size: 100 } }, [['validation.attachment-size', 'Media.content']]],
  ['a relative fullUrl', { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'Patient/1', resource: { resourceType: 'Patient', id: '1' } }] },
    [['validation.bundle-full-url', 'Bundle.entry[0].fullUrl']]],
  ['a document reference to no entry', {
    resourceType: 'Bundle', type: 'document', identifier: { system: 'urn:ietf:rfc:3986', value: 'urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0' }, timestamp: '2020-01-01T00:00:00Z',
    entry: [{ fullUrl: 'http://example.org/fhir/Composition/c', resource: { resourceType: 'Composition', id: 'c', status: 'final', type: { text: 'x' }, date: '2020-01-01', author: [{ display: 'a' }], title: 't', subject: { reference: 'Patient/p' } } }],
  }, [['validation.reference-unresolved', 'Bundle.entry[0].resource.subject.reference']]],
  ['a canonical resource with a relative url', { resourceType: 'ValueSet', status: 'draft', url: 'ValueSet/x' }, [['validation.canonical-url', 'ValueSet.url']]],
  ['a value set filter on a boolean property with another value', {
    resourceType: 'ValueSet', status: 'draft',
    compose: { include: [{ system: 'http://terminology.hl7.org/CodeSystem/ex-tooth', filter: [{ property: 'notSelectable', op: '=', value: '1' }, { property: 'notSelectable', op: '=', value: 'true' }] }] },
  }, [['validation.value-set-filter', 'ValueSet.compose.include[0].filter[0]']]],
  ['a value set filter on the standard decimal property itemWeight with a word (an exists filter is not checked)', {
    resourceType: 'ValueSet', status: 'draft',
    compose: { include: [{ system: 'urn:x', filter: [{ property: 'notSelectable', op: 'exists', value: 'maybe' }] }], exclude: [{ system: 'http://example.org/cs', filter: [{ property: 'itemWeight', op: '=', value: 'heavy' }] }] },
  }, [['validation.value-set-filter', 'ValueSet.compose.exclude[0].filter[0]']]],
  ['a SNOMED CT constraint filter that is not ECL', {
    resourceType: 'ValueSet', status: 'draft',
    compose: { include: [{ system: 'http://snomed.info/sct', filter: [{ property: 'constraint', op: '=', value: '<< 404684003 |Clinical finding| : 363698007 = << 39057004' }, { property: 'constraint', op: '=', value: '234234 << 234234' }] }] },
  }, [['validation.value-set-filter', 'ValueSet.compose.include[0].filter[1]']]],
  ['a complete code system whose count is wrong', { resourceType: 'CodeSystem', status: 'draft', content: 'complete', count: 2, concept: [{ code: 'a' }] }, [['validation.definition', 'CodeSystem.count']]],
  ['structural problems keep their codes', { resourceType: 'Patient', colour: 'blue', birthDate: '2020-02-30' }, [['structure.unknown-element', 'Patient.colour'], ['structure.invalid-primitive', 'Patient.birthDate']]],
];

describe('valid against the base definitions', () => {
  for (const [name, resource] of valid) {
    it(name, () => assert.deepEqual(errorsOf(validator.walk(resource).issues), []));
  }
});

describe('errors against the base definitions', () => {
  for (const [name, resource, expected] of invalid) {
    it(name, () => assert.deepEqual(errorsOf(validator.walk(resource).issues), expected));
  }
});

describe('severities', () => {
  it('reports an unknown extension as a warning by default, as an error when set so', async () => {
    const patient = { resourceType: 'Patient', extension: [{ url: 'http://example.org/unknown', valueString: 'x' }] };
    const issue = validator.walk(patient).issues.find((found) => found.code === 'validation.extension-unknown');
    assert.equal(issue?.severity, 'warning');
    const strict = new FhirValidator(validator.model, { unknownExtension: 'error' });
    assert.equal(strict.walk(patient).issues.find((found) => found.code === 'validation.extension-unknown')?.severity, 'error');
  });

  it('reports an unknown profile as a warning by default, as an error when set so', () => {
    const patient = { resourceType: 'Patient', meta: { profile: ['http://example.org/unknown-profile'] } };
    assert.equal(validator.walk(patient).issues.find((found) => found.code === 'validation.profile-unknown')?.severity, 'warning');
    const strict = new FhirValidator(validator.model, { unknownProfile: 'error' });
    assert.equal(strict.walk(patient).issues.find((found) => found.code === 'validation.profile-unknown')?.severity, 'error');
  });

  it('never reports a code of an unavailable code system under a required binding as an error', () => {
    const issues = validator.walk({ resourceType: 'Media', status: 'completed', content: { contentType: 'application/x-unknown-type' } }).issues;
    assert.deepEqual(errorsOf(issues), []);
    assert.ok(issues.some((issue) => issue.code === 'validation.binding-unchecked' && issue.severity === 'information'));
  });

  it('reports a display the loaded code system does not give the code as a warning; case and spacing do not count', () => {
    const withDisplay = (display: string) => ({
      ...observation, text: narrative,
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display }] }],
    });
    const wrong = validator.walk(withDisplay('Heart things')).issues.filter((issue) => issue.code === 'validation.display-mismatch');
    assert.deepEqual(wrong.map((issue) => [issue.severity, issue.expression?.[0]]), [['warning', 'Observation.category[0].coding[0].display']]);
    assert.match(wrong[0].diagnostics ?? '', /'Vital Signs'/);
    for (const display of ['Vital Signs', 'vital  signs ']) {
      assert.deepEqual(validator.walk(withDisplay(display)).issues.filter((issue) => issue.code === 'validation.display-mismatch'), [], display);
    }
    const external = { ...observation, text: narrative, code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'anything' }] } };
    assert.deepEqual(validator.walk(external).issues.filter((issue) => issue.code === 'validation.display-mismatch'), []);
  });

  it('reports a narrative-less resource as a warning (dom-6), not an error', () => {
    const issues = validator.walk({ resourceType: 'Patient' }).issues;
    assert.deepEqual(issues.map((issue) => [issue.severity, issue.code]), [['warning', 'validation.invariant']]);
  });

  it('every issue has severity, type, code, diagnostics and expression', () => {
    const issues = validator.walk({ resourceType: 'Observation', status: 'bogus', subject: { reference: 'Medication/1' } }).issues;
    assert.ok(issues.length >= 3);
    for (const issue of issues) {
      assert.ok(issue.severity && issue.type && issue.code && issue.diagnostics && issue.expression?.[0], JSON.stringify(issue));
    }
  });
});

describe('definitions written to the server', () => {
  const profile = (overrides: object) => ({
    resourceType: 'StructureDefinition', url: 'http://example.org/p', name: 'P', status: 'draft', kind: 'resource', abstract: false,
    type: 'Patient', baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Patient', derivation: 'constraint',
    differential: { element: [{ id: 'Patient.name', path: 'Patient.name', min: 1 }] }, ...overrides,
  });

  it('accepts a differential that compiles', () => {
    assert.deepEqual(errorsOf(validator.walk(profile({})).issues), []);
  });

  it('rejects an element the base type does not have', () => {
    const issues = validator.walk(profile({ differential: { element: [{ id: 'Patient.colour', path: 'Patient.colour', min: 1 }] } })).issues;
    assert.deepEqual(errorsOf(issues), [['validation.definition', 'Patient.colour']]);
  });

  it('rejects an unknown base and a base of another type', () => {
    assert.deepEqual(errorsOf(validator.walk(profile({ baseDefinition: 'http://example.org/nothing' })).issues).map(([code]) => code), ['validation.definition']);
    assert.deepEqual(errorsOf(validator.walk(profile({ baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Observation' })).issues).map(([code]) => code), ['validation.definition']);
  });

  it('rejects a profile that derives from itself', () => {
    assert.deepEqual(errorsOf(validator.walk(profile({ baseDefinition: 'http://example.org/p' })).issues).map(([code]) => code), ['validation.definition']);
  });

  it('rejects an invariant that is not FHIRPath', () => {
    const issues = validator.walk(profile({ differential: { element: [{ id: 'Patient', path: 'Patient', constraint: [{ key: 'x-1', severity: 'error', human: 'x', expression: 'name.where(' }] }] } })).issues;
    assert.deepEqual(errorsOf(issues).map(([code]) => code), ['validation.definition']);
  });
});
