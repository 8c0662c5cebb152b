/**
 * Extension definitions (http://hl7.org/fhir/R4/extensibility.html#Extension): StructureDefinitions
 * of type Extension (derivation constraint), looked up by URL. For checks of extension instances the
 * model keeps what the definition says about Extension.value[x]: the allowed value types, or that
 * the extension takes no value (a complex extension).
 */
import type { ElementDefinition, StructureDefinition } from './compile-type-schema.js';

export interface ExtensionDefinition {
  url: string;
  /** The allowed value types (valueString -> string); [] when the extension takes no value; undefined when any type is allowed. */
  valueTypes?: string[];
}

export function isExtensionDefinition(definition: StructureDefinition): boolean {
  return definition.type === 'Extension' && definition.derivation === 'constraint';
}

function valueElement(elements: ElementDefinition[] | undefined): ElementDefinition | undefined {
  return elements?.find((element) => element.path === 'Extension.value[x]' && element.sliceName === undefined);
}

/** What a definition says about its extensions' values (the snapshot, else the differential). */
export function describeExtension(definition: StructureDefinition): ExtensionDefinition {
  const value = valueElement(definition.snapshot?.element) ?? valueElement(definition.differential?.element);
  if (value?.max === '0') return { url: definition.url, valueTypes: [] };
  const codes = (value?.type ?? []).map((type) => type.code).filter((code) => typeof code === 'string');
  return codes.length > 0 ? { url: definition.url, valueTypes: codes } : { url: definition.url };
}
