/**
 * Checks a metadata resource must pass before it is committed, so the model never takes in a
 * definition it cannot use: a StructureDefinition that defines a type must compile (and not replace
 * a core type); a SearchParameter needs code, base, type and a FHIRPath expression that parses.
 * Other modules add their own checks (profiles, first-class extensions).
 */
import type { FhirError, Resource } from '../core/index.js';
import { parseExpression } from '../fhirpath/index.js';
import {
  canGenerateSnapshot, compileTypeSchema, definesType, type FhirModel, type SearchParameterResource, type StructureDefinition,
} from '../model/index.js';
import { metadataErrors, type MetadataErrorCode } from './metadata-errors.js';

export type DefinitionCheck = (resource: Resource, model: FhirModel) => void;

function invalidDefinition(code: MetadataErrorCode, diagnostics: string, expression?: string): FhirError {
  return metadataErrors[code]({ detail: diagnostics }, { expression });
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
  checkTypeName(definition);
  let complete = definition;
  if (!definition.snapshot?.element?.length) {
    if (!canGenerateSnapshot(definition)) {
      throw invalidDefinition('metadata.no-snapshot', `StructureDefinition ${definition.url} defines a type but has no snapshot, `
        + 'and a snapshot is generated only from the differential of a resource type based on DomainResource or Resource', 'StructureDefinition.snapshot');
    }
    try {
      complete = model.withSnapshot(definition);
    } catch (error) {
      throw invalidDefinition('metadata.invalid-definition', `StructureDefinition ${definition.url} does not compile: ${(error as Error).message}`, 'StructureDefinition.differential');
    }
  }
  try {
    compileTypeSchema(complete);
  } catch (error) {
    throw invalidDefinition('metadata.invalid-definition', `StructureDefinition ${definition.url} does not compile: ${(error as Error).message}`);
  }
}

/** The longest resource type name whose default tables (type, type_history) fit PostgreSQL's 63 bytes. */
export const MAX_RESOURCE_TYPE_NAME = 55;

/** A resource type is served at /fhir/{type} and stored in a table named after it: the name must suit both. */
function checkTypeName(definition: StructureDefinition): void {
  if (definition.kind !== 'resource') return;
  if (!/^[A-Z][A-Za-z0-9]*$/.test(definition.type) || definition.type.length > MAX_RESOURCE_TYPE_NAME) {
    throw invalidDefinition('metadata.invalid-type-name',
      `"${definition.type}" is not a valid resource type name (a letter A-Z, then letters and digits, at most ${MAX_RESOURCE_TYPE_NAME})`,
      'StructureDefinition.type');
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
      parseExpression(parameter.expression);
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
