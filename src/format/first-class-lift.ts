/**
 * FHIR extensions -> first-class fields. An object's extensions whose url is bound to a field (for
 * the object's context) become that field, provided every one of them fits the field's shape: no
 * id, a value of an allowed type (simple) or only known parts (complex), no more than one where the
 * field does not repeat, and no key of the field's name in the object already (an unknown element).
 * Otherwise they all stay in `extension` untouched, so the data is never changed, only moved.
 * Lifted fields follow the extensions kept, in the order their first extension had.
 */
import { isJsonObject, type JsonObject } from '../core/index.js';
import type { ElementContainer, JsonKeyBinding } from '../model/index.js';
import type { ExtensionShape } from './extension-shape.js';
import { extensionValueBinding, type FormatContext } from './format-context.js';
import { extensionFrame, type Frame } from './walk-frame.js';

export type ValueConverter = (ctx: FormatContext, value: unknown, binding: JsonKeyBinding, frame: Frame) => unknown;

export interface LiftedExtensions {
  /** The extensions that stay in `extension`. */
  kept: unknown[];
  /** Field name -> Aidbox value. */
  fields: [string, unknown][];
}

const NOT_LIFTED = Symbol('not lifted');
type Lifted = unknown;

function groupByShape(extensions: unknown[], byUrl: Map<string, ExtensionShape>): Map<ExtensionShape, JsonObject[]> {
  const groups = new Map<ExtensionShape, JsonObject[]>();
  for (const extension of extensions) {
    if (!isJsonObject(extension) || typeof extension.url !== 'string') continue;
    const shape = byUrl.get(extension.url);
    if (!shape) continue;
    const group = groups.get(shape);
    if (group) group.push(extension);
    else groups.set(shape, [extension]);
  }
  return groups;
}

export function liftExtensions(
  ctx: FormatContext, source: JsonObject, container: ElementContainer, frame: Frame, convert: ValueConverter,
): LiftedExtensions | undefined {
  if (!container.elements.has('extension')) return undefined;
  const bindings = ctx.registry.forContainer(container, frame);
  if (bindings.byUrl.size === 0) return undefined;
  const extensions = source.extension as unknown[];
  const groups = groupByShape(extensions, bindings.byUrl);
  const lifted = new Map<ExtensionShape, Lifted>();
  for (const [shape, items] of groups) {
    if (Object.hasOwn(source, shape.name)) continue;
    const value = liftField(ctx, shape, items, extensionFrame(frame), convert);
    if (value !== NOT_LIFTED) lifted.set(shape, value);
  }
  if (lifted.size === 0) return undefined;
  const liftedUrls = new Set([...lifted.keys()].map((shape) => shape.url));
  return {
    kept: extensions.filter((extension) => !(isJsonObject(extension) && liftedUrls.has(extension.url as string))),
    fields: [...lifted].map(([shape, value]) => [shape.name, value]),
  };
}

function liftField(ctx: FormatContext, shape: ExtensionShape, items: JsonObject[], frame: Frame, convert: ValueConverter): Lifted {
  if (!shape.isArray && items.length !== 1) return NOT_LIFTED;
  const values: unknown[] = [];
  for (const item of items) {
    const value = liftOne(ctx, shape, item, frame, convert);
    if (value === NOT_LIFTED) return NOT_LIFTED;
    values.push(value);
  }
  return shape.isArray ? values : values[0];
}

/** One extension (url already matched) -> its Aidbox value, or NOT_LIFTED. */
function liftOne(ctx: FormatContext, shape: ExtensionShape, item: JsonObject, frame: Frame, convert: ValueConverter): Lifted {
  return shape.kind === 'complex' ? liftComplex(ctx, shape, item, frame, convert) : liftSimple(ctx, shape, item, frame, convert);
}

function liftSimple(ctx: FormatContext, shape: ExtensionShape, item: JsonObject, frame: Frame, convert: ValueConverter): Lifted {
  const keys = Object.keys(item);
  if (keys.length !== 2) return NOT_LIFTED;
  const key = keys[0] === 'url' ? keys[1] : keys[0];
  const binding = extensionValueBinding(ctx, key);
  const value = item[key];
  if (!binding || !shape.valueTypes.includes(binding.type) || value === null || Array.isArray(value)) return NOT_LIFTED;
  const converted = convert(ctx, value, binding, frame);
  return shape.valueTypes.length === 1 ? converted : { [binding.type]: converted };
}

function liftComplex(ctx: FormatContext, shape: ExtensionShape, item: JsonObject, frame: Frame, convert: ValueConverter): Lifted {
  for (const key of Object.keys(item)) if (key !== 'url' && key !== 'extension') return NOT_LIFTED;
  const parts = item.extension;
  if (parts === undefined) return {};
  if (!Array.isArray(parts) || parts.length === 0) return NOT_LIFTED;
  const groups = new Map<ExtensionShape, JsonObject[]>();
  for (const part of parts) {
    const partShape = isJsonObject(part) && typeof part.url === 'string' ? shape.partsByUrl.get(part.url) : undefined;
    if (!partShape) return NOT_LIFTED;
    const group = groups.get(partShape);
    if (group) group.push(part as JsonObject);
    else groups.set(partShape, [part as JsonObject]);
  }
  const result: JsonObject = {};
  for (const [partShape, items] of groups) {
    const value = liftField(ctx, partShape, items, extensionFrame(frame), convert);
    if (value === NOT_LIFTED) return NOT_LIFTED;
    result[partShape.name] = value;
  }
  return result;
}
