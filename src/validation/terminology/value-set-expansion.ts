/**
 * ValueSet expansion as validation needs it (http://hl7.org/fhir/R4/valueset.html#compose):
 * compose.include by system (whole code system), by concept list, by filters on loaded code
 * systems (is-a, descendent-of, is-not-a, =, in, regex, exists, generalizes), and by importing
 * other value sets; compose.exclude; or a stored expansion. Systems that are not loaded as
 * complete CodeSystems (SNOMED CT, LOINC, ...) cannot be enumerated: the expansion records them
 * as unknown, so a code from them is "not checkable", never wrong.
 */
import type { Resource } from '../../core/index.js';
import { isA, normalizeCode, type CodeSystemIndex } from './code-system-index.js';

export interface Expansion {
  /** system -> codes (normalized for case-insensitive systems). */
  codes: Map<string, Set<string>>;
  /** Systems the value set draws on that cannot be enumerated here. */
  unknownSystems: Set<string>;
  /** Value sets it imports that are not known. */
  missingValueSets: string[];
}

interface ComposeFilter {
  property: string;
  op: string;
  value: string;
}

interface ComposeInclude {
  system?: string;
  version?: string;
  concept?: { code: string }[];
  filter?: ComposeFilter[];
  valueSet?: string[];
}

export interface ValueSetResource extends Resource {
  url: string;
  compose?: { include?: ComposeInclude[]; exclude?: ComposeInclude[] };
  expansion?: { contains?: ExpansionContains[] };
}

interface ExpansionContains {
  system?: string;
  code?: string;
  contains?: ExpansionContains[];
}

export interface ExpansionSources {
  codeSystem(url: string): CodeSystemIndex | undefined;
  expand(valueSetUrl: string): Expansion | undefined;
}

function emptyExpansion(): Expansion {
  return { codes: new Map(), unknownSystems: new Set(), missingValueSets: [] };
}

function add(expansion: Expansion, system: string, codes: Iterable<string>): void {
  let set = expansion.codes.get(system);
  if (!set) expansion.codes.set(system, (set = new Set()));
  for (const code of codes) set.add(code);
}

function filterMatches(index: CodeSystemIndex, code: string, filter: ComposeFilter): boolean | undefined {
  const value = normalizeCode(index, filter.value ?? '');
  switch (filter.op) {
    case 'is-a': return filter.property === 'concept' ? isA(index, code, value, true) : undefined;
    case 'descendent-of': return filter.property === 'concept' ? isA(index, code, value, false) : undefined;
    case 'is-not-a': return filter.property === 'concept' ? !isA(index, code, value, true) : undefined;
    case 'generalizes': return filter.property === 'concept' ? isA(index, value, code, true) : undefined;
    case 'in': return filter.value.split(',').map((part) => normalizeCode(index, part.trim())).includes(filter.property === 'concept' ? code : index.properties.get(code)?.get(filter.property) ?? '');
    case '=': return filter.property === 'concept' ? code === value : index.properties.get(code)?.get(filter.property) === filter.value;
    case 'regex': return new RegExp(`^(?:${filter.value})$`).test(filter.property === 'code' || filter.property === 'concept' ? code : index.properties.get(code)?.get(filter.property) ?? '');
    case 'exists': return index.properties.get(code)?.has(filter.property) === (filter.value === 'true');
    default: return undefined;
  }
}

/** The codes of one include or exclude, or undefined when they cannot be enumerated. */
function includeCodes(include: ComposeInclude, sources: ExpansionSources, into: Expansion): Map<string, Set<string>> | undefined {
  const result = new Map<string, Set<string>>();
  if (include.system) {
    const index = sources.codeSystem(include.system);
    let codes: Set<string> | undefined;
    if (include.concept?.length) {
      codes = new Set(include.concept.map((concept) => (index ? normalizeCode(index, concept.code) : concept.code)));
    } else if (index && index.complete) {
      codes = new Set();
      for (const code of index.parents.keys()) {
        const matches = (include.filter ?? []).map((filter) => filterMatches(index, code, filter));
        if (matches.includes(undefined)) return undefined;
        if (matches.every(Boolean)) codes.add(code);
      }
    } else {
      return undefined;
    }
    result.set(include.system, codes);
  }
  for (const url of include.valueSet ?? []) {
    const imported = sources.expand(url);
    if (!imported) {
      into.missingValueSets.push(url);
      return undefined;
    }
    for (const system of imported.unknownSystems) into.unknownSystems.add(system);
    if (include.system) {
      const own = result.get(include.system) as Set<string>;
      const other = imported.codes.get(include.system) ?? new Set<string>();
      result.set(include.system, new Set([...own].filter((code) => other.has(code))));
    } else {
      for (const [system, codes] of imported.codes) result.set(system, new Set([...(result.get(system) ?? []), ...codes]));
    }
  }
  return result;
}

function addContains(expansion: Expansion, contains: ExpansionContains[] | undefined): void {
  for (const item of contains ?? []) {
    if (item.system && item.code) add(expansion, item.system, [item.code]);
    addContains(expansion, item.contains);
  }
}

export function expandValueSet(valueSet: ValueSetResource, sources: ExpansionSources): Expansion {
  const expansion = emptyExpansion();
  if (!valueSet.compose && valueSet.expansion) {
    addContains(expansion, valueSet.expansion.contains);
    return expansion;
  }
  for (const include of valueSet.compose?.include ?? []) {
    const codes = includeCodes(include, sources, expansion);
    if (!codes) {
      if (include.system) expansion.unknownSystems.add(include.system);
      continue;
    }
    for (const [system, set] of codes) add(expansion, system, set);
  }
  for (const exclude of valueSet.compose?.exclude ?? []) {
    const codes = includeCodes(exclude, sources, emptyExpansion());
    for (const [system, set] of codes ?? []) {
      const kept = expansion.codes.get(system);
      for (const code of set) kept?.delete(code);
    }
  }
  return expansion;
}
