/**
 * The compiled form of a StructureDefinition (FHIR Schema style): a tree of element rules built
 * once from the snapshot of a base type or the differential of a profile. A rule only holds what
 * its definition says; a profile is checked together with every definition it derives from, so
 * nothing needs to be merged into a snapshot.
 */
import type { CompiledConstraint } from './compile-constraint.js';

export interface TypeRef {
  code: string;
  /** type.profile: the value must conform to one of these. */
  profiles?: string[];
  /** type.targetProfile: the referenced resource's allowed profiles (their type names in targetTypes). */
  targetProfiles?: string[];
  targetTypes?: string[];
}

export interface BindingRule {
  strength: 'required' | 'extensible' | 'preferred' | 'example';
  valueSet?: string;
}

export interface Discriminator {
  type: 'value' | 'pattern' | 'type' | 'profile' | 'exists';
  path: string;
}

export interface SlicingRule {
  discriminators: Discriminator[];
  rules: 'closed' | 'open' | 'openAtEnd';
  ordered: boolean;
}

export interface SliceRule {
  name: string;
  rule: ElementRule;
  /** The same slice as the profiles this one derives from define it (for discriminator values). */
  inherited?: ElementRule[];
}

/** The rules of the children of an object (a resource, a data type value, a backbone element). */
export interface NodeRules {
  elements: Map<string, ElementRule>;
}

export interface ElementRule {
  /** Element id (Patient.identifier:mrn.system) and path (Patient.identifier.system). */
  id: string;
  path: string;
  /** The JSON name without [x] (value, identifier). */
  name: string;
  min?: number;
  /** Infinity for "*"; undefined when this definition does not constrain it. */
  max?: number;
  isChoice?: boolean;
  types?: TypeRef[];
  fixed?: unknown;
  pattern?: unknown;
  binding?: BindingRule;
  maxLength?: number;
  constraints: CompiledConstraint[];
  /** Keys of invariants the walk checks natively on values of this rule (dom-3). */
  walkConstraints?: string[];
  /** #Questionnaire.item: the element whose rules this one reuses. */
  contentReference?: string;
  children?: NodeRules;
  slicing?: SlicingRule;
  slices?: SliceRule[];
  /** Rules for one type of a choice element (value[x]:valueQuantity, or the path Observation.valueQuantity). */
  typeRules?: Map<string, ElementRule>;
  /** The StructureDefinition this rule comes from (url|version), for diagnostics. */
  source: string;
}

export function newRule(id: string, path: string, name: string, source: string): ElementRule {
  return { id, path, name, constraints: [], source };
}

export function emptyNode(): NodeRules {
  return { elements: new Map() };
}
