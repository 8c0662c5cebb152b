/**
 * Replaces temporary and conditional references in the resources of a transaction
 * (http://hl7.org/fhir/R4/http.html#trules): every Reference.reference anywhere in a resource
 * (extensions and contained resources included) and links in the narrative.
 */
import { isJsonObject, withNumberTexts, type Resource } from '../../core/index.js';

export type ReferenceResolver = (reference: string) => string | undefined;

function rewriteValue(value: unknown, resolve: ReferenceResolver): unknown {
  if (Array.isArray(value)) return withNumberTexts(value, value.map((item) => rewriteValue(item, resolve)));
  if (!isJsonObject(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === 'reference' && typeof child === 'string') result[key] = resolve(child) ?? child;
    else if (key === 'div' && typeof child === 'string') result[key] = rewriteNarrative(child, resolve);
    else result[key] = rewriteValue(child, resolve);
  }
  return withNumberTexts(value, result);
}

/** Rewrites href="..." and src="..." attributes that name a temporary id. */
function rewriteNarrative(div: string, resolve: ReferenceResolver): string {
  return div.replace(/(href|src)="([^"]+)"/g, (whole, attribute: string, target: string) => {
    const resolved = resolve(target);
    return resolved ? `${attribute}="${resolved}"` : whole;
  });
}

export function rewriteReferences(resource: Resource, resolve: ReferenceResolver): Resource {
  return rewriteValue(resource, resolve) as Resource;
}

/** Every Reference.reference string in a resource. */
export function collectReferences(value: unknown, found: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) value.forEach((item) => collectReferences(item, found));
  else if (isJsonObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'reference' && typeof child === 'string') found.add(child);
      else collectReferences(child, found);
    }
  }
  return found;
}
