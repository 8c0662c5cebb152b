/**
 * The environment variables FHIR defines for FHIRPath (http://hl7.org/fhir/R4/fhirpath.html#variables):
 * %resource and %rootResource (the input resource unless the caller gives them), %sct, %loinc,
 * %"vs-[name]" and %"ext-[name]". %ucum and %context come from the library. Only the variables an
 * expression names are built, so an evaluation without variables allocates nothing.
 */

const fixed: Record<string, string> = {
  sct: 'http://snomed.info/sct',
  loinc: 'http://loinc.org',
};

const prefixed: [string, string][] = [
  ['vs-', 'http://hl7.org/fhir/ValueSet/'],
  ['ext-', 'http://hl7.org/fhir/StructureDefinition/'],
];

function isResource(input: unknown): boolean {
  return typeof input === 'object' && input !== null && typeof (input as { resourceType?: unknown }).resourceType === 'string';
}

/** The FHIR-defined value of a variable, or undefined when FHIR defines no such variable. */
export function fhirVariable(name: string, input: unknown): unknown {
  if (Object.hasOwn(fixed, name)) return fixed[name];
  if ((name === 'resource' || name === 'rootResource') && isResource(input)) return input;
  for (const [prefix, base] of prefixed) {
    if (name.startsWith(prefix) && name.length > prefix.length) return base + name.slice(prefix.length);
  }
  return undefined;
}

const none: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

/** The variables object the library gets: the caller's, plus the FHIR ones the expression uses. */
export function environmentFor(
  names: readonly string[],
  input: unknown,
  variables: Record<string, unknown> | undefined,
): Record<string, unknown> {
  if (names.length === 0) return variables ?? none;
  const environment: Record<string, unknown> = { ...variables };
  for (const name of names) {
    if (Object.hasOwn(environment, name)) continue;
    const value = fhirVariable(name, input);
    if (value !== undefined) environment[name] = value;
  }
  return environment;
}
