/**
 * Both patch formats keep the written text of decimals (http://hl7.org/fhir/R4/datatypes.html#decimal):
 * values the patch brings keep theirs, values it moves or copies keep theirs, untouched ones stay.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFhirJson, stringifyFhirJson } from '../../src/core/index.js';
import { applyFhirPathPatch, applyJsonPatch } from '../../src/patch/index.js';

const observation = () => parseFhirJson('{"resourceType":"Observation","status":"final","code":{"text":"w"},'
  + '"valueQuantity":{"value":70.0,"unit":"kg"},"referenceRange":[{"low":{"value":1.50}}]}') as Record<string, unknown>;

test('JSON Patch: add, replace, move and copy keep the texts; the input is unchanged', () => {
  const input = observation();
  const operations = parseFhirJson('[{"op":"replace","path":"/valueQuantity/value","value":72.50},'
    + '{"op":"add","path":"/referenceRange/-","value":{"high":{"value":9.90}}},'
    + '{"op":"copy","from":"/referenceRange/0/low/value","path":"/referenceRange/1/low"},'
    + '{"op":"add","path":"/component","value":[{"code":{"text":"c"},"valueQuantity":{"value":3.0}}]},'
    + '{"op":"move","from":"/component/0/valueQuantity/value","path":"/component/0/valueQuantity/amount"}]');
  const patched = applyJsonPatch(input, operations);
  assert.equal(stringifyFhirJson(patched), '{"resourceType":"Observation","status":"final","code":{"text":"w"},'
    + '"valueQuantity":{"value":72.50,"unit":"kg"},"referenceRange":[{"low":{"value":1.50}},{"high":{"value":9.90},"low":1.50}],'
    + '"component":[{"code":{"text":"c"},"valueQuantity":{"amount":3.0}}]}');
  assert.equal(stringifyFhirJson(input), stringifyFhirJson(observation()));
});

test('JSON Patch: a number the patch writes without a text is written as a JS number', () => {
  const patched = applyJsonPatch(observation(), [{ op: 'replace', path: '/valueQuantity/value', value: 71 }]);
  assert.ok(stringifyFhirJson(patched).includes('"valueQuantity":{"value":71,"unit":"kg"}'));
});

test('FHIRPath Patch: replace and add with valueDecimal keep the text; the rest is copied with its texts', () => {
  const parameters = parseFhirJson('{"resourceType":"Parameters","parameter":[{"name":"operation","part":['
    + '{"name":"type","valueCode":"replace"},{"name":"path","valueString":"Observation.valueQuantity.value"},'
    + '{"name":"value","valueDecimal":0.010}]},{"name":"operation","part":['
    + '{"name":"type","valueCode":"add"},{"name":"path","valueString":"Observation.referenceRange[0]"},'
    + '{"name":"name","valueString":"high"},{"name":"value","valueQuantity":{"value":2.50}}]}]}');
  const patched = applyFhirPathPatch(observation(), parameters);
  assert.equal(stringifyFhirJson(patched), '{"resourceType":"Observation","status":"final","code":{"text":"w"},'
    + '"valueQuantity":{"value":0.010,"unit":"kg"},"referenceRange":[{"low":{"value":1.50},"high":{"value":2.50}}]}');
});
