/**
 * The resource type a SubscriptionTopic element names (resourceTrigger.resource, canFilterBy.resource,
 * notificationShape.resource): a type name, or a canonical URL of its StructureDefinition; relative
 * names are relative to http://hl7.org/fhir/StructureDefinition/ (http://hl7.org/fhir/R5/subscriptiontopic-definitions.html#SubscriptionTopic.resourceTrigger.resource).
 */
import type { FhirModel, StructureDefinition } from '../../model/index.js';

const CORE_BASE = 'http://hl7.org/fhir/StructureDefinition/';

/** The concrete resource type the value names, or undefined when the server has none. */
export function topicResourceType(value: string, model: FhirModel): string | undefined {
  if (model.isResourceType(value)) return value;
  if (value.startsWith(CORE_BASE) && model.isResourceType(value.slice(CORE_BASE.length))) return value.slice(CORE_BASE.length);
  const definition = model.canonical.resolve<StructureDefinition & { url: string }>('StructureDefinition', value);
  return definition && model.isResourceType(definition.type) && model.getType(definition.type)?.url === definition.url ? definition.type : undefined;
}
