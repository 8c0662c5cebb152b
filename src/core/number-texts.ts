/**
 * The written text of JSON numbers that a JavaScript number cannot reproduce (105.00, 1.0,
 * 12345678901234567890.123), kept beside the number on the object or array that holds it, under a
 * symbol key. Values stay plain JS numbers, so validation, FHIRPath and search read them as before;
 * object spread copies the texts, JSON.stringify ignores them. FHIR R4 asks that decimals keep their
 * precision: http://hl7.org/fhir/R4/datatypes.html#decimal
 */

/** The symbol under which a container keeps the texts of its numbers, by key or array index. */
export const NUMBER_TEXTS: unique symbol = Symbol.for('flint.numberTexts');

export type NumberTexts = Record<string, string>;

interface WithTexts {
  [NUMBER_TEXTS]?: NumberTexts;
}

/** The texts a container holds, if any. */
export function numberTextsOf(container: object): NumberTexts | undefined {
  return (container as WithTexts)[NUMBER_TEXTS];
}

/** Records the text of the number at container[key] (an enumerable symbol property, so spreads copy it). */
export function setNumberText(container: object, key: string | number, text: string): void {
  const holder = container as WithTexts;
  let texts = holder[NUMBER_TEXTS];
  if (!texts) {
    texts = Object.create(null) as NumberTexts;
    holder[NUMBER_TEXTS] = texts;
  }
  texts[key] = text;
}

/** The recorded text of container[key], only while it still denotes the number held there now. */
export function numberTextAt(container: object, key: string | number, value: number): string | undefined {
  const text = (container as WithTexts)[NUMBER_TEXTS]?.[key];
  return text !== undefined && Number(text) === value ? text : undefined;
}

/** Whether the text of a JSON number token is not what String(Number(text)) writes. */
export function isLossyNumberText(text: string): boolean {
  return String(Number(text)) !== text;
}

/** Whether any container in the value records number texts (when none does, JSON.stringify is exact). */
export function hasNumberTexts(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if ((value as WithTexts)[NUMBER_TEXTS] !== undefined) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (hasNumberTexts(item)) return true;
    return false;
  }
  for (const key in value) if (hasNumberTexts((value as Record<string, unknown>)[key])) return true;
  return false;
}

/**
 * A deep copy of a JSON value that keeps the number texts (structuredClone and a JSON round trip drop
 * them). Only JSON shapes are copied: objects, arrays, strings, numbers, booleans and null.
 */
export function cloneFhirJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  const texts = (value as WithTexts)[NUMBER_TEXTS];
  let copy: unknown;
  if (Array.isArray(value)) copy = value.map((item: unknown) => cloneFhirJson(item));
  else {
    const object: Record<string, unknown> = {};
    for (const key of Object.keys(value)) object[key] = cloneFhirJson((value as Record<string, unknown>)[key]);
    copy = object;
  }
  if (texts) (copy as WithTexts)[NUMBER_TEXTS] = Object.assign(Object.create(null) as NumberTexts, texts);
  return copy as T;
}

/**
 * Gives `to` the number texts of `from` (for a copy that keeps keys or array indexes, such as a map
 * over an array or an object rebuilt key by key) and returns `to`.
 */
export function withNumberTexts<T>(from: unknown, to: T): T {
  if (typeof from !== 'object' || from === null || typeof to !== 'object' || to === null) return to;
  const texts = (from as WithTexts)[NUMBER_TEXTS];
  if (texts) (to as WithTexts)[NUMBER_TEXTS] = Object.assign((to as WithTexts)[NUMBER_TEXTS] ?? Object.create(null) as NumberTexts, texts);
  return to;
}

/** Copies the text of from[fromKey], when it holds a number with a text, to to[toKey] (a key that a copy renamed). */
export function carryNumberText(from: object, fromKey: string | number, to: object, toKey: string | number): void {
  const value = (from as Record<string | number, unknown>)[fromKey];
  if (typeof value !== 'number') return;
  const text = numberTextAt(from, fromKey, value);
  if (text !== undefined) setNumberText(to, toKey, text);
}
