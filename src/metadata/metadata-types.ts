/**
 * The resource types whose instances shape the server's model. Writing one of these through the
 * API changes the model, on every server process, without a restart.
 */

/** Applied in this order at start: types before the parameters that search them. */
export const METADATA_TYPES = [
  'StructureDefinition', 'CodeSystem', 'ValueSet', 'ConceptMap', 'NamingSystem', 'SearchParameter',
  'CompartmentDefinition', 'OperationDefinition',
] as const;

export type MetadataType = (typeof METADATA_TYPES)[number];

export function isMetadataType(resourceType: string): resourceType is MetadataType {
  return (METADATA_TYPES as readonly string[]).includes(resourceType);
}

/** The LISTEN/NOTIFY channel that carries metadata changes between server processes. */
export const METADATA_CHANNEL = 'flint_metadata';
