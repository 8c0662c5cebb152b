/**
 * The terminology validation needs: is a code in a value set, does a code exist in its code
 * system. Value sets and code systems come from the model (the core package and any loaded);
 * expansions are computed on first use and cached until a ValueSet or CodeSystem changes; answers
 * that depend on the server's types are not cached.
 */
import type { FhirModel } from '../../model/index.js';
import { indexCodeSystem, normalizeCode, type CodeSystemIndex, type CodeSystemResource } from './code-system-index.js';
import { expandValueSet, type Expansion, type ValueSetResource } from './value-set-expansion.js';

/** in: the code is a member; out: it is not; unknown: it cannot be decided here (a system that is not loaded). */
export type Membership = 'in' | 'out' | 'unknown';

const TERMINOLOGY_TYPES = new Set(['ValueSet', 'CodeSystem']);

/** Value sets of type names: the server's own types (custom resource types included) are members too. */
const TYPE_VALUE_SETS = new Set([
  'http://hl7.org/fhir/ValueSet/resource-types', 'http://hl7.org/fhir/ValueSet/defined-types', 'http://hl7.org/fhir/ValueSet/all-types',
]);

export class Terminology {
  private readonly expansions = new Map<string, Expansion | null>();
  private readonly codeSystems = new Map<string, CodeSystemIndex | null>();
  private readonly expanding = new Set<string>();
  private readonly knownValueSets = new Map<string, boolean>();
  private readonly valueSetOnlyUrls = new Map<string, boolean>();
  /** Answers already given, by value set, system and code (cleared when it grows large). */
  private readonly answers = new Map<string, Membership>();

  constructor(private readonly model: FhirModel) {
    model.onChange((resource) => {
      if (TERMINOLOGY_TYPES.has(resource.resourceType)) {
        this.expansions.clear();
        this.codeSystems.clear();
        this.knownValueSets.clear();
        this.valueSetOnlyUrls.clear();
        this.answers.clear();
      }
    });
  }

  /** The indexed CodeSystem of a url (or url|version), or undefined when it is not loaded. */
  codeSystem(canonical: string): CodeSystemIndex | undefined {
    let index = this.codeSystems.get(canonical);
    if (index === undefined) {
      const resource = this.model.canonical.resolve<CodeSystemResource>('CodeSystem', canonical);
      index = resource && resource.content !== 'not-present' ? indexCodeSystem(resource) : null;
      this.codeSystems.set(canonical, index);
    }
    return index ?? undefined;
  }

  /** The expansion of a value set, or undefined when the value set is not known. */
  expand(canonical: string): Expansion | undefined {
    let expansion = this.expansions.get(canonical);
    if (expansion === undefined) {
      const valueSet = this.model.canonical.resolve<ValueSetResource>('ValueSet', canonical);
      if (!valueSet || this.expanding.has(canonical)) return undefined;
      this.expanding.add(canonical);
      try {
        expansion = expandValueSet(valueSet, { codeSystem: (url) => this.codeSystem(url), expand: (url) => this.expand(url) });
      } finally {
        this.expanding.delete(canonical);
      }
      this.expansions.set(canonical, expansion);
    }
    return expansion ?? undefined;
  }

  isKnownValueSet(canonical: string): boolean {
    let known = this.knownValueSets.get(canonical);
    if (known === undefined) {
      known = this.model.canonical.resolve('ValueSet', canonical) !== undefined;
      this.knownValueSets.set(canonical, known);
    }
    return known;
  }

  /** Is the url that of a known value set and of no known code system (a value set named where a code system belongs)? */
  namesValueSetOnly(url: string): boolean {
    let answer = this.valueSetOnlyUrls.get(url);
    if (answer === undefined) {
      answer = this.isKnownValueSet(url) && this.model.canonical.resolve('CodeSystem', url) === undefined;
      this.valueSetOnlyUrls.set(url, answer);
    }
    return answer;
  }

  /**
   * Is (system, code) in the value set? Without a system (a code element) any system of the value
   * set counts. The server's own types are asked of the model every time, never remembered: a
   * type defined after a code was refused makes the same code a member.
   */
  membership(valueSet: string, system: string | undefined, code: string): Membership {
    if (TYPE_VALUE_SETS.has(valueSet.split('|')[0]) && this.isServerType(system, code, valueSet)) return 'in';
    const key = `${valueSet}\u0000${system ?? ''}\u0000${code}`;
    let answer = this.answers.get(key);
    if (answer === undefined) {
      answer = this.decideMembership(valueSet, system, code);
      if (this.answers.size >= 100_000) this.answers.clear();
      this.answers.set(key, answer);
    }
    return answer;
  }

  private decideMembership(valueSet: string, system: string | undefined, code: string): Membership {
    const expansion = this.expand(valueSet);
    if (!expansion) return 'unknown';
    if (system !== undefined) {
      const index = this.codeSystem(system);
      const codes = expansion.codes.get(system);
      if (codes?.has(index ? normalizeCode(index, code) : code)) return 'in';
      const open = index !== undefined && !index.closed;
      return open || expansion.unknownSystems.has(system) || expansion.missingValueSets.length > 0 ? 'unknown' : 'out';
    }
    let open = false;
    for (const [codeSystem, codes] of expansion.codes) {
      const index = this.codeSystem(codeSystem);
      if (codes.has(index ? normalizeCode(index, code) : code)) return 'in';
      if (index && !index.closed) open = true;
    }
    return open || expansion.unknownSystems.size > 0 || expansion.missingValueSets.length > 0 ? 'unknown' : 'out';
  }

  private isServerType(system: string | undefined, code: string, valueSet: string): boolean {
    if (system !== undefined && system !== 'http://hl7.org/fhir/resource-types' && system !== 'http://hl7.org/fhir/data-types') return false;
    const type = this.model.getType(code);
    if (!type) return false;
    return valueSet.includes('/resource-types') ? type.kind === 'resource' : true;
  }

  /** Does the code exist in its code system? unknown when the system is not loaded as complete. */
  codeExists(system: string, code: string): Membership {
    const index = this.codeSystem(system);
    if (!index || !index.complete) return 'unknown';
    if (index.parents.has(normalizeCode(index, code))) return 'in';
    return index.closed ? 'out' : 'unknown';
  }

  /** The displays a loaded code system gives a code (display and designations), or undefined when it gives none or is not loaded. */
  displaysOf(system: string, code: string): readonly string[] | undefined {
    const index = this.codeSystem(system);
    return index?.displays.get(normalizeCode(index, code));
  }
}
