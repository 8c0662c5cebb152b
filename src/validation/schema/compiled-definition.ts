/**
 * A compiled StructureDefinition: its root rule, the definition it derives from (compiled too),
 * and for extensions the contexts where they may be used.
 */
import type { StructureDefinition } from '../../model/index.js';
import type { ElementRule, NodeRules, SliceRule } from './element-rule.js';

export interface ExtensionContext {
  type: 'element' | 'extension' | 'fhirpath';
  expression: string;
}

export interface CompiledDefinition {
  url: string;
  version?: string;
  /** url|version (or url), how issues name it. */
  key: string;
  type: string;
  derivation: 'specialization' | 'constraint';
  root: ElementRule;
  /** For a constraint: what it derives from (another constraint or the base type). */
  base?: CompiledDefinition;
  /** Extension definitions: where they may be used (empty: anywhere). */
  contexts: ExtensionContext[];
  definition: StructureDefinition;
}

/** The roots of a definition and every constraint it derives from (not the base type). */
export function constraintRoots(definition: CompiledDefinition): ElementRule[] {
  const roots: ElementRule[] = [];
  for (let current: CompiledDefinition | undefined = definition; current && current.derivation === 'constraint'; current = current.base) {
    roots.push(current.root);
  }
  return roots;
}

function linkSlices(rule: ElementRule, base: ElementRule, seen: Set<ElementRule>): void {
  if (rule.slices && !rule.slicing && base.slicing) rule.slicing = base.slicing;
  for (const slice of rule.slices ?? []) {
    const baseSlice: SliceRule | undefined = base.slices?.find((candidate) => candidate.name === slice.name);
    if (!baseSlice) continue;
    slice.inherited = [baseSlice.rule, ...(baseSlice.inherited ?? [])];
    linkRules(slice.rule, baseSlice.rule, seen);
  }
  for (const [code, typed] of rule.typeRules ?? []) {
    const baseTyped = base.typeRules?.get(code);
    if (baseTyped) linkRules(typed, baseTyped, seen);
  }
}

function linkNodes(node: NodeRules | undefined, base: NodeRules | undefined, seen: Set<ElementRule>): void {
  if (!node || !base) return;
  for (const [name, rule] of node.elements) {
    const baseRule = base.elements.get(name);
    if (baseRule) linkRules(rule, baseRule, seen);
  }
}

/**
 * Gives a profile's slices the slicing and slice definitions of the profile it derives from
 * (each rule once: contentReference makes the rule graph recursive).
 */
export function linkRules(rule: ElementRule, base: ElementRule, seen = new Set<ElementRule>()): void {
  if (seen.has(rule)) return;
  seen.add(rule);
  linkSlices(rule, base, seen);
  linkNodes(rule.children, base.children, seen);
}
