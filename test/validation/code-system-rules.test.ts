/**
 * The rules of CodeSystem property definitions and supplements (table-driven): each case is a
 * CodeSystem and the errors (code and expression) it must produce; valid ones produce no error.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Issue } from '../../src/core/index.js';
import { loadCoreModel } from '../../src/model/index.js';
import { FhirValidator } from '../../src/validation/index.js';

let validator: FhirValidator;
before(async () => { validator = new FhirValidator(await loadCoreModel()); });

const errorsOf = (issues: Issue[]) => issues.filter((issue) => issue.severity === 'error').map((issue) => [issue.code, issue.expression?.[0]]);
const standard = (code: string) => `http://hl7.org/fhir/concept-properties#${code}`;
const codeSystem = (overrides: object) => ({ resourceType: 'CodeSystem', url: 'http://example.org/cs', status: 'draft', content: 'complete', ...overrides });
const withProperties = (property: object[], concept: object[] = [{ code: 'a' }]) => codeSystem({ property, concept });
const supplement = (overrides: object) => codeSystem({ content: 'supplement', supplements: 'http://hl7.org/fhir/administrative-gender', ...overrides });

const valid: [string, object][] = [
  ['standard properties with their types and codes, and values of those types', withProperties([
    { code: 'inactive', uri: standard('inactive'), type: 'boolean' },
    { code: 'deprecated', uri: standard('deprecated'), type: 'dateTime' },
    { code: 'parent', uri: standard('parent'), type: 'code' },
    { code: 'comment', uri: standard('comment'), type: 'string' },
    { code: 'itemWeight', uri: standard('itemWeight'), type: 'decimal' },
    { code: 'source', uri: 'http://example.org/properties#source', type: 'Coding' },
  ], [
    { code: 'a', property: [{ code: 'inactive', valueBoolean: false }, { code: 'comment', valueString: 'x' }, { code: 'itemWeight', valueDecimal: 1.5 }] },
    { code: 'b', property: [{ code: 'parent', valueCode: 'a' }, { code: 'deprecated', valueDateTime: '2020-01-01' }, { code: 'source', valueCoding: { code: 's' } }],
      concept: [{ code: 'c', property: [{ code: 'inactive', valueBoolean: true }] }] },
  ])],
  ['a standard URI with a code that names no other standard property', withProperties([{ code: 'not-selectable', uri: standard('notSelectable'), type: 'boolean' }])],
  ['a concept property whose code no definition declares (not checked)', codeSystem({ concept: [{ code: 'a', property: [{ code: 'undeclared', valueInteger: 1 }] }] })],
  ['a supplement of a core code system that adds designations to its codes', supplement({
    concept: [{ code: 'male', designation: [{ language: 'fr', value: 'homme' }] }, { code: 'female', designation: [{ language: 'fr', value: 'femme' }] }],
  })],
  ['a supplement of a code system that is not loaded (its codes cannot be checked)', supplement({ supplements: 'http://loinc.org', concept: [{ code: 'anything' }] })],
];

const invalid: [string, object, [string, string][]][] = [
  ['a standard URI declared with another type', withProperties([{ code: 'notSelectable', uri: standard('notSelectable'), type: 'dateTime' }]),
    [['validation.code-system-property', 'CodeSystem.property[0]']]],
  ['a standard URI given the code of another standard property', withProperties([{ code: 'inactive', uri: standard('deprecationDate'), type: 'dateTime' }]),
    [['validation.code-system-property', 'CodeSystem.property[0]']]],
  ['a URI of the HL7 namespace that is no standard property', withProperties([{ code: 'order', uri: standard('order'), type: 'decimal' }]),
    [['validation.code-system-property', 'CodeSystem.property[0]']]],
  ['two properties with the same code', withProperties([{ code: 'x', type: 'string' }, { code: 'y', type: 'string' }, { code: 'x', type: 'code' }]),
    [['validation.code-system-property-duplicate', 'CodeSystem.property[2]']]],
  ['two properties with the same URI', withProperties([{ code: 'x', uri: 'http://example.org/p#x', type: 'string' }, { code: 'y', uri: 'http://example.org/p#x', type: 'string' }]),
    [['validation.code-system-property-duplicate', 'CodeSystem.property[1]']]],
  ['a concept property value of another type than declared', withProperties([{ code: 'synonym', type: 'decimal' }], [{ code: 'a', property: [{ code: 'synonym', valueInteger: 12 }] }]),
    [['validation.code-system-property-value', 'CodeSystem.concept[0].property[0]']]],
  ['a Coding where a code is declared, in a nested concept', withProperties([{ code: 'parent', uri: standard('parent'), type: 'code' }],
    [{ code: 'a', concept: [{ code: 'b', property: [{ code: 'parent', valueCoding: { code: 'a' } }] }] }]),
    [['validation.code-system-property-value', 'CodeSystem.concept[0].concept[0].property[0]']]],
  ['a value checked against the first of two definitions of its code', withProperties([{ code: 'x', type: 'dateTime' }, { code: 'x', type: 'boolean' }], [{ code: 'a', property: [{ code: 'x', valueBoolean: true }] }]),
    [['validation.code-system-property-duplicate', 'CodeSystem.property[1]'], ['validation.code-system-property-value', 'CodeSystem.concept[0].property[0]']]],
  ['a supplement whose content is not supplement', supplement({ content: 'complete', concept: [{ code: 'male' }] }),
    [['validation.code-system-supplement', 'CodeSystem.content']]],
  ['a supplement that defines codes its base lacks', supplement({ concept: [{ code: 'male' }, { code: 'unicorn', concept: [{ code: 'pegasus' }] }] }),
    [['validation.code-system-supplement-code', 'CodeSystem.concept[1]'], ['validation.code-system-supplement-code', 'CodeSystem.concept[1].concept[0]']]],
  ['a code system in a Bundle (the path starts at the entry)', { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'http://example.org/fhir/CodeSystem/x', resource: withProperties([{ code: 'x', uri: standard('x'), type: 'code' }]) }] },
    [['validation.code-system-property', 'Bundle.entry[0].resource.property[0]']]],
];

describe('valid CodeSystem properties and supplements', () => {
  for (const [name, resource] of valid) {
    it(name, () => assert.deepEqual(errorsOf(validator.walk(resource).issues), []));
  }
});

describe('CodeSystem property and supplement errors', () => {
  for (const [name, resource, expected] of invalid) {
    it(name, () => assert.deepEqual(errorsOf(validator.walk(resource).issues), expected));
  }

  it('reports the rules as business rules', () => {
    const issues = validator.walk(withProperties([{ code: 'order', uri: standard('order'), type: 'decimal' }])).issues;
    assert.deepEqual(issues.filter((issue) => issue.severity === 'error').map((issue) => issue.type), ['business-rule']);
  });

  it('leaves the rules out of a structural check', () => {
    const issues = validator.walk(withProperties([{ code: 'order', uri: standard('order'), type: 'decimal' }]), { structureOnly: true }).issues;
    assert.deepEqual(errorsOf(issues), []);
  });
});
