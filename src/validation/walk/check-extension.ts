/**
 * Extensions (http://hl7.org/fhir/R4/extensibility.html): a url that names a known definition
 * (unknown ones are reported with the configured severity, except under the configured extension
 * domains, where extensions need no definition), used where the definition's context
 * allows it, with a value or nested extensions but not both (ext-1), and validated against the
 * definition itself (value types, nested extensions).
 */
import { FhirError, isAbsoluteUri, type JsonObject } from '../../core/index.js';
import { constraintRoots, type CompiledDefinition, type ExtensionContext } from '../schema/compiled-definition.js';
import type { ElementRule } from '../schema/element-rule.js';
import { VALIDATION_CODES as CODES } from '../validation-issues.js';
import { report, type WalkContext } from './walk-context.js';

/** Where an extension is used: the element holding it. */
export interface ExtensionHost {
  /** Path from the resource type (Patient.name.family). */
  elementPath: string;
  /** The element's path in its definition (HumanName.family), or the type name at a type's root. */
  definitionPath: string;
  /** The FHIR type of the element (HumanName, string, Patient). */
  type: string;
  /** The url of the extension holding it, for nested extensions. */
  extensionUrl?: string;
}

/**
 * Places the R4 core definitions themselves use an extension that its context does not name: the
 * snapshots of the core package carry structuredefinition-fhir-type on ElementDefinition.type,
 * not only on type.code. Copies of core definitions must stay valid.
 */
const CORE_USAGES: Record<string, string[]> = {
  'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type': ['ElementDefinition.type'],
};

function typeAncestors(walk: WalkContext, type: string): string[] {
  const names: string[] = [];
  for (let current = walk.model.getType(type); current; current = current.base ? walk.model.getType(current.base) : undefined) {
    names.push(current.name);
  }
  return names;
}

function contextAllows(walk: WalkContext, context: ExtensionContext, host: ExtensionHost): boolean {
  const expression = context.expression.replace(/\[x\]/g, '');
  if (context.type === 'fhirpath') return true;
  if (context.type === 'extension') return host.extensionUrl === context.expression;
  if (expression === host.elementPath || expression === host.definitionPath.replace(/\[x\]/g, '')) return true;
  if (expression === 'Element' || expression === 'Base') return true;
  return typeAncestors(walk, host.type).includes(expression);
}

function checkContext(walk: WalkContext, definition: CompiledDefinition, host: ExtensionHost, path: string): void {
  if (definition.contexts.length === 0) return;
  if (Object.hasOwn(CORE_USAGES, definition.url) && CORE_USAGES[definition.url].includes(host.definitionPath)) return;
  if (definition.contexts.some((context) => contextAllows(walk, context, host))) return;
  const allowed = definition.contexts.map((context) => context.expression).join(', ');
  report(walk, 'error', 'extension', CODES.extensionContext,
    `The extension ${definition.url} is not allowed at ${host.elementPath} (allowed: ${allowed})`, path);
}

function checkValueOrExtensions(walk: WalkContext, item: JsonObject, path: string): void {
  const hasValue = Object.keys(item).some((key) => key.startsWith('value') && key.length > 5);
  const hasExtensions = Array.isArray(item.extension) && item.extension.length > 0;
  if (hasValue === hasExtensions) {
    report(walk, 'error', 'invariant', CODES.invariant,
      "Constraint failed: ext-1: 'Must have either extensions or value[x], not both'", path);
  }
}

function resolveDefinition(walk: WalkContext, url: string, path: string): CompiledDefinition | undefined {
  try {
    return walk.registry.resolve(url) ?? (url.includes('|') ? walk.registry.resolve(url.split('|')[0]) : undefined);
  } catch (error) {
    if (!(error instanceof FhirError)) throw error;
    report(walk, 'error', 'processing', CODES.profileInvalid, `The definition of the extension ${url} cannot be used: ${error.message}`, path);
    return undefined;
  }
}

/**
 * Checks an extension and returns the rules of its definition (to validate it against), or none
 * when its definition is unknown. `nested`: inside another extension, where relative urls name
 * parts of that extension (checked by its definition's slicing when it is known).
 */
export function checkExtension(walk: WalkContext, item: JsonObject, host: ExtensionHost, nested: boolean, path: string): ElementRule[] {
  checkValueOrExtensions(walk, item, path);
  const url = item.url;
  if (typeof url !== 'string') {
    report(walk, 'error', 'required', CODES.extensionNoUrl, 'Extension.url is required to identify and validate the extension', path);
    return [];
  }
  if (!isAbsoluteUri(url)) {
    if (!nested) report(walk, 'error', 'invalid', CODES.extensionUnknown, `The extension url ${url} is not absolute`, `${path}.url`);
    return [];
  }
  if (url.includes('|')) {
    report(walk, 'error', 'invalid', CODES.extensionVersioned, `The extension url ${url} must not contain a version`, `${path}.url`);
  }
  const definition = resolveDefinition(walk, url, path);
  if (!definition && walk.settings.extensionDomains.some((domain) => url.startsWith(domain))) return [];
  if (!definition) {
    report(walk, walk.settings.unknownExtension, walk.settings.unknownExtension === 'information' ? 'informational' : 'extension',
      CODES.extensionUnknown, `The extension ${url} is not known, so it was not validated`, path);
    return [];
  }
  if (definition.type !== 'Extension') {
    report(walk, 'error', 'extension', CODES.extensionUnknown, `${url} is a ${definition.type} definition, not an extension`, path);
    return [];
  }
  checkContext(walk, definition, host, path);
  return constraintRoots(definition);
}
