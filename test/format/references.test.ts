/**
 * References in Aidbox format, both ways: relative (with and without version), absolute and
 * urn:uuid (uri), contained (localRef), the other Reference elements kept, the cases where the
 * reference string stays as it is, and malformed Aidbox references (400).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { FORMAT_CODES, referenceToAidbox, referenceToFhir, toAidbox, toFhir } from '../../src/format/index.js';
import type { FhirModel } from '../../src/model/index.js';
import { errorOf, modelWith } from './format-fixtures.js';

let model: FhirModel;
before(async () => { model = await modelWith(); });

const identifier = { system: 'urn:oid:1.2.3', value: '456' };

/** FHIR Reference -> Aidbox form; every row also converts back to exactly the FHIR form. */
const pairs: [string, Record<string, unknown>, Record<string, unknown>][] = [
  ['relative', { reference: 'Patient/pt-1' }, { resourceType: 'Patient', id: 'pt-1' }],
  ['versioned', { reference: 'Patient/pt-1/_history/3' }, { resourceType: 'Patient', id: 'pt-1', version: '3' }],
  ['absolute', { reference: 'http://external/fhir/Patient/pt-1' }, { uri: 'http://external/fhir/Patient/pt-1' }],
  ['absolute versioned', { reference: 'https://x.org/fhir/Patient/1/_history/2' }, { uri: 'https://x.org/fhir/Patient/1/_history/2' }],
  ['urn:uuid', { reference: 'urn:uuid:6b7f0c1e-8d5a-4a6e-9a0f-1c2b3d4e5f60' }, { uri: 'urn:uuid:6b7f0c1e-8d5a-4a6e-9a0f-1c2b3d4e5f60' }],
  ['conditional', { reference: 'Patient?identifier=urn:oid:1|2' }, { uri: 'Patient?identifier=urn:oid:1|2' }],
  ['not a FHIR id', { reference: 'Patient/a_b' }, { uri: 'Patient/a_b' }],
  ['contained', { reference: '#pt' }, { localRef: 'pt' }],
  ['the container itself', { reference: '#' }, { localRef: '' }],
  ['display, identifier, type, extension kept',
    { reference: 'Organization/o1', type: 'Organization', display: 'City Hospital', identifier, extension: [{ url: 'urn:x', valueString: 'y' }] },
    { resourceType: 'Organization', id: 'o1', type: 'Organization', display: 'City Hospital', identifier, extension: [{ url: 'urn:x', valueString: 'y' }] }],
  ['logical reference only', { type: 'Organization', identifier, display: 'x' }, { type: 'Organization', identifier, display: 'x' }],
  ['element id: the string stays', { id: 'r1', reference: 'Patient/1' }, { id: 'r1', reference: 'Patient/1' }],
  ['unknown key named like an Aidbox key: the string stays', { reference: 'Patient/1', version: 'x' }, { reference: 'Patient/1', version: 'x' }],
  ['primitive extension of the reference', { reference: 'Patient/1', _reference: { extension: [{ url: 'urn:x', valueCode: 'a' }] } },
    { resourceType: 'Patient', id: '1', _reference: { extension: [{ url: 'urn:x', valueCode: 'a' }] } }],
];

describe('reference pairs', () => {
  for (const [name, fhir, aidbox] of pairs) {
    it(`${name}: FHIR -> Aidbox -> FHIR`, () => {
      assert.deepEqual(referenceToAidbox(fhir), aidbox);
      assert.deepEqual(referenceToFhir(aidbox), fhir);
    });
  }
});

describe('references inside resources', () => {
  it('converts every Reference-typed value: subject, arrays, identifier.assigner, extension values', () => {
    const fhir = {
      resourceType: 'Observation', status: 'final', code: { text: 'x' },
      subject: { reference: 'Patient/1' },
      performer: [{ reference: 'Practitioner/2' }, { reference: 'http://other/Organization/3' }],
      identifier: [{ value: 'a', assigner: { reference: 'Organization/4' } }],
      extension: [{ url: 'urn:ext', valueReference: { reference: '#c1' } }],
    };
    const aidbox = {
      resourceType: 'Observation', status: 'final', code: { text: 'x' },
      subject: { resourceType: 'Patient', id: '1' },
      performer: [{ resourceType: 'Practitioner', id: '2' }, { uri: 'http://other/Organization/3' }],
      identifier: [{ value: 'a', assigner: { resourceType: 'Organization', id: '4' } }],
      extension: [{ url: 'urn:ext', value: { Reference: { localRef: 'c1' } } }],
    };
    assert.deepEqual(toAidbox(model, fhir), aidbox);
    assert.deepEqual(toFhir(model, aidbox), fhir);
  });

  it('leaves objects that are not References alone, even with a reference key', () => {
    const fhir = { resourceType: 'Bundle', type: 'transaction', entry: [{ request: { method: 'GET', url: 'Patient/1' } }] };
    assert.deepEqual(toAidbox(model, fhir), fhir);
    const unknown = { resourceType: 'Patient', unknownThing: { reference: 'Patient/1' } };
    assert.deepEqual(toAidbox(model, unknown), unknown);
  });
});

describe('Aidbox input normalized on the way in', () => {
  it('a uri holding a relative reference reads back as resourceType and id', () => {
    assert.deepEqual(referenceToFhir({ uri: 'Patient/1' }), { reference: 'Patient/1' });
    assert.deepEqual(referenceToAidbox({ reference: 'Patient/1' }), { resourceType: 'Patient', id: '1' });
  });

  it('resourceType without id becomes type (a logical reference)', () => {
    assert.deepEqual(referenceToFhir({ resourceType: 'Organization', identifier, display: 'x' }), { type: 'Organization', identifier, display: 'x' });
    assert.deepEqual(referenceToFhir({ resourceType: 'Organization', type: 'Organization', identifier }), { type: 'Organization', identifier });
  });
});

describe('malformed Aidbox references', () => {
  const rows: [string, Record<string, unknown>, string][] = [
    ['two forms', { resourceType: 'Patient', id: '1', uri: 'http://x/Patient/1' }, FORMAT_CODES.referenceAmbiguous],
    ['a form and reference', { localRef: 'x', reference: '#x' }, FORMAT_CODES.referenceAmbiguous],
    ['resourceType and a different type', { resourceType: 'Patient', type: 'Group' }, FORMAT_CODES.referenceAmbiguous],
    ['bad resourceType', { resourceType: 'patient', id: '1' }, FORMAT_CODES.referenceInvalid],
    ['bad id', { resourceType: 'Patient', id: 'a b' }, FORMAT_CODES.referenceInvalid],
    ['id not a string', { resourceType: 'Patient', id: 1 }, FORMAT_CODES.referenceInvalid],
    ['bad version', { resourceType: 'Patient', id: '1', version: '' }, FORMAT_CODES.referenceInvalid],
    ['version without id', { resourceType: 'Patient', version: '2' }, FORMAT_CODES.referenceInvalid],
    ['empty uri', { uri: '' }, FORMAT_CODES.referenceInvalid],
    ['localRef not a string', { localRef: 3 }, FORMAT_CODES.referenceInvalid],
  ];
  for (const [name, aidbox, code] of rows) {
    it(`${name}: 400 ${code} at the reference`, () => {
      const resource = { resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: aidbox };
      assert.equal(errorOf(() => toFhir(model, resource)), `invalid ${code} Observation.subject`);
    });
  }
});
