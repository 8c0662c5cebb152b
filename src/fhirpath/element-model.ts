/**
 * Element facts from the R4 model that ships with the FHIRPath library: whether an element repeats,
 * its type, and the types of a choice element. For modules that build FHIR JSON from FHIRPath
 * results (FHIRPath Patch), without loading the full model.
 */
import { r4 } from './fhirpath-library.js';

export interface ElementFacts {
  /** The element's model path, e.g. `Patient.contact` or `HumanName.given`. */
  path: string;
  /** Its type (`HumanName`, `date`, `BackboneElement`); undefined for a choice element. */
  type?: string;
  repeating: boolean;
  /** The type suffixes of a choice element (`value` -> Quantity, String...). */
  choiceTypes?: readonly string[];
}

const anyElement: Record<string, Omit<ElementFacts, 'path'>> = {
  id: { type: 'string', repeating: false },
  extension: { type: 'Extension', repeating: true },
  modifierExtension: { type: 'Extension', repeating: true },
};

/**
 * The element `name` of the type or backbone element at `typePath` (`Patient`, `Patient.contact`,
 * `HumanName`), or undefined when the model has no such element.
 */
export function describeElement(typePath: string, name: string): ElementFacts | undefined {
  const base = r4.pathsDefinedElsewhere[typePath] ?? typePath;
  const path = `${base}.${name}`;
  const choiceTypes = r4.choiceTypePaths[path];
  if (choiceTypes) return { path, repeating: false, choiceTypes };
  const elsewhere = r4.pathsDefinedElsewhere[path];
  if (elsewhere) return { path, type: 'BackboneElement', repeating: r4.path2Repeating[elsewhere] === true };
  const type = r4.path2Type[path];
  if (type) return { path, type: type.startsWith('System.') ? 'string' : type, repeating: r4.path2Repeating[path] === true };
  const generic = anyElement[name];
  return generic ? { path, ...generic } : undefined;
}

/** The path whose elements an element of these facts has: its type, or its own path for a backbone element. */
export function childTypePath(facts: ElementFacts): string | undefined {
  if (!facts.type) return undefined;
  return facts.type === 'BackboneElement' || facts.type === 'Element' ? facts.path : facts.type;
}
