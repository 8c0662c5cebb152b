/**
 * The checks a server switches on or widens by setting: URLs of the example domains, HTML tags in
 * markdown, the extension domains whose extensions need no definition; and the references between
 * the resources of a Parameters resource, which resolve inside it as a Bundle's do.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Issue, Resource } from '../../src/core/index.js';
import { loadCoreModel, type FhirModel } from '../../src/model/index.js';
import { FhirValidator, type ValidatorSettings } from '../../src/validation/index.js';

let model: FhirModel;
before(async () => { model = await loadCoreModel(); });

const errorsOf = (issues: Issue[]) => issues.filter((issue) => issue.severity === 'error').map((issue) => [issue.code, issue.expression?.[0]]);
const errors = (resource: object, settings: Partial<ValidatorSettings> = {}) => errorsOf(new FhirValidator(model, settings).walk(resource).issues);

const document = (url: string) => ({
  resourceType: 'DocumentReference', status: 'current', content: [{ attachment: { contentType: 'text/plain', url } }],
});

describe('example URLs', () => {
  for (const url of ['http://example.org/fhir/x', 'https://repository.example.com/a', 'http://example.net', 'http://test.example/b']) {
    it(`are errors when switched on: ${url}`, () => {
      assert.deepEqual(errors(document(url), { exampleUrls: 'error' }), [['validation.example-url', 'DocumentReference.content[0].attachment.url']]);
    });
  }

  it('are allowed by default', () => {
    assert.deepEqual(errors(document('http://example.org/fhir/x')), []);
  });

  it('are only the reserved domains (not a host that merely contains the word)', () => {
    for (const url of ['http://myexample.org/x', 'http://example.org.evil.com/x', 'urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0', 'http://hl7.org/fhir']) {
      assert.deepEqual(errors(document(url), { exampleUrls: 'error' }), [], url);
    }
  });

  it('cover extension urls', () => {
    const patient = { resourceType: 'Patient', extension: [{ url: 'http://example.org/fhir/StructureDefinition/x', valueString: 'a' }] };
    assert.deepEqual(errors(patient, { exampleUrls: 'error' }), [['validation.example-url', 'Patient.extension[0].url']]);
  });
});

describe('HTML in markdown', () => {
  const communication = (text: string) => ({ resourceType: 'Communication', status: 'completed', note: [{ text }] });

  for (const text of ['<resource type>\\<id>', 'a <b>bold</b> word', 'line<br/>break', 'an end </p> tag']) {
    it(`is an error when switched on: ${text}`, () => {
      assert.deepEqual(errors(communication(text), { markdownHtml: 'error' }), [['validation.markdown-html', 'Communication.note[0].text']]);
    });
  }

  it('is allowed by default', () => {
    assert.deepEqual(errors(communication('a <b>bold</b> word')), []);
  });

  it('does not include autolinks, e-mail addresses or comparisons', () => {
    for (const text of ['see <https://hl7.org/fhir>', 'write to <info@hl7.org>', 'x < 3 and y > 2', '**bold** and _em_']) {
      assert.deepEqual(errors(communication(text), { markdownHtml: 'error' }), [], text);
    }
  });
});

describe('extension domains', () => {
  const patient = { resourceType: 'Patient', extension: [{ url: 'https://fhir.example-org.test/StructureDefinition/own', valueString: 'a' }] };

  it('accept extensions under the domain without a definition', () => {
    assert.deepEqual(errors(patient, { unknownExtension: 'error', extensionDomains: ['https://fhir.example-org.test/StructureDefinition'] }), []);
  });

  it('leave other unknown extensions to the unknown-extension setting', () => {
    assert.deepEqual(errors(patient, { unknownExtension: 'error', extensionDomains: ['https://other.test/'] }),
      [['validation.extension-unknown', 'Patient.extension[0]']]);
  });
});

describe('references inside a Parameters resource', () => {
  const parameters = (beneficiary: string): Resource => ({
    resourceType: 'Parameters',
    parameter: [
      { name: 'MemberPatient', resource: { resourceType: 'Patient', id: '1' } },
      { name: 'group', part: [{ name: 'OldCoverage', resource: { resourceType: 'Coverage', id: 'c', status: 'active', beneficiary: { reference: beneficiary }, payor: [{ display: 'p' }] } }] },
    ],
  } as Resource);
  const missing = async () => false;

  it('resolve to the resources of the Parameters, parts included', async () => {
    const issues = await new FhirValidator(model).validate(parameters('Patient/1'), { referenceExists: missing });
    assert.deepEqual(errorsOf(issues), []);
  });

  it('that name none of them are checked like any other reference', async () => {
    const issues = await new FhirValidator(model).validate(parameters('Patient/2'), { referenceExists: missing });
    assert.deepEqual(errorsOf(issues), [['validation.reference-not-found', 'Parameters.parameter[1].part[0].resource.beneficiary.reference']]);
  });
});
