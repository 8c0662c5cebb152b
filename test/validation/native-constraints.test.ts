/**
 * The invariants evaluated natively give the verdict the FHIRPath engine gives on the published
 * expression (table-driven): ref-1 on references, dom-2, dom-4 and dom-5 on contained resources,
 * qty-3 on quantities, per-1 on periods (the
 * values it leaves to the engine included), dom-3 on resources with contained resources, ext-1
 * and ele-1 on elements.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { evaluateFhirPath } from '../../src/fhirpath/index.js';
import { loadCoreModel } from '../../src/model/index.js';
import { FhirValidator } from '../../src/validation/index.js';
import { NATIVE_CONSTRAINTS } from '../../src/validation/schema/native-constraints.js';

let validator: FhirValidator;
before(async () => { validator = new FhirValidator(await loadCoreModel()); });

/** The engine's verdict: only a false result fails. */
function enginePasses(input: unknown, expression: string, options: Parameters<typeof evaluateFhirPath>[2]): boolean {
  const result = evaluateFhirPath(input, expression, options);
  return !(result.length === 1 && result[0] === false);
}

const root = { resourceType: 'Observation', contained: [{ resourceType: 'Patient', id: 'p' }] };
const references: [string, object][] = [
  ['no reference', { display: 'x' }],
  ['a relative reference', { reference: 'Patient/1' }],
  ['a contained reference that resolves', { reference: '#p' }],
  ['a contained reference that does not resolve', { reference: '#q' }],
  ['a reference to the container', { reference: '#' }],
];

describe('ref-1', () => {
  const native = NATIVE_CONSTRAINTS['ref-1'];
  for (const [name, reference] of references) {
    it(name, () => {
      const expected = enginePasses(reference, native.expression, { base: 'Reference', variables: { rootResource: root, resource: root } });
      assert.equal(native.check?.(reference, root), expected);
    });
  }
});

const quantities: [string, object][] = [
  ['a value only', { value: 1 }],
  ['a code and a system', { value: 1, code: 'mg', system: 'http://unitsofmeasure.org' }],
  ['a code without a system', { value: 1, code: 'mg' }],
  ['a system without a code', { value: 1, system: 'http://unitsofmeasure.org' }],
];

describe('qty-3', () => {
  const native = NATIVE_CONSTRAINTS['qty-3'];
  for (const [name, quantity] of quantities) {
    it(name, () => assert.equal(native.check?.(quantity, undefined), enginePasses(quantity, native.expression, { base: 'Quantity' })));
  }
});

const periods: [string, object, boolean | undefined][] = [
  ['in order, same zone', { start: '2020-01-01T10:00:00Z', end: '2020-01-01T11:00:00Z' }, true],
  ['reversed, same zone', { start: '2020-01-01T11:00:00Z', end: '2020-01-01T10:00:00Z' }, false],
  ['in order across zones', { start: '2020-01-01T10:00:00+02:00', end: '2020-01-01T09:30:00Z' }, true],
  ['reversed across zones', { start: '2020-01-01T10:00:00-02:00', end: '2020-01-01T11:30:00Z' }, false],
  ['equal instants', { start: '2020-01-01T10:00:00.500Z', end: '2020-01-01T10:00:00.500Z' }, true],
  ['milliseconds decide', { start: '2020-01-01T10:00:00.501Z', end: '2020-01-01T10:00:00.500Z' }, false],
  ['only a start', { start: '2020-01-01T10:00:00Z' }, true],
  ['a date and a dateTime (left to the engine)', { start: '2023-06-21', end: '2023-06-21T06:20:00Z' }, undefined],
  ['two dates (left to the engine)', { start: '2020-01-02', end: '2020-01-01' }, undefined],
];

describe('per-1', () => {
  const native = NATIVE_CONSTRAINTS['per-1'];
  for (const [name, period, verdict] of periods) {
    it(name, () => {
      assert.equal(native.check?.(period, undefined), verdict);
      if (verdict !== undefined) assert.equal(verdict, enginePasses(period, native.expression, { base: 'Period' }));
      const failed = validator.walk({ resourceType: 'Encounter', status: 'finished', class: { code: 'AMB' }, period }).issues.some((issue) => issue.diagnostics.includes('per-1'));
      assert.equal(!failed, enginePasses(period, native.expression, { base: 'Period' }));
    });
  }
});

