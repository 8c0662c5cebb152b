/**
 * Rules of conformance resources beyond their definitions: a canonical url is absolute
 * (http://hl7.org/fhir/R4/resource.html#canonical), and the rules of CodeSystem
 * (check-code-system.ts) and ValueSet (check-value-set.ts).
 */
import { isAbsoluteUri, type JsonObject } from '../../core/index.js';
import { VALIDATION_CODES as CODES } from '../validation-issues.js';
import { checkCodeSystem } from './check-code-system.js';
import { checkValueSet } from './check-value-set.js';
import { report, type WalkContext } from './walk-context.js';

/** Runs the rules of the resource's type, if any. `hasCanonicalUrl`: the type's url is a canonical url. */
export function checkResourceRules(walk: WalkContext, resource: JsonObject, path: string, hasCanonicalUrl: boolean): void {
  if (hasCanonicalUrl && typeof resource.url === 'string' && !isAbsoluteUri(resource.url)) {
    report(walk, 'error', 'invalid', CODES.canonicalUrl, `Canonical URLs must be absolute URLs (${resource.url})`, `${path}.url`);
  }
  if (resource.resourceType === 'CodeSystem') checkCodeSystem(walk, resource, path);
  else if (resource.resourceType === 'ValueSet') checkValueSet(walk, resource, path);
}
