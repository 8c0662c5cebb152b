/**
 * Where a converter stands while it walks a resource: the path of element names from the resource
 * root (Patient.contact.name; a contained resource starts again at its own type), the FHIR type of
 * the object at hand, and the element that holds it. First-class extension contexts match on these.
 */
import type { ElementSchema, JsonKeyBinding } from '../model/index.js';

export interface Frame {
  path: string;
  /** Patient, HumanName, BackboneElement, or a primitive type for the object of a _name key. */
  type: string;
  element?: ElementSchema;
}

export function rootFrame(resourceType: string): Frame {
  return { path: resourceType, type: resourceType };
}

export function childFrame(frame: Frame, binding: JsonKeyBinding): Frame {
  return { path: `${frame.path}.${binding.element.name}`, type: binding.type, element: binding.element };
}

/** The frame of the extensions of an object (values inside them sit one level further). */
export function extensionFrame(frame: Frame): Frame {
  return { path: `${frame.path}.extension`, type: 'Extension' };
}
