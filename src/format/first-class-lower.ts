/**
 * First-class fields -> FHIR extensions (the way back of first-class-lift.ts). A field that
 * repeats takes a non-empty array, one that does not takes a single value; a simple extension's
 * value is bare when its definition allows one type and a choice object ({string: ...}) otherwise;
 * a complex extension is an object of its parts. Anything else is malformed (400).
 */
import { isJsonObject, type JsonObject } from '../core/index.js';
import { choiceKey } from '../model/index.js';
import type { ExtensionShape } from './extension-shape.js';
import type { ValueConverter } from './first-class-lift.js';
import { extensionValueBinding, type FormatContext } from './format-context.js';
import { fault, FORMAT_CODES, locate } from './format-errors.js';
import { extensionFrame, type Frame } from './walk-frame.js';

/** The extensions a field value stands for; frame is the frame of the object holding the field. */
export function lowerField(ctx: FormatContext, shape: ExtensionShape, value: unknown, frame: Frame, convert: ValueConverter): JsonObject[] {
  const here = extensionFrame(frame);
  if (!shape.isArray) {
    if (Array.isArray(value)) throw fault(FORMAT_CODES.extensionCardinality, `${shape.name} takes one value, not an array`);
    return [lowerOne(ctx, shape, value, here, convert)];
  }
  if (!Array.isArray(value) || value.length === 0) {
    throw fault(FORMAT_CODES.extensionCardinality, `${shape.name} repeats and takes a non-empty array`);
  }
  return value.map((item, index) => {
    try {
      return lowerOne(ctx, shape, item, here, convert);
    } catch (error) {
      throw locate(error, `[${index}]`);
    }
  });
}

function lowerOne(ctx: FormatContext, shape: ExtensionShape, value: unknown, frame: Frame, convert: ValueConverter): JsonObject {
  if (value === null || value === undefined) throw fault(FORMAT_CODES.extensionValue, `${shape.name} has no value`);
  return shape.kind === 'complex' ? lowerComplex(ctx, shape, value, frame, convert) : lowerSimple(ctx, shape, value, frame, convert);
}

function lowerComplex(ctx: FormatContext, shape: ExtensionShape, value: unknown, frame: Frame, convert: ValueConverter): JsonObject {
  if (!isJsonObject(value)) throw fault(FORMAT_CODES.extensionValue, `${shape.name} takes an object of its parts`);
  const parts: JsonObject[] = [];
  for (const key of Object.keys(value)) {
    const part = shape.parts.get(key);
    if (!part) {
      throw locate(fault(FORMAT_CODES.extensionUnknownPart,
        `${shape.name} has no part ${key}; its parts are ${[...shape.parts.keys()].join(', ') || 'none'}`), `.${key}`);
    }
    try {
      parts.push(...lowerField(ctx, part, value[key], frame, convert));
    } catch (error) {
      throw locate(error, `.${key}`);
    }
  }
  return parts.length > 0 ? { url: shape.url, extension: parts } : { url: shape.url };
}

/** The type and the raw value of a simple extension's field value. */
function typedValue(shape: ExtensionShape, value: unknown): [string, unknown] {
  if (shape.valueTypes.length === 1) return [shape.valueTypes[0], value];
  if (!isJsonObject(value)) throw fault(FORMAT_CODES.choiceNotObject, `${shape.name} takes a choice object such as {"${shape.valueTypes[0]}": ...}`);
  const keys = Object.keys(value);
  if (keys.length === 0) throw fault(FORMAT_CODES.choiceEmpty, `The choice object of ${shape.name} is empty`);
  if (keys.length > 1) throw fault(FORMAT_CODES.choiceMultipleTypes, `The choice object of ${shape.name} has more than one type: ${keys.join(', ')}`);
  if (!shape.valueTypes.includes(keys[0])) {
    throw fault(FORMAT_CODES.choiceUnknownType, `${keys[0]} is not a type of ${shape.name}; it takes ${shape.valueTypes.join(', ')}`);
  }
  return [keys[0], value[keys[0]]];
}

function lowerSimple(ctx: FormatContext, shape: ExtensionShape, value: unknown, frame: Frame, convert: ValueConverter): JsonObject {
  const [type, raw] = typedValue(shape, value);
  const key = choiceKey('value', type);
  const binding = extensionValueBinding(ctx, key);
  if (!binding) throw fault(FORMAT_CODES.choiceUnknownType, `${type} is not a type an extension value can have`);
  if (raw === null || Array.isArray(raw)) throw fault(FORMAT_CODES.extensionValue, `${shape.name} takes one ${type} value`);
  return { url: shape.url, [key]: convert(ctx, raw, binding, frame) };
}
