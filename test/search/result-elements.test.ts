/**
 * _summary and _elements over the real R4 core model (http://hl7.org/fhir/R4/search.html#summary,
 * http://hl7.org/fhir/R4/search.html#elements): what each mode keeps, the SUBSETTED tag, no mutation.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Resource } from '../../src/core/index.js';
import { loadCoreModel, type FhirModel } from '../../src/model/index.js';
import { selectElements, SUBSETTED, summarize } from '../../src/search/results/result-elements.js';

let model: FhirModel;
before(async () => { model = await loadCoreModel(); });

const narrative = { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">Peter</div>' };

const patient: Resource = {
  resourceType: 'Patient',
  id: 'pt-1',
  meta: { versionId: '3', tag: [{ system: 'http://example.org/tags', code: 'demo' }] },
  text: narrative,
  extension: [{ url: 'http://example.org/ext', valueString: 'x' }],
  name: [{ family: 'Chalmers', given: ['Peter', 'James'], extension: [{ url: 'http://example.org/n', valueString: 'n' }] }],
  gender: 'male',
  birthDate: '1974-12-25',
  _birthDate: { extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/patient-birthTime', valueDateTime: '1974-12-25T14:35:45-05:00' }] },
  maritalStatus: { text: 'married' },
  contact: [{ relationship: [{ text: 'next of kin' }], name: { family: 'du Marché' } }],
  communication: [{ language: { text: 'Dutch' }, preferred: true }],
  photo: [{ contentType: 'image/gif', data: 'R0lGOD' }],
  link: [{ other: { reference: 'Patient/pt-2' }, type: 'seealso', extension: [{ url: 'http://example.org/l', valueString: 'l' }] }],
};

const observation: Resource = {
  resourceType: 'Observation',
  id: 'obs-1',
  text: narrative,
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] },
  subject: { reference: 'Patient/pt-1' },
  valueQuantity: { value: 5.4, unit: 'mmol/L', system: 'http://unitsofmeasure.org', code: 'mmol/L' },
  interpretation: [{ text: 'high' }],
  note: [{ text: 'fasting' }],
  component: [{
    code: { text: 'systolic' },
    valueQuantity: { value: 107, unit: 'mmHg' },
    interpretation: [{ text: 'normal' }],
    referenceRange: [{ text: '<120' }],
  }],
};

function subsettedTags(resource: Resource): number {
  return (resource.meta?.tag ?? []).filter((tag) => tag.system === SUBSETTED.system && tag.code === SUBSETTED.code).length;
}

function keys(resource: Resource): string[] {
  return Object.keys(resource).sort();
}

describe('_summary', () => {
  it('true keeps the summary elements of Patient and drops text, contact, communication and photo', () => {
    const result = summarize(patient, 'true', model);
    assert.deepEqual(keys(result), ['_birthDate', 'birthDate', 'gender', 'id', 'link', 'meta', 'name', 'resourceType']);
    assert.equal(subsettedTags(result), 1);
    assert.deepEqual(result.meta?.tag?.[0], { system: 'http://example.org/tags', code: 'demo' });
    assert.equal(result.meta?.versionId, '3');
  });

  it('true trims complex values to their summary children (data types and BackboneElements)', () => {
    const result = summarize(patient, 'true', model);
    // HumanName.extension and BackboneElement.extension are not summary; their other children are.
    assert.deepEqual(result.name, [{ family: 'Chalmers', given: ['Peter', 'James'] }]);
    assert.deepEqual(result.link, [{ other: { reference: 'Patient/pt-2' }, type: 'seealso' }]);
    assert.deepEqual(result._birthDate, patient._birthDate);
  });

  it('true keeps Observation.valueQuantity and only the summary parts of component', () => {
    const result = summarize(observation, 'true', model);
    assert.deepEqual(keys(result), ['code', 'component', 'id', 'meta', 'resourceType', 'status', 'subject', 'valueQuantity']);
    assert.deepEqual(result.valueQuantity, observation.valueQuantity);
    assert.deepEqual(result.component, [{ code: { text: 'systolic' }, valueQuantity: { value: 107, unit: 'mmHg' } }]);
  });

  it('true leaves a resource that holds only summary elements untagged', () => {
    const plain: Resource = { resourceType: 'Patient', id: 'p', gender: 'female', name: [{ family: 'Doe' }] };
    assert.deepEqual(summarize(plain, 'true', model), plain);
  });

  it('text keeps id, meta, text and the mandatory top-level elements', () => {
    assert.deepEqual(keys(summarize(patient, 'text', model)), ['id', 'meta', 'resourceType', 'text']);
    const result = summarize(observation, 'text', model);
    assert.deepEqual(keys(result), ['code', 'id', 'meta', 'resourceType', 'status', 'text']);
    assert.deepEqual(result.text, narrative);
    assert.equal(subsettedTags(result), 1);
  });

  it('data removes only the text', () => {
    const result = summarize(patient, 'data', model);
    const { text: _text, meta: _meta, ...rest } = patient;
    const { meta, ...resultRest } = result;
    assert.deepEqual(resultRest, rest);
    assert.equal(subsettedTags(result), 1);
    assert.equal(meta?.versionId, '3');
  });

  it('data on a resource without text removes nothing and adds no tag', () => {
    const plain: Resource = { resourceType: 'Observation', status: 'final', code: { text: 'x' } };
    assert.deepEqual(summarize(plain, 'data', model), plain);
  });

  it('false returns the resource unchanged', () => {
    assert.equal(summarize(patient, 'false', model), patient);
  });

  it('keeps everything of a type the model does not know, tagged, except text for data', () => {
    const custom: Resource = { resourceType: 'Spaceship', id: 's', text: narrative, hull: 'steel' };
    const summary = summarize(custom, 'true', model);
    assert.deepEqual({ ...summary, meta: undefined }, { ...custom, meta: undefined });
    assert.equal(subsettedTags(summary), 1);
    assert.deepEqual(keys(summarize(custom, 'data', model)), ['hull', 'id', 'meta', 'resourceType']);
  });
});

describe('_elements', () => {
  it('keeps the listed elements with resourceType, id and meta', () => {
    const result = selectElements(patient, ['name', 'birthDate'], model);
    assert.deepEqual(keys(result), ['_birthDate', 'birthDate', 'id', 'meta', 'name', 'resourceType']);
    assert.deepEqual(result.name, patient.name);
    assert.equal(subsettedTags(result), 1);
  });

  it('keeps a choice element by its name, and the mandatory elements', () => {
    const result = selectElements(observation, ['value'], model);
    assert.deepEqual(keys(result), ['code', 'id', 'meta', 'resourceType', 'status', 'valueQuantity']);
    assert.deepEqual(result.valueQuantity, observation.valueQuantity);
    assert.deepEqual(keys(selectElements(observation, ['valueQuantity'], model)), keys(result));
    assert.deepEqual(keys(selectElements(observation, ['valueString'], model)), ['code', 'id', 'meta', 'resourceType', 'status']);
  });

  it('ignores unknown names, blanks and a Type. prefix', () => {
    const result = selectElements(patient, ['nonsense', ' ', 'Patient.gender', 'valueQuantity'], model);
    assert.deepEqual(keys(result), ['gender', 'id', 'meta', 'resourceType']);
  });

  it('does not tag when every element was listed', () => {
    const plain: Resource = { resourceType: 'Patient', id: 'p', gender: 'female' };
    assert.deepEqual(selectElements(plain, ['gender'], model), plain);
  });

  it('selects by name on a type the model does not know, always tagged', () => {
    const custom: Resource = { resourceType: 'Spaceship', id: 's', hull: 'steel', valueString: 'v', crew: 3 };
    const result = selectElements(custom, ['hull', 'value'], model);
    assert.deepEqual(keys(result), ['hull', 'id', 'meta', 'resourceType', 'valueString']);
    assert.equal(subsettedTags(result), 1);
  });
});

describe('SUBSETTED tag and the input', () => {
  it('is added once even when the resource already carries it', () => {
    const tagged: Resource = { ...patient, meta: { tag: [{ ...SUBSETTED }] } };
    assert.equal(subsettedTags(summarize(tagged, 'true', model)), 1);
    assert.equal(subsettedTags(summarize(tagged, 'text', model)), 1);
    assert.equal(subsettedTags(selectElements(tagged, ['gender'], model)), 1);
  });

  it('creates meta when the resource has none', () => {
    const result = summarize(observation, 'text', model);
    assert.deepEqual(result.meta, { tag: [SUBSETTED] });
  });

  it('never changes the input', () => {
    const before = structuredClone([patient, observation]);
    for (const resource of [patient, observation]) {
      for (const mode of ['true', 'text', 'data', 'false'] as const) summarize(resource, mode, model);
      selectElements(resource, ['name', 'value'], model);
    }
    assert.deepEqual([patient, observation], before);
  });
});
