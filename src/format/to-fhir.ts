/**
 * Aidbox -> FHIR format, driven by the model: value: {Quantity} -> valueQuantity, {resourceType,
 * id} / {uri} / {localRef} -> reference strings, first-class fields -> extensions (appended after
 * the extensions the object keeps), at every depth. Unknown keys and resource types are copied as
 * they are. Malformed Aidbox input (a choice object with two types, a FHIR-style valueString key,
 * a reference in two forms, a first-class field of the wrong shape) is a 400 FhirError.
 */
import { carryNumberText, isJsonObject, withNumberTexts, type JsonObject, type Resource } from '../core/index.js';
import { choiceKey, type ElementContainer, type ElementSchema, type FhirModel, type JsonKeyBinding } from '../model/index.js';
import { referenceToFhir } from './aidbox-reference.js';
import { lowerField } from './first-class-lower.js';
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
  /** Extensions made from first-class fields, appended to `extension` at the end. */
  added?: JsonObject[];
}

/** Converts an Aidbox-format resource to FHIR. Throws a FhirError (400) on malformed input. */
export function toFhir(model: FhirModel, resource: Resource): Resource {
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

function convertObject(ctx: FormatContext, input: JsonObject, container: ElementContainer, frame: Frame, isResource: boolean): JsonObject {
  const source = frame.type === 'Reference' ? referenceToFhir(input) : input;
  const walk: ObjectWalk = { ctx, source, target: {}, container, frame, isResource };
  for (const key of Object.keys(source)) {
    try {
      convertKey(walk, key);
    } catch (error) {
      throw locate(error, `.${key}`);
    }
  }
  if (walk.added) appendExtensions(walk.target, walk.added);
  return walk.target;
}

function appendExtensions(target: JsonObject, added: JsonObject[]): void {
  const kept = target.extension;
  if (kept === undefined) target.extension = added;
  else if (Array.isArray(kept)) target.extension = [...kept, ...added];
  else throw locate(fault(FORMAT_CODES.extensionNotArray, 'extension must be an array'), '.extension');
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
  const element = walk.container.elements.get(key);
  if (element?.isChoice) expandChoice(walk, element, value);
  else if (element) walk.target[key] = convertElementValue(walk.ctx, value, walk.container.keys.get(key) as JsonKeyBinding, walk.frame);
  else if (walk.container.keys.has(key)) throw fhirChoiceKey(key, walk.container);
  else convertOtherKey(walk, key, value);
  carryNumberText(walk.source, key, walk.target, key);
}

function fhirChoiceKey(key: string, container: ElementContainer) {
  const binding = container.keys.get(key) as JsonKeyBinding;
  return fault(FORMAT_CODES.fhirChoiceKey, `${key} is FHIR format; Aidbox format writes ${binding.element.name}: {"${binding.type}": ...}`);
}

/** A first-class field, or an unknown key (copied). */
function convertOtherKey(walk: ObjectWalk, key: string, value: unknown): void {
  const shape = walk.container.elements.has('extension')
    ? walk.ctx.registry.forContainer(walk.container, walk.frame).byName.get(key) : undefined;
  if (shape) (walk.added ??= []).push(...lowerField(walk.ctx, shape, value, walk.frame, convertSingle));
  else setOwn(walk.target, key, value);
}

/** value: {Quantity: {...}} -> valueQuantity; {string: "x", _string: {...}} -> valueString and _valueString. */
function expandChoice(walk: ObjectWalk, element: ElementSchema, value: unknown): void {
  if (!isJsonObject(value)) throw fault(FORMAT_CODES.choiceNotObject, `${element.name} is a choice and takes an object such as {"${element.types[0]?.code}": ...}`);
  let type: string | undefined;
  for (const key of Object.keys(value)) {
    const named = key.charCodeAt(0) === 95 ? key.slice(1) : key;
    if (type !== undefined && named !== type) {
      throw fault(FORMAT_CODES.choiceMultipleTypes, `The choice ${element.name} holds more than one type: ${type} and ${named}`);
    }
    type = named;
  }
  if (type === undefined) throw fault(FORMAT_CODES.choiceEmpty, `The choice object of ${element.name} is empty`);
  const fhirKey = choiceKey(element.name, type);
  const binding = walk.container.keys.get(fhirKey);
  if (!binding || binding.element !== element || (Object.hasOwn(value, `_${type}`) && !isPrimitiveType(walk.ctx, type))) {
    throw fault(FORMAT_CODES.choiceUnknownType, `${type} is not a type of ${element.name}; it takes ${element.types.map((t) => t.code).join(', ')}`);
  }
  if (Object.hasOwn(value, type)) {
    walk.target[fhirKey] = convertElementValue(walk.ctx, value[type], binding, walk.frame);
    carryNumberText(value, type, walk.target, fhirKey);
  }
  if (Object.hasOwn(value, `_${type}`)) {
    walk.target[`_${fhirKey}`] = convertElementObjects(walk.ctx, value[`_${type}`], childFrame(walk.frame, binding));
  }
}

/** _given: the id and extensions of primitive values. A FHIR-style _valueString is malformed here. */
function convertPrimitiveExtension(walk: ObjectWalk, key: string, value: unknown): void {
  const binding = walk.container.keys.get(key.slice(1));
  if (binding?.element.isChoice) throw fhirChoiceKey(key.slice(1), walk.container);
  if (!binding || !isPrimitiveType(walk.ctx, binding.type)) setOwn(walk.target, key, value);
  else walk.target[key] = convertElementObjects(walk.ctx, value, childFrame(walk.frame, binding));
}

function convertElementObjects(ctx: FormatContext, value: unknown, frame: Frame): unknown {
  const one = (item: unknown) => (isJsonObject(item) ? convertObject(ctx, item, ctx.elementType, frame, false) : item);
  if (!Array.isArray(value)) return one(value);
  return value.map((item, index) => {
    try {
      return one(item);
    } catch (error) {
      throw locate(error, `[${index}]`);
    }
  });
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
  return withNumberTexts(value, result);
}

function convertSingle(ctx: FormatContext, value: unknown, binding: JsonKeyBinding, frame: Frame): unknown {
  if (!isJsonObject(value)) return value;
  if (isResourceSlot(ctx, binding)) return convertResource(ctx, value);
  if (!binding.element.children && isPrimitiveType(ctx, binding.type)) return value;
  const container = ctx.model.childrenOf(binding.element, binding.type);
  return container ? convertObject(ctx, value, container, childFrame(frame, binding), false) : value;
}
