/**
 * CompartmentDefinitions (http://hl7.org/fhir/R4/compartmentdefinition.html): which search
 * parameters link a resource type to a compartment (Patient, Encounter, RelatedPerson, ...).
 */
import type { Resource } from '../core/index.js';

export interface CompartmentDefinitionResource extends Resource {
  resourceType: 'CompartmentDefinition';
  url: string;
  code: string;
  resource?: { code: string; param?: string[] }[];
}

export class CompartmentRegistry {
  private readonly compartments = new Map<string, Map<string, string[]>>();

  add(definition: CompartmentDefinitionResource): void {
    const members = new Map<string, string[]>();
    for (const entry of definition.resource ?? []) {
      if (entry.param && entry.param.length > 0) members.set(entry.code, entry.param);
    }
    this.compartments.set(definition.code, members);
  }

  /** The search parameters that place resources of a type in a compartment; empty when none. */
  params(compartment: string, resourceType: string): string[] {
    return this.compartments.get(compartment)?.get(resourceType) ?? [];
  }

  /** Resource types that can be in a compartment. */
  memberTypes(compartment: string): string[] {
    return [...(this.compartments.get(compartment)?.keys() ?? [])];
  }

  isCompartment(code: string): boolean {
    return this.compartments.has(code);
  }
}
