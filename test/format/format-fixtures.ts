/**
 * Shared pieces of the format tests: extension StructureDefinitions written as differentials (the
 * way a client posts them), optionally annotated as first-class fields; a core model per test file;
 * and the error a conversion throws, as "category code expression".
 */
import { FhirError, type Resource } from '../../src/core/index.js';
import { FIRST_CLASS_FIELD_URL } from '../../src/format/index.js';
import { loadCoreModel, type ElementDefinition, type FhirModel, type StructureDefinition } from '../../src/model/index.js';

export interface PartSpec {
  name: string;
  url?: string;
  max?: string;
  valueTypes?: string[];
  parts?: PartSpec[];
}

export interface ExtensionSpec {
  url: string;
  /** The first-class field name (the annotation); none when absent. */
  field?: string;
  contexts: string[];
  max?: string;
  valueTypes?: string[];
  parts?: PartSpec[];
  isModifier?: boolean;
}

function contentElements(prefix: string, path: string, spec: { valueTypes?: string[]; parts?: PartSpec[] }): ElementDefinition[] {
  if (!spec.parts) {
    return [{ id: `${prefix}.value[x]`, path: `${path}.value[x]`, min: 1, type: (spec.valueTypes ?? ['string']).map((code) => ({ code })) }];
  }
  const elements: ElementDefinition[] = [];
  for (const part of spec.parts) {
    const id = `${prefix}.extension:${part.name}`;
    elements.push({ id, path: `${path}.extension`, sliceName: part.name, min: 0, max: part.max ?? '1', type: [{ code: 'Extension' }] });
    elements.push({ id: `${id}.url`, path: `${path}.extension.url`, fixedUri: part.url ?? part.name });
    elements.push(...contentElements(id, `${path}.extension`, part));
  }
  elements.push({ id: `${prefix}.value[x]`, path: `${path}.value[x]`, min: 0, max: '0' });
  return elements;
}

export function extensionDefinition(spec: ExtensionSpec): StructureDefinition {
  const definition: StructureDefinition = {
    resourceType: 'StructureDefinition',
    id: spec.url.slice(spec.url.lastIndexOf('/') + 1),
    url: spec.url,
    name: 'TestExtension',
    status: 'active',
    kind: 'complex-type',
    abstract: false,
    context: spec.contexts.map((expression) => ({ type: 'element', expression })),
    type: 'Extension',
    baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Extension',
    derivation: 'constraint',
    differential: {
      element: [
        { id: 'Extension', path: 'Extension', min: 0, max: spec.max ?? '1', ...(spec.isModifier ? { isModifier: true } : {}) },
        { id: 'Extension.url', path: 'Extension.url', fixedUri: spec.url },
        ...contentElements('Extension', 'Extension', spec),
      ],
    },
  };
  if (spec.field !== undefined) definition.extension = [{ url: FIRST_CLASS_FIELD_URL, valueCode: spec.field }];
  return definition;
}

/** A core model plus the given definitions. */
export async function modelWith(...definitions: Resource[]): Promise<FhirModel> {
  const model = await loadCoreModel();
  for (const definition of definitions) model.addDefinition(definition);
  return model;
}

export const RACE_URL = 'http://example.org/fhir/StructureDefinition/race';

/** A race extension in the manner of US Core: text (1), ombCategory (*), detailed (*). */
export const race = extensionDefinition({
  url: RACE_URL,
  field: 'race',
  contexts: ['Patient'],
  parts: [
    { name: 'ombCategory', max: '*', valueTypes: ['Coding'] },
    { name: 'detailed', max: '*', valueTypes: ['Coding'] },
    { name: 'text', max: '1', valueTypes: ['string'] },
  ],
});

/** "invalid format.choice-empty Observation.value" for a FhirError; "no error" when run succeeds. */
export function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof FhirError) return `${error.category} ${error.code} ${error.issues[0].expression?.join()}`;
    throw error;
  }
  return 'no error';
}
