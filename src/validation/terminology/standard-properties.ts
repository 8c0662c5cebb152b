/**
 * The standard concept properties of code systems (http://hl7.org/fhir/concept-properties), which
 * any code system may use by their URI and which value set filters may name by their code.
 */

export const STANDARD_PROPERTY_NAMESPACE = 'http://hl7.org/fhir/concept-properties#';

/**
 * The standard concept properties, by code, and their types: those of the R4 core package
 * (inactive, deprecated, notSelectable, parent, child) and those added since
 * (http://hl7.org/fhir/R5/codesystem-concept-properties.html). A property's URI is the namespace
 * followed by its code.
 */
export const STANDARD_PROPERTY_TYPES: ReadonlyMap<string, string> = new Map([
  ['status', 'code'],
  ['inactive', 'boolean'],
  ['effectiveDate', 'dateTime'],
  ['deprecated', 'dateTime'],
  ['deprecationDate', 'dateTime'],
  ['retirementDate', 'dateTime'],
  ['notSelectable', 'boolean'],
  ['parent', 'code'],
  ['child', 'code'],
  ['partOf', 'code'],
  ['synonym', 'code'],
  ['comment', 'string'],
  ['itemWeight', 'decimal'],
]);
