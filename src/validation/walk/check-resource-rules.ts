/**
 * Rules of conformance resources beyond their definitions: a canonical url is absolute
 * (http://hl7.org/fhir/R4/resource.html#canonical), a ValueSet includes code systems by absolute
 * url, and the rules of CodeSystem (check-code-system.ts).
 */
import { isAbsoluteUri, isJsonObject, type JsonObject } from '../../core/index.js';
import { VALIDATION_CODES as CODES } from '../validation-issues.js';
import { checkCodeSystem } from './check-code-system.js';
import { report, type WalkContext } from './walk-context.js';

function checkValueSet(walk: WalkContext, resource: JsonObject, path: string): void {
  const compose = resource.compose;
  if (!isJsonObject(compose)) return;
  for (const part of ['include', 'exclude'] as const) {
    const list = compose[part];
    if (!Array.isArray(list)) continue;
    list.forEach((include, index) => {
      if (isJsonObject(include) && typeof include.system === 'string' && !isAbsoluteUri(include.system)) {
        report(walk, 'error', 'invalid', CODES.canonicalUrl,
          `ValueSet.compose.${part}.system must be an absolute URI (a contained code system is named by its full url), not '${include.system}'`, `${path}.compose.${part}[${index}]`);
      }
    });
  }
}

/** Runs the rules of the resource's type, if any. `hasCanonicalUrl`: the type's url is a canonical url. */
export function checkResourceRules(walk: WalkContext, resource: JsonObject, path: string, hasCanonicalUrl: boolean): void {
  if (hasCanonicalUrl && typeof resource.url === 'string' && !isAbsoluteUri(resource.url)) {
    report(walk, 'error', 'invalid', CODES.canonicalUrl, `Canonical URLs must be absolute URLs (${resource.url})`, `${path}.url`);
  }
  if (resource.resourceType === 'CodeSystem') checkCodeSystem(walk, resource, path);
  else if (resource.resourceType === 'ValueSet') checkValueSet(walk, resource, path);
}