const withContained: [string, object][] = [
  ['no contained resources', { resourceType: 'Observation' }],
  ['plain contained resources', { resourceType: 'Observation', contained: [{ resourceType: 'Patient', id: 'p', meta: { profile: ['http://x'] } }] }],
  ['a contained resource containing one', { resourceType: 'Observation', contained: [{ resourceType: 'Patient', id: 'p', contained: [{ resourceType: 'Patient', id: 'q' }] }] }],
  ['a contained resource with a version', { resourceType: 'Observation', contained: [{ resourceType: 'Patient', id: 'p', meta: { versionId: '1' } }] }],
  ['a contained resource with a last update', { resourceType: 'Observation', contained: [{ resourceType: 'Patient', id: 'p', meta: { lastUpdated: '2020-01-01T00:00:00Z' } }] }],
  ['a contained resource with security labels', { resourceType: 'Observation', contained: [{ resourceType: 'Patient', id: 'p', meta: { security: [{ code: 'R' }] } }] }],
];

describe('dom-2, dom-4, dom-5', () => {
  for (const key of ['dom-2', 'dom-4', 'dom-5']) {
    const native = NATIVE_CONSTRAINTS[key];
    for (const [name, resource] of withContained) {
      it(`${key}: ${name}`, () => assert.equal(native.check?.(resource, resource), enginePasses(resource, native.expression, { variables: { resource, rootResource: resource } })));
    }
  }
});

const dom3 = NATIVE_CONSTRAINTS['dom-3'].expression.replace(/%resource\.descendants\(\)\.as\((canonical|uri|url)\)/g, '%resource.descendants().ofType($1)');
const containers: [string, object][] = [
  ['referenced by a reference', { resourceType: 'Observation', status: 'final', code: { text: 'x' }, contained: [{ resourceType: 'Patient', id: 'p' }], subject: { reference: '#p' } }],
  ['referenced by a canonical', { resourceType: 'Questionnaire', status: 'draft', contained: [{ resourceType: 'ValueSet', id: 'v', status: 'draft' }], item: [{ linkId: '1', type: 'choice', answerValueSet: '#v' }] }],
  ['referring to its container', { resourceType: 'Observation', status: 'final', code: { text: 'x' }, contained: [{ resourceType: 'Provenance', id: 'v', recorded: '2020-01-01T00:00:00Z', agent: [{ who: { display: 'a' } }], target: [{ reference: '#' }] }] }],
  ['not referenced', { resourceType: 'Observation', status: 'final', code: { text: 'x' }, contained: [{ resourceType: 'Patient', id: 'p' }] }],
  ['referenced by a string that is not a reference', { resourceType: 'Observation', status: 'final', code: { text: '#p' }, contained: [{ resourceType: 'Patient', id: 'p' }] }],
  ['one of two referenced', { resourceType: 'Observation', status: 'final', code: { text: 'x' }, contained: [{ resourceType: 'Patient', id: 'p' }, { resourceType: 'Patient', id: 'q' }], subject: { reference: '#p' } }],
  ['without an id', { resourceType: 'Observation', status: 'final', code: { text: 'x' }, contained: [{ resourceType: 'Patient' }] }],
];

describe('dom-3', () => {
  for (const [name, resource] of containers) {
    it(name, () => {
      const expected = enginePasses(resource, dom3, { variables: { resource, rootResource: resource } });
      const failed = validator.walk(resource).issues.some((issue) => issue.diagnostics.includes('dom-3'));
      assert.equal(!failed, expected);
    });
  }
});

const elements: [string, object][] = [
  ['an extension with a value', { url: 'http://example.org/a', valueString: 'x' }],
  ['an extension with extensions', { url: 'http://example.org/a', extension: [{ url: 'b', valueString: 'x' }] }],
  ['an extension with both', { url: 'http://example.org/a', valueString: 'x', extension: [{ url: 'b', valueString: 'x' }] }],
  ['an extension with neither', { url: 'http://example.org/a' }],
];

describe('ext-1', () => {
  for (const [name, extension] of elements) {
    it(name, () => {
      const expected = enginePasses(extension, NATIVE_CONSTRAINTS['ext-1'].expression, { base: 'Extension' });
      const failed = validator.walk({ resourceType: 'Patient', extension: [extension] }).issues.some((issue) => issue.diagnostics.includes('ext-1'));
      assert.equal(!failed, expected);
    });
  }
});

describe('ele-1', () => {
  for (const [name, value, expected] of [['an element with children', { text: 'x' }, true], ['an element with only an id', { id: 'a' }, false]] as const) {
    it(name, () => {
      assert.equal(enginePasses(value, NATIVE_CONSTRAINTS['ele-1'].expression, { base: 'CodeableConcept' }), expected);
      const failed = validator.walk({ resourceType: 'Patient', maritalStatus: value }).issues.some((issue) => issue.diagnostics.includes('ele-1'));
      assert.equal(!failed, expected);
    });
  }
});
