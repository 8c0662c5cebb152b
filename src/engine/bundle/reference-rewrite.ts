/**
 * Replaces temporary and conditional references in the resources of a transaction
 * (http://hl7.org/fhir/R4/http.html#trules): "Servers SHALL replace all matching links in the
 * bundle, whether they are found in the resource ids, resource references, elements of type uri,
 * url, oid, uuid, and <a href="" & <img src="" in the narrative" (oid and uuid only where the
 * result keeps their form, see SELF_FORMED). The walk follows the model's
 * element types (choice types, contentReference, contained resources, primitive extensions), so
 * only values of those types change; an identifier.value that happens to spell a urn:uuid does
 * not. Keys the model does not know are searched for Reference-shaped `reference` strings only.
 * Every rebuilt object and array keeps the written text of its decimals (withNumberTexts).
 */
import { isJsonObject, withNumberTexts, type JsonObject, type Resource } from '../../core/index.js';
import type { ElementContainer, FhirModel, JsonKeyBinding } from '../../model/index.js';

export type ReferenceResolver = (reference: string) => string | undefined;

export interface LinkResolvers {
  /** Reference.reference: urn:uuid and fullUrl aliases, and conditional references (Type?query). */
  reference: ReferenceResolver;
  /** uri, url, oid, uuid and canonical values and narrative href/src: the entries' fullUrls only. */
  link: ReferenceResolver;
}

/**
 * The primitive types whose values are links to entries (canonical is a uri too). oid and uuid
 * values that name an entry are replaced only by a location of their own form (urn:oid:,
 * urn:uuid:): a Type/id there would break the datatype (datatypes.html#oid, #uuid) and with it
 * the whole transaction, so such a value stays as written.
 */
const LINK_TYPES = new Set(['uri', 'url', 'canonical']);
const SELF_FORMED = new Map([['oid', 'urn:oid:'], ['uuid', 'urn:uuid:']]);

function rewriteSelfFormed(value: unknown, prefix: string, resolve: ReferenceResolver): unknown {
  return rewriteLink(value, (link) => {
    const resolved = resolve(link);
    return resolved?.startsWith(prefix) ? resolved : undefined;
  });
}

interface Walk {
  model: FhirModel;
  resolve: LinkResolvers;
}

function rewriteLink(value: unknown, resolve: ReferenceResolver): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteLink(item, resolve));
  return typeof value === 'string' ? resolve(value) ?? value : value;
}

/** Rewrites href="..." and src="..." attributes that name an entry of the transaction. */
function rewriteNarrative(div: string, resolve: ReferenceResolver): string {
  return div.replace(/(href|src)="([^"]+)"/g, (whole, attribute: string, target: string) => {
    const resolved = resolve(target);
    return resolved ? `${attribute}="${resolved}"` : whole;
  });
}

/** Objects the model does not describe: only Reference-shaped `reference` strings change. */
function rewriteUntyped(value: unknown, resolve: ReferenceResolver): unknown {
  if (Array.isArray(value)) return withNumberTexts(value, value.map((item) => rewriteUntyped(item, resolve)));
  if (!isJsonObject(value)) return value;
  const result: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    result[key] = key === 'reference' && typeof child === 'string' ? resolve(child) ?? child : rewriteUntyped(child, resolve);
  }
  return withNumberTexts(value, result);
}

function rewriteResource(walk: Walk, value: unknown): unknown {
  if (!isJsonObject(value) || typeof value.resourceType !== 'string') return rewriteUntyped(value, walk.resolve.reference);
  const type = walk.model.getType(value.resourceType);
  return type ? rewriteObject(walk, value, type, value.resourceType) : rewriteUntyped(value, walk.resolve.reference);
}

function rewriteTyped(walk: Walk, value: unknown, binding: JsonKeyBinding): unknown {
  if (Array.isArray(value)) return withNumberTexts(value, value.map((item) => rewriteTyped(walk, item, binding)));
  if (LINK_TYPES.has(binding.type)) return rewriteLink(value, walk.resolve.link);
  const prefix = SELF_FORMED.get(binding.type);
  if (prefix) return rewriteSelfFormed(value, prefix, walk.resolve.link);
  if (binding.type === 'xhtml') return typeof value === 'string' ? rewriteNarrative(value, walk.resolve.link) : value;
  if (binding.type === 'Resource') return rewriteResource(walk, value);
  if (!isJsonObject(value)) return value;
  const children = walk.model.childrenOf(binding.element, binding.type);
  return children ? rewriteObject(walk, value, children, binding.type) : rewriteUntyped(value, walk.resolve.reference);
}

function rewriteObject(walk: Walk, value: JsonObject, container: ElementContainer, typeName: string): JsonObject {
  const result: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    const binding = container.keys.get(key.startsWith('_') ? key.slice(1) : key);
    if (key === 'reference' && typeName === 'Reference' && typeof child === 'string') {
      result[key] = walk.resolve.reference(child) ?? child;
    } else if (key.startsWith('_')) {
      // A primitive's id and extensions (an Element, or an array of them).
      const element = walk.model.getType('Element');
      result[key] = element ? rewriteElements(walk, child, element) : child;
    } else result[key] = binding ? rewriteTyped(walk, child, binding) : rewriteUntyped(child, walk.resolve.reference);
  }
  return withNumberTexts(value, result);
}

function rewriteElements(walk: Walk, value: unknown, element: ElementContainer): unknown {
  if (Array.isArray(value)) return withNumberTexts(value, value.map((item) => rewriteElements(walk, item, element)));
  return isJsonObject(value) ? rewriteObject(walk, value, element, 'Element') : value;
}

/** The resource with its links to entries of the transaction replaced by the entries' locations. */
export function rewriteReferences(model: FhirModel, resource: Resource, resolve: LinkResolvers): Resource {
  return rewriteResource({ model, resolve }, resource) as Resource;
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
