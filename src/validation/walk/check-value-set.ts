/**
 * Rules of ValueSet beyond its definition (http://hl7.org/fhir/R4/valueset.html): compose
 * includes and excludes name code systems by absolute url, and a filter on a property of a known
 * type (declared by the loaded code system, or a standard concept property) has a value of that
 * type: true or false for a boolean, a number for an integer or decimal; a SNOMED CT `constraint`
 * filter holds valid Expression Constraint Language (http://hl7.org/fhir/R4/snomedct.html).
 */
import { isAbsoluteUri, isJsonObject, type JsonObject } from '../../core/index.js';
import type { CodeSystemResource } from '../terminology/code-system-index.js';
import { eclSyntaxProblem } from '../terminology/ecl-syntax.js';
import { STANDARD_PROPERTY_TYPES } from '../terminology/standard-properties.js';
import { VALIDATION_CODES as CODES } from '../validation-issues.js';
import { report, type WalkContext } from './walk-context.js';

/** The property types whose filter values are checked (against the type's own pattern in the model), and what they must be. */
const CHECKED_TYPES: Record<string, string> = { boolean: "either 'true' or 'false'", integer: 'an integer', decimal: 'a decimal number' };

/** The type of a property a filter names: the code system's own declaration, else the standard property's. */
function propertyType(walk: WalkContext, system: string | undefined, property: string): string | undefined {
  const codeSystem = system ? walk.model.canonical.resolve<CodeSystemResource>('CodeSystem', system) : undefined;
  const declared = Array.isArray(codeSystem?.property) ? codeSystem.property.find((candidate) => candidate.code === property)?.type : undefined;
  return typeof declared === 'string' ? declared : STANDARD_PROPERTY_TYPES.get(property);
}

const SNOMED_CT = 'http://snomed.info/sct';

function checkFilter(walk: WalkContext, system: string | undefined, filter: JsonObject, path: string): void {
  const { property, op, value } = filter;
  if (typeof property !== 'string' || op !== '=' || typeof value !== 'string') return;
  if (system === SNOMED_CT && property === 'constraint') {
    const problem = eclSyntaxProblem(value);
    if (problem) report(walk, 'error', 'invalid', CODES.valueSetFilter, `The filter's value '${value}' is not valid SNOMED CT ECL: ${problem}`, path);
    return;
  }
  const type = propertyType(walk, system, property);
  const expected = type !== undefined && Object.hasOwn(CHECKED_TYPES, type) ? CHECKED_TYPES[type] : undefined;
  const pattern = expected && walk.model.getType(type as string)?.primitive?.pattern;
  if (pattern && !pattern.test(value)) {
    report(walk, 'error', 'invalid', CODES.valueSetFilter,
      `The value of a filter on the ${type} property '${property}' must be ${expected}, not '${value}'`, path);
  }
}

function checkInclude(walk: WalkContext, include: JsonObject, path: string, part: string): void {
  const system = typeof include.system === 'string' ? include.system : undefined;
  if (system !== undefined && !isAbsoluteUri(system)) {
    report(walk, 'error', 'invalid', CODES.canonicalUrl,
      `ValueSet.compose.${part}.system must be an absolute URI (a contained code system is named by its full url), not '${system}'`, path);
  }
  if (!Array.isArray(include.filter)) return;
  include.filter.forEach((filter, index) => {
    if (isJsonObject(filter)) checkFilter(walk, system, filter, `${path}.filter[${index}]`);
  });
}

export function checkValueSet(walk: WalkContext, resource: JsonObject, path: string): void {
  const compose = resource.compose;
  if (!isJsonObject(compose)) return;
  for (const part of ['include', 'exclude'] as const) {
    const list = compose[part];
    if (!Array.isArray(list)) continue;
    list.forEach((include, index) => {
      if (isJsonObject(include)) checkInclude(walk, include, `${path}.compose.${part}[${index}]`, part);
    });
  }
}
