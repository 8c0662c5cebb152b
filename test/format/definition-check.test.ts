/**
 * formatDefinitionIssues: what makes a StructureDefinition unacceptable for the Aidbox format before
 * it is written: field names that clash with elements, with Aidbox reference keys or with other
 * first-class fields in any object the contexts cover; invalid names, modifier extensions, contexts
 * that name nothing; and type definitions that add an element a first-class field already uses.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { FhirError, type Issue, type Resource } from '../../src/core/index.js';
import { checkFormatDefinition, formatDefinitionIssues, FIRST_CLASS_FIELD_URL, FORMAT_CODES } from '../../src/format/index.js';
import type { FhirModel, StructureDefinition } from '../../src/model/index.js';
import { extensionDefinition, modelWith, race } from './format-fixtures.js';

const URL = 'http://example.org/fhir/StructureDefinition/';
let model: FhirModel;
before(async () => {
  model = await modelWith(race, extensionDefinition({ url: `${URL}mark`, field: 'mark', contexts: ['DomainResource'], valueTypes: ['string'] }));
});

const summary = (issues: Issue[]) => issues.map((issue) => `${issue.code} ${issue.expression?.join()}`);
const simple = (field: string | undefined, contexts: string[], extra: Record<string, unknown> = {}) =>
  ({ ...extensionDefinition({ url: `${URL}candidate`, field, contexts, valueTypes: ['string'] }), ...extra });

describe('extension definitions', () => {
  const rows: [string, Resource, string[]][] = [
    ['a free name in a free context', simple('nickname', ['Patient', 'Practitioner']), []],
    ['no annotation: not a first-class field', simple(undefined, ['Patient.gender']), []],
    ['the name of an element of the context', simple('gender', ['Patient']), [`${FORMAT_CODES.fieldClash} Patient.gender`]],
    ['the name of a choice element (value[x])', simple('value', ['Observation']), [`${FORMAT_CODES.fieldClash} Observation.value`]],
    ['the FHIR key of a choice type', simple('valueString', ['Observation.component']), [`${FORMAT_CODES.fieldClash} Observation.component.valueString`]],
    ['an element of one type a broad context covers', simple('birthDate', ['DomainResource']),
      [`${FORMAT_CODES.fieldClash} Patient.birthDate`, `${FORMAT_CODES.fieldClash} Person.birthDate`, `${FORMAT_CODES.fieldClash} Practitioner.birthDate`,
        `${FORMAT_CODES.fieldClash} RelatedPerson.birthDate`]],
    ['an element of a data type context', simple('family', ['HumanName']), [`${FORMAT_CODES.fieldClash} HumanName.family`]],
    ['an element in a backbone context', simple('relationship', ['Patient.contact']), [`${FORMAT_CODES.fieldClash} Patient.contact.relationship`]],
    ['an element of the objects of a primitive context', simple('id', ['Patient.birthDate']), [`${FORMAT_CODES.fieldClash} Patient.birthDate.id`]],
    ['a key of the Aidbox reference form', simple('uri', ['Reference']), [`${FORMAT_CODES.fieldClash} Reference.uri`]],
    ['a field of another definition on the same objects', simple('race', ['Patient']), [`${FORMAT_CODES.fieldClash} Patient.race`]],
    ['a field of another definition through a base type', simple('mark', ['Observation']), [`${FORMAT_CODES.fieldClash} Observation.mark`]],
    ['the built-in createdAt of Meta', simple('createdAt', ['Meta']), [`${FORMAT_CODES.fieldClash} Meta.createdAt`]],
    ['a name another definition uses elsewhere', simple('race', ['Observation']), []],
    ['an update of the same definition', { ...race, version: '2' }, []],
    ['a name that does not start with a letter', simple('9lives', ['Patient']), [`${FORMAT_CODES.invalidFieldName} StructureDefinition.extension`]],
    ['a name with a dash', simple('nick-name', ['Patient']), [`${FORMAT_CODES.invalidFieldName} StructureDefinition.extension`]],
    ['resourceType', simple('resourceType', ['Patient']), [`${FORMAT_CODES.invalidFieldName} StructureDefinition.extension`]],
    ['an empty annotation', simple('', ['Patient']), [`${FORMAT_CODES.invalidFieldName} StructureDefinition.extension`]],
    ['a modifier extension', { ...extensionDefinition({ url: `${URL}candidate`, field: 'm', contexts: ['Patient'], isModifier: true }) },
      [`${FORMAT_CODES.modifierExtension} StructureDefinition.snapshot`]],
    ['no context', simple('nick', []), [`${FORMAT_CODES.unsupportedContext} StructureDefinition.context`]],
    ['a fhirpath context', simple('nick', ['Patient'], { context: [{ type: 'fhirpath', expression: 'Patient.name' }] }),
      [`${FORMAT_CODES.unsupportedContext} StructureDefinition.context[0]`]],
    ['a context that names nothing', simple('nick', ['Patient', 'Patient.nothing']), [`${FORMAT_CODES.unknownContext} StructureDefinition.context[1].expression`]],
  ];
  for (const [name, definition, expected] of rows) {
    it(name, () => assert.deepEqual(summary(formatDefinitionIssues(model, definition)).sort(), [...expected].sort()));
  }

  it('a sub-extension with neither a url nor a profile', () => {
    const definition = extensionDefinition({ url: `${URL}candidate`, field: 'parts', contexts: ['Patient'], parts: [{ name: 'a' }] });
    const elements = (definition.differential as { element: { id?: string }[] }).element.filter((element) => element.id !== 'Extension.extension:a.url');
    assert.deepEqual(summary(formatDefinitionIssues(model, { ...definition, differential: { element: elements } } as never)),
      [`${FORMAT_CODES.invalidDefinition} StructureDefinition.snapshot`]);
  });

  it('issues are errors of a kind that answers 422', () => {
    const [issue] = formatDefinitionIssues(model, simple('gender', ['Patient']));
    assert.equal(issue.severity, 'error');
    assert.notEqual(issue.type, 'structure');
  });

  it('checkFormatDefinition, the check run before commit, throws a 422 error carrying every issue', () => {
    const definition = simple('name', ['Patient', 'Practitioner']);
    assert.throws(() => checkFormatDefinition(definition, model), (error: unknown) => error instanceof FhirError
      && error.category === 'unprocessable' && error.code === FORMAT_CODES.fieldClash
      && error.issues.map((issue) => issue.expression?.join()).join() === 'Patient.name,Practitioner.name');
    assert.doesNotThrow(() => checkFormatDefinition(simple('nickname', ['Patient']), model));
  });
});

function customType(elementName: string): StructureDefinition {
  const base = 'http://example.org/fhir/StructureDefinition/Gadget';
  return {
    resourceType: 'StructureDefinition', url: base, name: 'Gadget', status: 'active', kind: 'resource', abstract: false, type: 'Gadget',
    baseDefinition: 'http://hl7.org/fhir/StructureDefinition/DomainResource', derivation: 'specialization',
    snapshot: { element: [
      { id: 'Gadget', path: 'Gadget', min: 0, max: '*' },
      { id: 'Gadget.id', path: 'Gadget.id', min: 0, max: '1', type: [{ code: 'id' }] },
      { id: `Gadget.${elementName}`, path: `Gadget.${elementName}`, min: 0, max: '1', type: [{ code: 'string' }] },
    ] },
  } as StructureDefinition;
}

describe('type definitions', () => {
  it('a new type whose element a first-class field of a base type already uses', () => {
    assert.deepEqual(summary(formatDefinitionIssues(model, customType('mark'))), [`${FORMAT_CODES.fieldClash} Gadget.mark`]);
  });

  it('a new type without such an element', () => {
    assert.deepEqual(formatDefinitionIssues(model, customType('colour')), []);
  });

  it('other resources are not checked', () => {
    assert.deepEqual(formatDefinitionIssues(model, { resourceType: 'Patient', extension: [{ url: FIRST_CLASS_FIELD_URL, valueCode: 'gender' }] }), []);
  });
});
