/**
 * Edits of FHIR JSON at a location found by FHIRPath (see src/fhirpath result-nodes): set, remove,
 * insert into and reorder a property or a list, keeping a primitive's `_name` sibling (id and
 * extensions, aligned by index for lists) in step; and removal of the empty objects and lists an
 * edit leaves behind (FHIR JSON has none).
 */
import { setNumberText } from '../core/index.js';
import type { JsonLocation } from '../fhirpath/index.js';

type JsonObject = Record<string, unknown>;

function list(container: JsonObject, key: string): unknown[] | undefined {
  const value = container[key];
  return Array.isArray(value) ? value : undefined;
}

export function removeAt(location: JsonLocation): void {
  const { container, key, index } = location;
  if (index === null) {
    delete container[key];
    delete container[`_${key}`];
    return;
  }
  list(container, key)?.splice(index, 1);
  list(container, `_${key}`)?.splice(index, 1);
}

/**
 * Sets the value (and its `_name` sibling) at a location, under `key` (which may differ for a choice);
 * `text` is the written text of a decimal value.
 */
export function setAt(location: JsonLocation, key: string, value: unknown, meta: unknown, text?: string): void {
  const { container, index } = location;
  if (index === null) {
    if (key !== location.key) removeAt(location);
    container[key] = value;
    if (text !== undefined) setNumberText(container, key, text);
    if (meta === undefined) delete container[`_${key}`];
    else container[`_${key}`] = meta;
    return;
  }
  const values = list(container, key)!;
  values[index] = value;
  if (text !== undefined) setNumberText(values, index, text);
  const metas = list(container, `_${key}`);
  if (metas) metas[index] = meta ?? null;
  else if (meta !== undefined) container[`_${key}`] = values.map((_, i) => (i === index ? meta : null));
}

/** Inserts a value into the list `container[key]` at `index` (appends when index is the length). */
export function insertAt(container: JsonObject, key: string, index: number, value: unknown, meta: unknown, text?: string): void {
  const values = (container[key] ??= []) as unknown[];
  const metas = list(container, `_${key}`);
  values.splice(index, 0, value);
  if (text !== undefined) setNumberText(values, index, text);
  if (metas) metas.splice(index, 0, meta ?? null);
  else if (meta !== undefined) container[`_${key}`] = values.map((_, i) => (i === index ? meta : null));
}

/** Moves the list item at `source` to `destination`. */
export function moveWithin(container: JsonObject, key: string, source: number, destination: number): void {
  for (const name of [key, `_${key}`]) {
    const values = list(container, name);
    if (values) values.splice(destination, 0, ...values.splice(source, 1));
  }
}

const isEmpty = (value: unknown): boolean =>
  value === null || value === undefined
  || (Array.isArray(value) && value.every(isEmpty))
  || (typeof value === 'object' && !Array.isArray(value) && Object.keys(value as object).length === 0);

/** Removes empty objects, empty lists and lists of nulls, bottom up (a list of primitives keeps its nulls). */
export function removeEmpty(value: unknown): void {
  if (Array.isArray(value)) {
    value.forEach(removeEmpty);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const object = value as JsonObject;
  for (const [key, child] of Object.entries(object)) {
    removeEmpty(child);
    if (Array.isArray(child)) {
      if (child.some((item) => typeof item === 'object' && item !== null)) {
        const kept = child.filter((item) => !isEmpty(item));
        if (kept.length !== child.length && !key.startsWith('_')) object[key] = kept;
      }
    }
    if (isEmpty(object[key])) delete object[key];
  }
}
