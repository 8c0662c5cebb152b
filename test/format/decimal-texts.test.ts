/**
 * The Aidbox format conversion keeps the written text of decimals both ways, also where a choice
 * element changes its key (valueQuantity <-> value.Quantity, valueDecimal <-> value.decimal) and in
 * arrays.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { parseFhirJson, stringifyFhirJson, type Resource } from '../../src/core/index.js';
import { toAidbox, toFhir } from '../../src/format/index.js';
import type { FhirModel } from '../../src/model/index.js';
import { modelWith } from './format-fixtures.js';

let model: FhirModel;
before(async () => { model = await modelWith(); });

const fhirText = '{"resourceType":"Observation","status":"final","code":{"text":"w"},"valueQuantity":{"value":105.00,"unit":"kg"},'
  + '"component":[{"code":{"text":"c"},"valueQuantity":{"value":1.0}}],'
  + '"extension":[{"url":"http://example.org/x","valueDecimal":0.010}]}';

test('FHIR -> Aidbox -> FHIR keeps 105.00, 1.0 and 0.010', () => {
  const aidbox = toAidbox(model, parseFhirJson(fhirText) as Resource);
  const aidboxText = stringifyFhirJson(aidbox);
  assert.ok(aidboxText.includes('"value":{"Quantity":{"value":105.00,"unit":"kg"}}'), aidboxText);
  assert.ok(aidboxText.includes('"value":{"Quantity":{"value":1.0}}'), aidboxText);
  assert.ok(aidboxText.includes('"value":{"decimal":0.010}'), aidboxText);
  assert.equal(stringifyFhirJson(toFhir(model, aidbox)), fhirText);
  assert.equal(stringifyFhirJson(toFhir(model, parseFhirJson(aidboxText) as Resource)), fhirText);
});
