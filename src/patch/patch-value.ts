/**
 * The JSON of an operation's new content. A typed value (`valueCodeableConcept`) is used as it is;
 * an anonymous type (a backbone element such as Patient.contact) is built from its parts, each part
 * an element of that type, repeated elements gathered into arrays as the model says.
 */
import { cloneFhirJson, setNumberText } from '../core/index.js';
import { childTypePath, describeElement } from '../fhirpath/index.js';
import type { ParametersPart, PatchValue } from './fhirpath-patch-operation.js';
import { patchError, readValue } from './fhirpath-patch-operation.js';

type JsonObject = Record<string, unknown>;

export interface BuiltValue {
  json: unknown;
  /** The `_name` sibling of a primitive value (its id and extensions), when given. */
  meta?: unknown;
  /** The type of a typed value (`Quantity`, `Date`), for choice elements. */
  type?: string;
  /** The written text of a decimal value (see core number-texts.ts). */
  text?: string;
}

function put(target: JsonObject, key: string, value: unknown, repeating: boolean, text?: string): void {
  if (repeating) {
    const values = (target[key] ??= []) as unknown[];
    values.push(value);
    if (text !== undefined) setNumberText(values, values.length - 1, text);
  } else {
    target[key] = value;
    if (text !== undefined) setNumberText(target, key, text);
  }
}

function fromParts(parts: ParametersPart[], typePath: string | undefined, expression: string): JsonObject {
  const json: JsonObject = {};
  for (const part of parts) {
    const name = part.name ?? '';
    const facts = typePath ? describeElement(typePath, name) : undefined;
    if (typePath && !facts) throw patchError('patch.unknown-element', expression, `'${typePath}' has no element '${name}'`);
    const value = readValue(part);
    if (!value) throw patchError('patch.invalid-value', expression, `part '${name}' has no value`);
    const built = buildValue(value, facts ? childTypePath(facts) : undefined, expression);
    const key = facts?.choiceTypes && built.type ? name + built.type : name;
    put(json, key, built.json, facts?.repeating ?? false, built.text);
    if (built.meta !== undefined) put(json, `_${key}`, built.meta, facts?.repeating ?? false);
  }
  return json;
}

/** The JSON of a value whose element has the type (or backbone) path `typePath`. */
export function buildValue(value: PatchValue, typePath: string | undefined, expression: string): BuiltValue {
  if (value.kind === 'typed') return { json: cloneFhirJson(value.json), meta: cloneFhirJson(value.meta), type: value.type, text: value.text };
  return { json: fromParts(value.parts, typePath, expression) };
}
