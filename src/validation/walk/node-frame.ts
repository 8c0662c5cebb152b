/**
 * What the walk knows about the object it is in: the model's elements of the object, the rules
 * that describe it, and where it is (for issues and for extension contexts).
 */
import type { ElementContainer } from '../../model/index.js';
import type { ElementRule } from '../schema/element-rule.js';

export interface NodeFrame {
  container: ElementContainer;
  /** The rules describing this object (from the base definitions and the profiles). */
  rules: ElementRule[];
  /** The FHIRPath of the object in the resource (Patient.name[0]). */
  path: string;
  /** Its element path from the resource type (Patient.name) and in its definition (HumanName or Patient.contact). */
  elementPath: string;
  definitionPath: string;
  type: string;
  /** Inside an extension (its url), for nested extensions. */
  extensionUrl?: string;
  /** Inside an extension whose definition is known (its relative urls name parts of that definition). */
  inKnownExtension?: boolean;
}
