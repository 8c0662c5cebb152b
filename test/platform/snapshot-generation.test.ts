/**
 * Snapshots generated for resource types defined by a differential only: the base elements of
 * DomainResource or Resource, the differential's elements in tree order, the id / extension /
 * modifierExtension children of inline elements, choice types and contentReference; definitions
 * that cannot compile are errors. Also the model's lookup of extension definitions by URL.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { compileTypeSchema, generateSnapshot, loadCoreModel, SnapshotError, type FhirModel, type StructureDefinition } from '../../src/model/index.js';

let model: FhirModel;
before(async () => { model = await loadCoreModel(); });

const source = () => ({
  structureDefinition: (name: string) => model.structureDefinition(name),
  isKnownType: (code: string) => model.getType(code) !== undefined,
});

function definition(type: string, elements: object[], base = 'DomainResource'): StructureDefinition {
  return {
    resourceType: 'StructureDefinition', url: `http://example.org/fhir/StructureDefinition/${type}`, name: type, status: 'active',
    kind: 'resource', abstract: false, type, derivation: 'specialization',
    baseDefinition: `http://hl7.org/fhir/StructureDefinition/${base}`, differential: { element: elements as never },
  } as StructureDefinition;
}

const device = definition('Gadget', [
  { path: 'Gadget', short: 'A gadget' },
  { path: 'Gadget.identifier', min: 0, max: '*', type: [{ code: 'Identifier' }] },
  { path: 'Gadget.part', min: 0, max: '*', type: [{ code: 'BackboneElement' }] },
  { path: 'Gadget.part.label', min: 1, max: '1', type: [{ code: 'string' }] },
  { path: 'Gadget.part.subpart', min: 0, max: '*', contentReference: '#Gadget.part' },
  { path: 'Gadget.measure[x]', type: [{ code: 'Quantity' }, { code: 'string' }] },
  { path: 'Gadget.owner', type: [{ code: 'Reference', targetProfile: ['http://hl7.org/fhir/StructureDefinition/Patient'] }] },
]);

describe('generated snapshots', () => {
  it('put the base elements, then the differential in tree order, with inline children', () => {
    const paths = generateSnapshot(device, source()).map((element) => element.path);
    assert.deepEqual(paths, [
      'Gadget', 'Gadget.id', 'Gadget.meta', 'Gadget.implicitRules', 'Gadget.language', 'Gadget.text', 'Gadget.contained',
      'Gadget.extension', 'Gadget.modifierExtension', 'Gadget.identifier', 'Gadget.part', 'Gadget.part.id', 'Gadget.part.extension',
      'Gadget.part.modifierExtension', 'Gadget.part.label', 'Gadget.part.subpart', 'Gadget.measure[x]', 'Gadget.owner',
    ]);
  });

  it('complete cardinalities and bases, and keep the base elements as the base type defines them', () => {
    const elements = new Map(generateSnapshot(device, source()).map((element) => [element.path, element]));
    assert.deepEqual(elements.get('Gadget.owner')?.base, { path: 'Gadget.owner', min: 0, max: '1' });
    assert.deepEqual([elements.get('Gadget.part.label')?.min, elements.get('Gadget.part.label')?.max], [1, '1']);
    assert.equal(elements.get('Gadget.text')?.base?.path, 'DomainResource.text');
    assert.equal(elements.get('Gadget.part.id')?.base?.path, 'Element.id');
    assert.equal(elements.get('Gadget')?.short, 'A gadget');
  });

  it('compile into a type with arrays, choice types, inline children and recursion', () => {
    const schema = compileTypeSchema({ ...device, snapshot: { element: generateSnapshot(device, source()) } });
    assert.equal(schema.elements.get('identifier')?.isArray, true);
    assert.deepEqual([...schema.keys.keys()].filter((key) => key.startsWith('measure')).sort(), ['measureQuantity', 'measureString']);
    const part = schema.elements.get('part');
    assert.deepEqual([...(part?.children?.elements.keys() ?? [])], ['id', 'extension', 'modifierExtension', 'label', 'subpart']);
    assert.equal(part?.children?.elements.get('subpart')?.contentReference, 'Gadget.part');
  });

  it('start from Resource when that is the base', () => {
    const paths = generateSnapshot(definition('Tiny', [{ path: 'Tiny.note', type: [{ code: 'string' }] }], 'Resource'), source()).map((e) => e.path);
    assert.deepEqual(paths, ['Tiny', 'Tiny.id', 'Tiny.meta', 'Tiny.implicitRules', 'Tiny.language', 'Tiny.note']);
  });

  const broken: [string, object[], RegExp][] = [
    ['an unknown type', [{ path: 'Bad.x', type: [{ code: 'Wibble' }] }], /unknown type/],
    ['no type', [{ path: 'Bad.x' }], /needs a type/],
    ['several types without [x]', [{ path: 'Bad.x', type: [{ code: 'string' }, { code: 'integer' }] }], /choice/],
    ['a child of an element that is not inline', [{ path: 'Bad.x', type: [{ code: 'string' }] }, { path: 'Bad.x.y', type: [{ code: 'string' }] }], /parent/],
    ['a child before its parent', [{ path: 'Bad.x.y', type: [{ code: 'string' }] }, { path: 'Bad.x', type: [{ code: 'BackboneElement' }] }], /parent/],
    ['a child of a base element', [{ path: 'Bad.text.extra', type: [{ code: 'string' }] }], /parent/],
    ['a path of another type', [{ path: 'Other.x', type: [{ code: 'string' }] }], /start with Bad/],
    ['an element defined twice', [{ path: 'Bad.x', type: [{ code: 'string' }] }, { path: 'Bad.x', type: [{ code: 'string' }] }], /twice/],
    ['a bad element name', [{ path: 'Bad.X-y', type: [{ code: 'string' }] }], /not a valid element name/],
    ['a slice', [{ path: 'Bad.x', sliceName: 's', type: [{ code: 'string' }] }], /slicing/],
    ['a bad max', [{ path: 'Bad.x', max: 'many', type: [{ code: 'string' }] }], /max/],
    ['max below min', [{ path: 'Bad.x', min: 2, max: '1', type: [{ code: 'string' }] }], /less than min/],
    ['a contentReference to nothing', [{ path: 'Bad.x', contentReference: '#Bad.nothing' }], /contentReference/],
    ['a contentReference with a type', [{ path: 'Bad.p', type: [{ code: 'BackboneElement' }] }, { path: 'Bad.x', contentReference: '#Bad.p', type: [{ code: 'string' }] }], /no type/],
    ['a JSON name clash of a choice', [{ path: 'Bad.value[x]', type: [{ code: 'string' }] }, { path: 'Bad.valueString', type: [{ code: 'string' }] }], /JSON name/],
  ];
  for (const [title, elements, message] of broken) {
    it(`reject ${title}`, () => {
      assert.throws(() => generateSnapshot(definition('Bad', elements), source()), (error: Error) => error instanceof SnapshotError && message.test(error.message));
    });
  }

  it('reject a base that is not DomainResource or Resource, and a type name that is not one', () => {
    assert.throws(() => generateSnapshot(definition('Bad', [], 'Patient'), source()), SnapshotError);
    assert.throws(() => generateSnapshot(definition('bad-name', []), source()), SnapshotError);
  });

  it('are made by the model when a definition without a snapshot is added', () => {
    model.addDefinition({ ...device, url: 'http://example.org/fhir/StructureDefinition/Gadget' });
    assert.ok(model.isResourceType('Gadget'));
    assert.equal(model.structureDefinition('Gadget')?.snapshot?.element.length, 18);
    assert.equal(model.elementAtPath('Gadget.part.subpart.label')?.types[0].code, 'string');
    model.removeDefinition(device);
    assert.equal(model.isResourceType('Gadget'), false);
  });
});

describe('extension definitions', () => {
  it('are looked up by URL with the value types they allow', () => {
    assert.deepEqual(model.extensionDefinition('http://hl7.org/fhir/StructureDefinition/patient-birthPlace'),
      { url: 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace', valueTypes: ['Address'] });
    assert.equal(model.extensionDefinition('http://hl7.org/fhir/StructureDefinition/Patient'), undefined);
    assert.equal(model.extensionDefinition('http://example.org/unknown'), undefined);
  });

  it('follow definitions added and removed, from a differential too, and know extensions without a value', () => {
    const url = 'http://example.org/fhir/StructureDefinition/shoe-size';
    const shoeSize = {
      resourceType: 'StructureDefinition', url, name: 'ShoeSize', status: 'active', kind: 'complex-type', abstract: false,
      type: 'Extension', derivation: 'constraint', baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Extension',
      differential: { element: [{ path: 'Extension.url', fixedUri: url }, { path: 'Extension.value[x]', type: [{ code: 'integer' }, { code: 'decimal' }] }] },
    };
    model.addDefinition(shoeSize);
    assert.deepEqual(model.extensionDefinition(url)?.valueTypes, ['integer', 'decimal']);
    model.removeDefinition(shoeSize);
    assert.equal(model.extensionDefinition(url), undefined);
    const complex = { ...shoeSize, differential: { element: [{ path: 'Extension.value[x]', max: '0' }] } };
    model.addDefinition(complex);
    assert.deepEqual(model.extensionDefinition(url)?.valueTypes, []);
    model.removeDefinition(complex);
  });
});
