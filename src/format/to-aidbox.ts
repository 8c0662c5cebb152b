/**
 * FHIR -> Aidbox format, driven by the model: choice types valueQuantity -> value: {Quantity},
 * references -> {resourceType, id} / {uri} / {localRef}, bound extensions -> first-class fields,
 * at every depth (data types, extensions, contained resources, Bundle entries). Unknown keys and
 * unknown resource types are copied as they are; the result may share such subtrees with the input.
 */
import { isJsonObject, type JsonObject, type Resource } from '../core/index.js';
import type { ElementContainer, FhirModel, JsonKeyBinding } from '../model/index.js';
import { referenceToAidbox } from './aidbox-reference.js';
import { liftExtensions, type LiftedExtensions } from './first-class-lift.js';
import { formatContext, isPrimitiveType, isResourceSlot, setOwn, type FormatContext } from './format-context.js';
import { fault, FORMAT_CODES, locate, toFhirError } from './format-errors.js';
import { childFrame, rootFrame, type Frame } from './walk-frame.js';

interface ObjectWalk {
  ctx: FormatContext;
  source: JsonObject;
  target: JsonObject;
  container: ElementContainer;
  frame: Frame;
  isResource: boolean;
  /** Choice elements written so far: name -> type (made at the first one). */
  choices?: Map<string, string>;
  lifted?: LiftedExtensions;
}

/** Converts a FHIR resource to Aidbox format. Throws a FhirError (400) on input it cannot read. */
export function toAidbox(model: FhirModel, resource: Resource): Resource {
  try {
    return convertResource(formatContext(model), resource) as Resource;
  } catch (error) {
    throw toFhirError(error, String(resource.resourceType));
  }
}

function convertResource(ctx: FormatContext, value: unknown): unknown {
  if (!isJsonObject(value) || typeof value.resourceType !== 'string') return value;
  const type = ctx.model.getType(value.resourceType);
  if (!type || type.kind !== 'resource') return value;
  return convertObject(ctx, value, type, rootFrame(type.name), true);
}

function convertObject(ctx: FormatContext, source: JsonObject, container: ElementContainer, frame: Frame, isResource: boolean): JsonObject {
  const walk: ObjectWalk = { ctx, source, target: {}, container, frame, isResource };
  if (Array.isArray(source.extension)) walk.lifted = liftExtensions(ctx, source, container, frame, convertSingle);
  for (const key of Object.keys(source)) {
    try {
      convertKey(walk, key);
    } catch (error) {
      throw locate(error, `.${key}`);
    }
  }
  if (walk.lifted) for (const [name, value] of walk.lifted.fields) walk.target[name] = value;
  return frame.type === 'Reference' ? referenceToAidbox(walk.target) : walk.target;
}

function convertKey(walk: ObjectWalk, key: string): void {
  const value = walk.source[key];
  if (key === 'resourceType' && walk.isResource) {
    walk.target[key] = value;
    return;
  }
  if (key.charCodeAt(0) === 95) {
    convertPrimitiveExtension(walk, key, value);
    return;
  }
  const binding = walk.container.keys.get(key);
  if (!binding) {
    putUnknown(walk, key, value);
    return;
  }
  const source = key === 'extension' && walk.lifted ? walk.lifted.kept : value;
  if (key === 'extension' && walk.lifted && walk.lifted.kept.length === 0) return;
  const converted = convertElementValue(walk.ctx, source, binding, walk.frame);
  if (binding.element.isChoice) putChoice(walk, binding, binding.type, converted);
  else walk.target[key] = converted;
}

/** An unknown key is copied, unless Aidbox format uses its name (a choice element, a first-class field). */
function putUnknown(walk: ObjectWalk, key: string, value: unknown): void {
  if (Object.hasOwn(walk.target, key)) {
    throw fault(FORMAT_CODES.keyClash, `"${key}" is both an unknown key and the Aidbox name of the choice element ${key}[x]`);
  }
  if (walk.container.elements.has('extension') && walk.ctx.registry.forContainer(walk.container, walk.frame).byName.has(key)) {
    throw fault(FORMAT_CODES.keyClash, `"${key}" is both an unknown key and a first-class field here`);
  }
  setOwn(walk.target, key, value);
}

/** value: {Quantity: ...}; typeKey is the type, or _type for the extensions of a primitive. */
function putChoice(walk: ObjectWalk, binding: JsonKeyBinding, typeKey: string, value: unknown): void {
  const name = binding.element.name;
  const written = walk.choices?.get(name);
  if (written === undefined) {
    if (Object.hasOwn(walk.target, name)) {
      throw fault(FORMAT_CODES.keyClash, `"${name}" is both an unknown key and the Aidbox name of the choice element ${name}[x]`);
    }
    (walk.choices ??= new Map()).set(name, binding.type);
    walk.target[name] = { [typeKey]: value };
  } else if (written !== binding.type) {
    throw fault(FORMAT_CODES.choiceMultipleTypes, `${name}[x] has values of two types, ${written} and ${binding.type}`);
  } else (walk.target[name] as JsonObject)[typeKey] = value;
}

/** _given / _valueString: the id and extensions of primitive values, as Element objects. */
function convertPrimitiveExtension(walk: ObjectWalk, key: string, value: unknown): void {
  const binding = walk.container.keys.get(key.slice(1));
  if (!binding || !isPrimitiveType(walk.ctx, binding.type)) {
    putUnknown(walk, key, value);
    return;
  }
  const frame = childFrame(walk.frame, binding);
  const converted = Array.isArray(value)
    ? value.map((item, index) => atIndex(index, () => convertElementObject(walk.ctx, item, frame)))
    : convertElementObject(walk.ctx, value, frame);
  if (binding.element.isChoice) putChoice(walk, binding, `_${binding.type}`, converted);
  else walk.target[key] = converted;
}

function convertElementObject(ctx: FormatContext, value: unknown, frame: Frame): unknown {
  return isJsonObject(value) ? convertObject(ctx, value, ctx.elementType, frame, false) : value;
}

function atIndex<T>(index: number, run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw locate(error, `[${index}]`);
  }
}

function convertElementValue(ctx: FormatContext, value: unknown, binding: JsonKeyBinding, frame: Frame): unknown {
  if (!Array.isArray(value)) return convertSingle(ctx, value, binding, frame);
  const result = new Array<unknown>(value.length);
  for (let index = 0; index < value.length; index++) {
    try {
      result[index] = convertSingle(ctx, value[index], binding, frame);
    } catch (error) {
      throw locate(error, `[${index}]`);
    }
  }
  return result;
}

/** One value of an element, by the element's type; frame is the frame of the object holding it. */
export function convertSingle(ctx: FormatContext, value: unknown, binding: JsonKeyBinding, frame: Frame): unknown {
  if (!isJsonObject(value)) return value;
  if (isResourceSlot(ctx, binding)) return convertResource(ctx, value);
  if (!binding.element.children && isPrimitiveType(ctx, binding.type)) return value;
  const container = ctx.model.childrenOf(binding.element, binding.type);
  return container ? convertObject(ctx, value, container, childFrame(frame, binding), false) : value;
}
