/**
 * Rules of CodeSystem beyond its definition (http://hl7.org/fhir/R4/codesystem.html): a complete
 * code system's count agrees with its concepts; a property that uses a standard concept property
 * URI (http://hl7.org/fhir/concept-properties) keeps that property's type and code, and no other
 * URI of that namespace is used; property codes and URIs are unique; a concept's property value
 * has the type its property declares; a supplement has content "supplement" and only codes of the
 * code system it supplements.
 */
import { isJsonObject, type JsonObject } from '../../core/index.js';
import type { ElementContainer } from '../../model/index.js';
import { VALIDATION_CODES as CODES } from '../validation-issues.js';
import { STANDARD_PROPERTY_NAMESPACE, STANDARD_PROPERTY_TYPES } from '../terminology/standard-properties.js';
import { report, type WalkContext } from './walk-context.js';

interface PropertyDefinition {
  code?: string;
  uri?: string;
  type?: string;
}

/** What the property definitions seen so far declare: each code's type (the first definition wins), and the URIs. */
interface DeclaredProperties {
  typesByCode: Map<string, string | undefined>;
  uris: Set<string>;
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Every concept, nested ones included, with its path. */
function* conceptsWithPaths(concepts: unknown, path: string): Generator<[JsonObject, string]> {
  if (!Array.isArray(concepts)) return;
  for (const [index, concept] of concepts.entries()) {
    if (!isJsonObject(concept)) continue;
    const here = `${path}.concept[${index}]`;
    yield [concept, here];
    yield* conceptsWithPaths(concept.concept, here);
  }
}

function checkCount(walk: WalkContext, resource: JsonObject, path: string): void {
  if (resource.content !== 'complete' || typeof resource.count !== 'number') return;
  const actual = [...conceptsWithPaths(resource.concept, path)].length;
  if (actual !== resource.count) {
    report(walk, 'error', 'invalid', CODES.definition, `The code system is complete, but it has ${actual} concepts, not the stated count ${resource.count}`, `${path}.count`);
  }
}

function checkUniqueProperty(walk: WalkContext, property: PropertyDefinition, declared: DeclaredProperties, path: string): void {
  if (property.code !== undefined) {
    if (declared.typesByCode.has(property.code)) {
      report(walk, 'error', 'business-rule', CODES.codeSystemPropertyDuplicate, `A property is already defined with the code '${property.code}'`, path);
    } else declared.typesByCode.set(property.code, property.type);
  }
  if (property.uri !== undefined) {
    if (declared.uris.has(property.uri)) {
      report(walk, 'error', 'business-rule', CODES.codeSystemPropertyDuplicate, `A property is already defined with the URI '${property.uri}'`, path);
    } else declared.uris.add(property.uri);
  }
}

/**
 * A URI of the standard namespace names a known property, keeps its type, and is not given the
 * code of another standard property (filters on that code would mean the other property).
 */
function checkStandardProperty(walk: WalkContext, property: PropertyDefinition, path: string): void {
  const uri = property.uri;
  if (uri === undefined || !uri.startsWith(STANDARD_PROPERTY_NAMESPACE)) return;
  const standardCode = uri.slice(STANDARD_PROPERTY_NAMESPACE.length);
  const standardType = STANDARD_PROPERTY_TYPES.get(standardCode);
  if (standardType === undefined) {
    report(walk, 'error', 'business-rule', CODES.codeSystemProperty,
      `Unknown concept property '${uri}': a property of your own must not be created in the HL7 namespace ${STANDARD_PROPERTY_NAMESPACE}`, path);
    return;
  }
  if (property.code !== undefined && property.code !== standardCode && STANDARD_PROPERTY_TYPES.has(property.code)) {
    report(walk, 'error', 'business-rule', CODES.codeSystemProperty,
      `The URI '${uri}' is normally assigned the code '${standardCode}'; using the code '${property.code}', the code of another standard property, confuses ValueSet filters and other users of the code`, path);
  }
  if (property.type !== undefined && property.type !== standardType) {
    report(walk, 'error', 'business-rule', CODES.codeSystemProperty,
      `Wrong type '${property.type}': the URI '${uri}' identifies a property of type '${standardType}'`, path);
  }
}

function checkPropertyDefinitions(walk: WalkContext, resource: JsonObject, path: string): DeclaredProperties {
  const declared: DeclaredProperties = { typesByCode: new Map(), uris: new Set() };
  if (!Array.isArray(resource.property)) return declared;
  resource.property.forEach((item, index) => {
    if (!isJsonObject(item)) return;
    const property = { code: textOf(item.code), uri: textOf(item.uri), type: textOf(item.type) };
    const here = `${path}.property[${index}]`;
    checkUniqueProperty(walk, property, declared, here);
    checkStandardProperty(walk, property, here);
  });
  return declared;
}

/** The type of a concept property's value, from its value[x] key (valueCoding -> Coding). */
function valueTypeOf(propertyElements: ElementContainer, property: JsonObject): string | undefined {
  for (const key of Object.keys(property)) {
    const binding = propertyElements.keys.get(key);
    if (binding?.element.name === 'value') return binding.type;
  }
  return undefined;
}

function checkPropertyValues(walk: WalkContext, concept: JsonObject, declared: DeclaredProperties, propertyElements: ElementContainer, path: string): void {
  if (!Array.isArray(concept.property)) return;
  concept.property.forEach((property, index) => {
    if (!isJsonObject(property) || typeof property.code !== 'string') return;
    const declaredType = declared.typesByCode.get(property.code);
    const actualType = valueTypeOf(propertyElements, property);
    if (declaredType === undefined || actualType === undefined || actualType === declaredType) return;
    report(walk, 'error', 'business-rule', CODES.codeSystemPropertyValue,
      `The property '${property.code}' has the type '${actualType}', but it is defined with the type '${declaredType}'`, `${path}.property[${index}]`);
  });
}

/** The elements of CodeSystem.concept.property, which name the value[x] keys and their types. */
function conceptPropertyElements(walk: WalkContext): ElementContainer | undefined {
  const element = walk.model.elementAtPath('CodeSystem.concept.property');
  return element && walk.model.childrenOf(element);
}

/** A supplement adds designations and properties to the codes of another code system, never codes of its own (checked when that system is loaded). */
function checkSupplement(walk: WalkContext, resource: JsonObject, path: string): void {
  const base = textOf(resource.supplements);
  if (base === undefined) return;
  if (typeof resource.content === 'string' && resource.content !== 'supplement') {
    report(walk, 'error', 'business-rule', CODES.codeSystemSupplement,
      `A CodeSystem that supplements another must have the content 'supplement', not '${resource.content}'`, `${path}.content`);
  }
  for (const [concept, here] of conceptsWithPaths(resource.concept, path)) {
    if (typeof concept.code === 'string' && walk.terminology.codeExists(base, concept.code) === 'out') {
      report(walk, 'error', 'business-rule', CODES.codeSystemSupplementCode,
        `The code '${concept.code}' is not a code of the supplemented code system ${base}: a supplement cannot define codes`, here);
    }
  }
}

export function checkCodeSystem(walk: WalkContext, resource: JsonObject, path: string): void {
  checkCount(walk, resource, path);
  const declared = checkPropertyDefinitions(walk, resource, path);
  const propertyElements = conceptPropertyElements(walk);
  if (declared.typesByCode.size > 0 && propertyElements) {
    for (const [concept, here] of conceptsWithPaths(resource.concept, path)) checkPropertyValues(walk, concept, declared, propertyElements, here);
  }
  checkSupplement(walk, resource, path);
}
