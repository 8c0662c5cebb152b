/**
 * A small custom resource type (a StructureDefinition with a snapshot) for tests of metadata.
 */

const element = (path: string, min: number, max: string, code?: string) => ({
  id: path, path, definition: `The ${path} element`, min, max, base: { path, min, max }, ...(code ? { type: [{ code }] } : {}),
});

export function widgetDefinition(type = 'Widget', extra: object[] = []) {
  return {
    resourceType: 'StructureDefinition',
    url: `http://example.org/fhir/StructureDefinition/${type}`,
    name: type,
    status: 'active',
    kind: 'resource',
    abstract: false,
    type,
    baseDefinition: 'http://hl7.org/fhir/StructureDefinition/DomainResource',
    derivation: 'specialization',
    snapshot: {
      element: [
        element(type, 0, '*'),
        element(`${type}.id`, 0, '1', 'id'),
        element(`${type}.meta`, 0, '1', 'Meta'),
        element(`${type}.text`, 0, '1', 'Narrative'),
        element(`${type}.extension`, 0, '*', 'Extension'),
        element(`${type}.name`, 0, '1', 'string'),
        element(`${type}.size`, 0, '1', 'integer'),
        ...extra,
      ],
    },
  };
}
