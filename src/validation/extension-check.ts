/**
 * Extensions whose definition the model knows (http://hl7.org/fhir/R4/extensibility.html): the
 * value must be of a type the definition's Extension.value[x] allows, and an extension defined
 * without a value (a complex extension) must not have one. Unknown URLs are not checked here.
 */
import type { Issue, JsonObject } from '../core/index.js';
import type { FhirModel } from '../model/index.js';
import { structureIssue } from './structure-issues.js';

export const EXTENSION_CODES = {
  valueType: 'structure.extension-value-type',
  valueNotAllowed: 'structure.extension-value-not-allowed',
} as const;

/** The value key of an extension (valueString) and its type (string), if it has one. */
function extensionValue(model: FhirModel, extension: JsonObject): { key: string; type: string } | undefined {
  const container = model.getType('Extension');
  for (const key of Object.keys(extension)) {
    const binding = key.startsWith('value') && container ? model.keyBinding(container, key) : undefined;
    if (binding) return { key, type: binding.type };
  }
  return undefined;
}

export function checkKnownExtension(model: FhirModel, extension: JsonObject, path: string): Issue[] {
  const definition = typeof extension.url === 'string' ? model.extensionDefinition(extension.url) : undefined;
  const allowed = definition?.valueTypes;
  const value = allowed ? extensionValue(model, extension) : undefined;
  if (!allowed || !value) return [];
  if (allowed.length === 0) {
    return [structureIssue(EXTENSION_CODES.valueNotAllowed, `The extension ${extension.url} takes no value, but has ${value.key}`, `${path}.${value.key}`, 'value')];
  }
  if (allowed.includes(value.type)) return [];
  return [structureIssue(EXTENSION_CODES.valueType,
    `The extension ${extension.url} takes a value of type ${allowed.join(' or ')}, not ${value.type}`, `${path}.${value.key}`, 'value')];
}
