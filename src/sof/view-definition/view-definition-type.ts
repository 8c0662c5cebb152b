/**
 * The ViewDefinition resource type (SQL on FHIR v2) in Flint's model: its StructureDefinition, a
 * specialization of DomainResource with a snapshot (committed beside this file), and its search
 * parameters (name, status, url, resource). Added to the model at start, so the storage auto-mount
 * serves /fhir/ViewDefinition like any other type: CRUD, search, history.
 */
import type { Resource } from '../../core/index.js';
import type { FhirModel } from '../../model/index.js';
import structureDefinition from './view-definition.structure-definition.json' with { type: 'json' };
import searchParameters from './view-definition.search-parameters.json' with { type: 'json' };

export const VIEW_DEFINITION = 'ViewDefinition';
export const VIEW_DEFINITION_URL = structureDefinition.url;

/** Adds the type and its search parameters to the model (once; a later call changes nothing). */
export function addViewDefinitionType(model: FhirModel): void {
  if (model.getType(VIEW_DEFINITION)?.url === VIEW_DEFINITION_URL) return;
  model.addDefinition(structureDefinition as unknown as Resource);
  for (const parameter of searchParameters) model.addDefinition(parameter as unknown as Resource);
}
