/**
 * FHIR -> Aidbox format, driven by the model: choice types valueQuantity -> value: {Quantity},
 * references -> {resourceType, id} / {uri} / {localRef}, bound extensions -> first-class fields,
 * at every depth (data types, extensions, contained resources, Bundle entries). Unknown keys and
 * unknown resource types are copied as they are; the result may share such subtrees with the input.
 * It never fails, so a read never does: FHIR it cannot put in Aidbox form keeps its FHIR spelling.
 */
import { carryNumberText, isJsonObject, withNumberTexts, type JsonObject, type Resource } from '../core/index.js';
import type { ElementContainer, FhirModel, JsonKeyBinding } from '../model/index.js';
import { referenceToAidbox } from './aidbox-reference.js';
import { liftExtensions, type LiftedExtensions } from './first-class-lift.js';
import { formatContext, isPrimitiveType, isResourceSlot, setOwn, type FormatContext } from './format-context.js';
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
  /** Choice elements that keep their FHIR keys (see literalChoices). */
  literal?: Set<string>;
  lifted?: LiftedExtensions;
}

/** Thrown when a choice cannot take its Aidbox form; the object is converted again, with literal choices. */
const CHOICE_CONFLICT = Symbol('choice conflict');

/** Converts a FHIR resource to Aidbox format. Never fails: what it cannot convert stays as it is. */
export function toAidbox(model: FhirModel, resource: Resource): Resource {
  return convertResource(formatContext(model), resource) as Resource;
}

function convertResource(ctx: FormatContext, value: unknown): unknown {
  if (!isJsonObject(value) || typeof value.resourceType !== 'string') return value;
  const type = ctx.model.getType(value.resourceType);
  if (!type || type.kind !== 'resource') return value;
  return convertObject(ctx, value, type, rootFrame(type.name), true);
}

function convertObject(ctx: FormatContext, source: JsonObject, container: ElementContainer, frame: Frame, isResource: boolean): JsonObject {
  try {
    return convertWith({ ctx, source, target: {}, container, frame, isResource });
  } catch (error) {
    if (error !== CHOICE_CONFLICT) throw error;
    return convertWith({ ctx, source, target: {}, container, frame, isResource, literal: literalChoices(source, container) });
  }
}

/**
 * The choice elements of an object that cannot take the Aidbox form (invalid FHIR: values of two
 * types, or an unknown key of the element's name): they keep their FHIR keys, so nothing is lost.
 */
function literalChoices(source: JsonObject, container: ElementContainer): Set<string> {
  const types = new Map<string, Set<string>>();
  const literal = new Set<string>();
  for (const key of Object.keys(source)) {
    const binding = container.keys.get(key.charCodeAt(0) === 95 ? key.slice(1) : key);
    if (binding?.element.isChoice) types.set(binding.element.name, (types.get(binding.element.name) ?? new Set()).add(binding.type));
    else if (!binding && key.charCodeAt(0) !== 95) literal.add(key);
  }
  for (const [name, found] of types) if (found.size > 1) literal.add(name);
  return literal;
}

function convertWith(walk: ObjectWalk): JsonObject {
  const { ctx, source, container, frame } = walk;
  if (Array.isArray(source.extension)) walk.lifted = liftExtensions(ctx, source, container, frame, convertSingle);
  for (const key of Object.keys(source)) convertKey(walk, key);
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
  if (binding.element.isChoice) putChoice(walk, binding, key, converted);
  else {
    walk.target[key] = converted;
    carryNumberText(walk.source, key, walk.target, key);
  }
}

function putUnknown(walk: ObjectWalk, key: string, value: unknown): void {
  if (Object.hasOwn(walk.target, key)) throw CHOICE_CONFLICT;
  setOwn(walk.target, key, value);
  carryNumberText(walk.source, key, walk.target, key);
}

/** valueQuantity -> value: {Quantity}, _valueString -> value: {_string}; literal choices keep fhirKey. */
function putChoice(walk: ObjectWalk, binding: JsonKeyBinding, fhirKey: string, value: unknown): void {
  const name = binding.element.name;
  if (walk.literal?.has(name)) {
    walk.target[fhirKey] = value;
    carryNumberText(walk.source, fhirKey, walk.target, fhirKey);
    return;
  }
  const typeKey = fhirKey.charCodeAt(0) === 95 ? `_${binding.type}` : binding.type;
  const written = walk.choices?.get(name);
  if (written === undefined) {
    if (Object.hasOwn(walk.target, name)) throw CHOICE_CONFLICT;
    (walk.choices ??= new Map()).set(name, binding.type);
    walk.target[name] = { [typeKey]: value };
  } else if (written !== binding.type) {
    throw CHOICE_CONFLICT;
  } else (walk.target[name] as JsonObject)[typeKey] = value;
  carryNumberText(walk.source, fhirKey, walk.target[name] as JsonObject, typeKey);
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
    ? value.map((item) => convertElementObject(walk.ctx, item, frame))
    : convertElementObject(walk.ctx, value, frame);
  if (binding.element.isChoice) putChoice(walk, binding, key, converted);
  else walk.target[key] = converted;
}

function convertElementObject(ctx: FormatContext, value: unknown, frame: Frame): unknown {
  return isJsonObject(value) ? convertObject(ctx, value, ctx.elementType, frame, false) : value;
}

function convertElementValue(ctx: FormatContext, value: unknown, binding: JsonKeyBinding, frame: Frame): unknown {
  if (!Array.isArray(value)) return convertSingle(ctx, value, binding, frame);
  const result = new Array<unknown>(value.length);
  for (let index = 0; index < value.length; index++) result[index] = convertSingle(ctx, value[index], binding, frame);
  return withNumberTexts(value, result);
}

/** One value of an element, by the element's type; frame is the frame of the object holding it. */
export function convertSingle(ctx: FormatContext, value: unknown, binding: JsonKeyBinding, frame: Frame): unknown {
  if (!isJsonObject(value)) return value;
  if (isResourceSlot(ctx, binding)) return convertResource(ctx, value);
  if (!binding.element.children && isPrimitiveType(ctx, binding.type)) return value;
  const container = ctx.model.childrenOf(binding.element, binding.type);
  return container ? convertObject(ctx, value, container, childFrame(frame, binding), false) : value;
}
