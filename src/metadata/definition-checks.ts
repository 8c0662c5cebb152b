/**
 * Checks a metadata resource must pass before it is committed, so the model never takes in a
 * definition it cannot use: a StructureDefinition that defines a type must compile (and not replace
 * a core type); a SearchParameter needs code, base, type and a FHIRPath expression that parses.
 * Other modules add their own checks (profiles, first-class extensions).
 */
import { FhirError, type Resource } from '../core/index.js';
import { parseFhirPath } from '../fhirpath/index.js';
import { compileTypeSchema, definesType, type FhirModel, type SearchParameterResource, type StructureDefinition } from '../model/index.js';

export type DefinitionCheck = (resource: Resource, model: FhirModel) => void;

function invalidDefinition(code: string, diagnostics: string, expression?: string): FhirError {
  return new FhirError('unprocessable', code, diagnostics, { expression });
}

export function checkStructureDefinition(resource: Resource, model: FhirModel): void {
  const definition = resource as StructureDefinition;
  for (const field of ['url', 'name', 'type', 'kind'] as const) {
    if (typeof definition[field] !== 'string') throw invalidDefinition('metadata.missing-element', `StructureDefinition.${field} is required`, `StructureDefinition.${field}`);
  }
  if (!definesType(definition)) return;
  const existing = model.getType(definition.type);
  if (existing && existing.url !== definition.url) {
    throw invalidDefinition('metadata.type-exists', `The type ${definition.type} is already defined by ${existing.url}`, 'StructureDefinition.type');
  }
  if (!definition.snapshot?.element?.length) {
    throw invalidDefinition('metadata.no-snapshot', `StructureDefinition ${definition.url} defines a type but has no snapshot`, 'StructureDefinition.snapshot');
  }
  try {
    compileTypeSchema(definition);
  } catch (error) {
    throw invalidDefinition('metadata.invalid-definition', `StructureDefinition ${definition.url} does not compile: ${(error as Error).message}`);
  }
}

export function checkSearchParameter(resource: Resource): void {
  const parameter = resource as SearchParameterResource;
  if (typeof parameter.url !== 'string') throw invalidDefinition('metadata.missing-element', 'SearchParameter.url is required', 'SearchParameter.url');
  if (typeof parameter.code !== 'string') throw invalidDefinition('metadata.missing-element', 'SearchParameter.code is required', 'SearchParameter.code');
  if (!Array.isArray(parameter.base) || parameter.base.length === 0) {
    throw invalidDefinition('metadata.missing-element', 'SearchParameter.base is required', 'SearchParameter.base');
  }
  if (typeof parameter.type !== 'string') throw invalidDefinition('metadata.missing-element', 'SearchParameter.type is required', 'SearchParameter.type');
  if (parameter.expression !== undefined) {
    try {
      parseFhirPath(parameter.expression);
    } catch (error) {
      const diagnostics = error instanceof Error ? error.message : String(error);
      throw invalidDefinition('metadata.invalid-expression', `SearchParameter.expression does not parse: ${diagnostics}`, 'SearchParameter.expression');
    }
  }
}

export const DEFAULT_CHECKS: Partial<Record<string, DefinitionCheck[]>> = {
  StructureDefinition: [checkStructureDefinition],
  SearchParameter: [checkSearchParameter],
};
