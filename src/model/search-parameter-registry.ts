/**
 * SearchParameters by resource type and code (http://hl7.org/fhir/R4/searchparameter.html).
 * Parameters on Resource and DomainResource apply to every resource type.
 */
import type { Resource } from '../core/index.js';

export type SearchParamType = 'number' | 'date' | 'string' | 'token' | 'reference' | 'composite' | 'quantity' | 'uri' | 'special';

export interface SearchParameterResource extends Resource {
  resourceType: 'SearchParameter';
  url: string;
  version?: string;
  code: string;
  base: string[];
  type: SearchParamType;
  expression?: string;
  target?: string[];
  modifier?: string[];
  comparator?: string[];
  multipleOr?: boolean;
  multipleAnd?: boolean;
  component?: { definition: string; expression: string }[];
  status?: string;
  experimental?: boolean;
}

const INHERITED_BASES = ['Resource', 'DomainResource'];

export class SearchParameterRegistry {
  private readonly byBase = new Map<string, Map<string, SearchParameterResource>>();
  private readonly byUrl = new Map<string, SearchParameterResource>();
  private readonly cache = new Map<string, Map<string, SearchParameterResource>>();

  add(parameter: SearchParameterResource): void {
    const previous = this.byUrl.get(parameter.url);
    if (previous) this.remove(previous.url);
    this.byUrl.set(parameter.url, parameter);
    for (const base of parameter.base ?? []) {
      let codes = this.byBase.get(base);
      if (!codes) this.byBase.set(base, (codes = new Map()));
      // An experimental parameter (the core package's examples) never hides a real one with the same code.
      const current = codes.get(parameter.code);
      if (parameter.experimental === true && current && current.experimental !== true) continue;
      codes.set(parameter.code, parameter);
    }
    this.cache.clear();
  }

  remove(url: string): void {
    const parameter = this.byUrl.get(url);
    if (!parameter) return;
    this.byUrl.delete(url);
    for (const base of parameter.base ?? []) {
      const codes = this.byBase.get(base);
      if (codes?.get(parameter.code) === parameter) codes.delete(parameter.code);
    }
    this.cache.clear();
  }

  byCanonical(url: string): SearchParameterResource | undefined {
    return this.byUrl.get(url.split('|')[0]);
  }

  /** Every parameter that applies to a resource type, by code (type-specific ones win). */
  forType(resourceType: string): Map<string, SearchParameterResource> {
    let result = this.cache.get(resourceType);
    if (!result) {
      result = new Map();
      for (const base of [...INHERITED_BASES, resourceType]) {
        for (const [code, parameter] of this.byBase.get(base) ?? []) result.set(code, parameter);
      }
      this.cache.set(resourceType, result);
    }
    return result;
  }

  get(resourceType: string, code: string): SearchParameterResource | undefined {
    return this.forType(resourceType).get(code);
  }

  all(): SearchParameterResource[] {
    return [...this.byUrl.values()];
  }
}
