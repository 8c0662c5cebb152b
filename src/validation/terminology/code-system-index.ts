/**
 * A loaded CodeSystem as validation needs it: its codes, each code's ancestors (for is-a and
 * descendent-of filters), properties (for = filters) and displays (display and designations). Only CodeSystems whose content is
 * "complete" can say that a code does not exist.
 * http://hl7.org/fhir/R4/codesystem.html
 */
import type { Resource } from '../../core/index.js';

export interface CodeSystemConcept {
  code: string;
  display?: string;
  designation?: { value?: string }[];
  concept?: CodeSystemConcept[];
  property?: { code: string; valueCode?: string; valueString?: string; valueBoolean?: boolean; valueInteger?: number; valueCoding?: { code?: string } }[];
}

export interface CodeSystemResource extends Resource {
  url: string;
  version?: string;
  content?: string;
  caseSensitive?: boolean;
  /** The properties it defines for its concepts. */
  property?: { code?: string; type?: string }[];
  concept?: CodeSystemConcept[];
}

export interface CodeSystemIndex {
  url: string;
  /** Its codes can be enumerated (content complete). */
  complete: boolean;
  /** A code missing from it does not exist (see isClosed). */
  closed: boolean;
  caseSensitive: boolean;
  /** code -> its parents' codes (from the concept hierarchy and parent properties). */
  parents: Map<string, string[]>;
  properties: Map<string, Map<string, string>>;
  /** code -> its display and designations; absent when the concept has none. */
  displays: Map<string, string[]>;
}

function propertyValue(property: NonNullable<CodeSystemConcept['property']>[number]): string | undefined {
  const value = property.valueCode ?? property.valueString ?? property.valueCoding?.code
    ?? (property.valueBoolean !== undefined ? String(property.valueBoolean) : undefined)
    ?? (property.valueInteger !== undefined ? String(property.valueInteger) : undefined);
  return value;
}

function addConcepts(index: CodeSystemIndex, concepts: CodeSystemConcept[] | undefined, parent: string | undefined): void {
  for (const concept of concepts ?? []) {
    if (typeof concept.code !== 'string') continue;
    const code = index.caseSensitive ? concept.code : concept.code.toLowerCase();
    const parents = index.parents.get(code) ?? [];
    if (parent !== undefined) parents.push(parent);
    const properties = new Map<string, string>();
    for (const property of concept.property ?? []) {
      const value = propertyValue(property);
      if (value === undefined) continue;
      properties.set(property.code, value);
      if (property.code === 'parent' || property.code === 'subsumedBy') parents.push(index.caseSensitive ? value : value.toLowerCase());
    }
    index.parents.set(code, parents);
    index.properties.set(code, properties);
    const displays = [concept.display, ...(concept.designation ?? []).map((designation) => designation.value)]
      .filter((display): display is string => typeof display === 'string');
    if (displays.length > 0) index.displays.set(code, displays);
    addConcepts(index, concept.concept, code);
  }
}

const TERMINOLOGY_HL7 = 'http://terminology.hl7.org/';

/**
 * terminology.hl7.org code systems are versioned on their own and keep gaining codes; the copy
 * loaded here may be older than the data, so a code missing from it is "not checkable" rather
 * than wrong. Every other complete code system is closed: a code it lacks does not exist.
 */
function isClosed(codeSystem: CodeSystemResource, complete: boolean): boolean {
  return complete && !codeSystem.url.startsWith(TERMINOLOGY_HL7);
}

export function indexCodeSystem(codeSystem: CodeSystemResource): CodeSystemIndex {
  const complete = codeSystem.content === 'complete' || codeSystem.content === undefined;
  const index: CodeSystemIndex = {
    url: codeSystem.url,
    complete,
    closed: isClosed(codeSystem, complete),
    caseSensitive: codeSystem.caseSensitive !== false,
    parents: new Map(),
    properties: new Map(),
    displays: new Map(),
  };
  addConcepts(index, codeSystem.concept, undefined);
  return index;
}

/** Displays compare without regard to case and runs of white space. */
export function displayKey(display: string): string {
  return display.trim().replace(/\s+/g, ' ').toLowerCase();
}

export function normalizeCode(index: CodeSystemIndex, code: string): string {
  return index.caseSensitive ? code : code.toLowerCase();
}

/** Is `code` the concept `ancestor` or below it? */
export function isA(index: CodeSystemIndex, code: string, ancestor: string, includeSelf: boolean): boolean {
  const seen = new Set<string>();
  const pending = includeSelf ? [code] : [...(index.parents.get(code) ?? [])];
  while (pending.length > 0) {
    const current = pending.pop() as string;
    if (current === ancestor) return true;
    if (seen.has(current)) continue;
    seen.add(current);
    pending.push(...(index.parents.get(current) ?? []));
  }
  return false;
}
