/**
 * Trimming a resource for the _summary and _elements result parameters
 * (http://hl7.org/fhir/R4/search.html#summary, http://hl7.org/fhir/R4/search.html#elements), and
 * marking a trimmed resource with the SUBSETTED tag so that no client writes it back as a whole.
 * Pure: the input is never changed; the result shares the sub-objects it keeps whole with the input.
 */
import { isJsonObject, withNumberTexts, type Coding, type JsonObject, type Resource } from '../../core/index.js';
import type { ElementContainer, FhirModel, JsonKeyBinding } from '../../model/index.js';

export type SummaryMode = 'true' | 'text' | 'data' | 'false';

export const SUBSETTED: Readonly<Coding> = Object.freeze({
  system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue',
  code: 'SUBSETTED',
});

/** Kept in every subset, whatever was asked for. */
const ALWAYS_KEPT = new Set(['resourceType', 'id', 'meta']);

/** Whether a walk removed anything: only then is the result tagged. */
interface Trim {
  removed: boolean;
}

/** The element name a JSON key stands for: _birthDate follows birthDate, valueQuantity is value. */
function bindingOf(container: ElementContainer, key: string): JsonKeyBinding | undefined {
  return container.keys.get(key.startsWith('_') ? key.slice(1) : key);
}

/** A copy of the object with only the keys the predicate accepts; records whether any was dropped. */
function keepKeys(value: JsonObject, keep: (key: string) => boolean, trim: Trim): JsonObject {
  const kept: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    if (keep(key)) kept[key] = item;
    else trim.removed = true;
  }
  return withNumberTexts(value, kept);
}

/** The resource with the SUBSETTED tag in meta.tag, added once (http://hl7.org/fhir/R4/search.html#summary). */
export function tagSubsetted(resource: Resource): Resource {
  const tags = resource.meta?.tag ?? [];
  if (tags.some((tag) => tag.system === SUBSETTED.system && tag.code === SUBSETTED.code)) return resource;
  return { ...resource, meta: { ...resource.meta, tag: [...tags, { ...SUBSETTED }] } };
}

/** A data type or BackboneElement value keeping only its summary children, recursively. */
function summaryValue(value: unknown, binding: JsonKeyBinding, model: FhirModel, trim: Trim): unknown {
  if (Array.isArray(value)) return withNumberTexts(value, value.map((item) => summaryValue(item, binding, model, trim)));
  if (!isJsonObject(value)) return value;
  // Resources held inline (Bundle.entry.resource, Parameters.parameter.resource) are kept whole.
  if (binding.type === 'Resource' || model.getType(binding.type)?.kind === 'resource') return value;
  const children = model.childrenOf(binding.element, binding.type);
  return children ? summaryObject(value, children, model, trim) : value;
}

function summaryObject(value: JsonObject, container: ElementContainer, model: FhirModel, trim: Trim): JsonObject {
  const kept: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    const binding = bindingOf(container, key);
    if (!binding?.element.isSummary) trim.removed = true;
    // The _x companion of a primitive (its id and extensions) goes with the value, as it is.
    else kept[key] = key.startsWith('_') ? item : summaryValue(item, binding, model, trim);
  }
  return withNumberTexts(value, kept);
}

/** _summary=true: the elements marked isSummary, recursively, plus resourceType, id and meta. */
function summaryTrue(resource: Resource, container: ElementContainer, model: FhirModel, trim: Trim): JsonObject {
  const { resourceType, id, meta, ...rest } = resource;
  const kept = summaryObject(rest, container, model, trim);
  return { resourceType, ...(id === undefined ? {} : { id }), ...(meta === undefined ? {} : { meta }), ...kept };
}

/** Is this top-level key a mandatory element (min > 0) of the type? */
function isMandatory(container: ElementContainer, key: string): boolean {
  return (bindingOf(container, key)?.element.min ?? 0) > 0;
}

/** _summary=text: resourceType, id, meta, text and the mandatory top-level elements. */
function summaryText(resource: Resource, container: ElementContainer, trim: Trim): JsonObject {
  return keepKeys(resource, (key) => ALWAYS_KEPT.has(key) || key === 'text' || isMandatory(container, key), trim);
}

/**
 * The resource as _summary asks (http://hl7.org/fhir/R4/search.html#summary), tagged SUBSETTED when
 * anything was left out. 'false' returns the input itself. For a type the model does not know, only
 * what the mode names is removed (text for 'data'); 'true' and 'text' then keep everything but still
 * tag the result, as it is not the complete view the server could vouch for.
 */
export function summarize(resource: Resource, mode: SummaryMode, model: FhirModel): Resource {
  if (mode === 'false') return resource;
  const trim: Trim = { removed: false };
  if (mode === 'data') {
    const kept = keepKeys(resource, (key) => key !== 'text', trim) as Resource;
    return trim.removed ? tagSubsetted(kept) : kept;
  }
  const type = model.getType(resource.resourceType);
  if (!type) return tagSubsetted({ ...resource });
  const kept = (mode === 'true' ? summaryTrue(resource, type, model, trim) : summaryText(resource, type, trim)) as Resource;
  return trim.removed ? tagSubsetted(kept) : kept;
}

/** The element names of an _elements list: trimmed, empty ones dropped, a Type. prefix removed. */
function elementNames(resourceType: string, elements: string[]): Set<string> {
  const prefix = `${resourceType}.`;
  return new Set(elements.map((name) => name.trim()).filter((name) => name !== '')
    .map((name) => (name.startsWith(prefix) ? name.slice(prefix.length) : name)));
}

/** For a type the model does not know: value also names valueQuantity, valueString, ... */
function looksLikeChoiceOf(key: string, names: Set<string>): boolean {
  for (const name of names) {
    if (key.length > name.length && key.startsWith(name) && /[A-Z]/.test(key.charAt(name.length))) return true;
  }
  return false;
}

/**
 * The resource keeping only the listed top-level elements (http://hl7.org/fhir/R4/search.html#elements),
 * plus resourceType, id, meta and, as the spec says servers SHOULD, the mandatory elements (min > 0).
 * A choice element is listed by its name (value keeps valueQuantity; valueQuantity itself also
 * works); unknown names are ignored.
 * Tagged SUBSETTED when anything was left out, and always for a type the model does not know.
 */
export function selectElements(resource: Resource, elements: string[], model: FhirModel): Resource {
  const names = elementNames(resource.resourceType, elements);
  const type = model.getType(resource.resourceType);
  const trim: Trim = { removed: false };
  const bare = (key: string) => (key.startsWith('_') ? key.slice(1) : key);
  const listed = type
    ? (key: string) => names.has(bare(key)) || names.has(bindingOf(type, key)?.element.name ?? '') || isMandatory(type, key)
    : (key: string) => names.has(bare(key)) || looksLikeChoiceOf(bare(key), names);
  const keep = (key: string) => ALWAYS_KEPT.has(key) || listed(key);
  const kept = keepKeys(resource, keep, trim) as Resource;
  return trim.removed || !type ? tagSubsetted(kept) : kept;
}
