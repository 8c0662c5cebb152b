/**
 * The oracle of the access matrix: which resources of the Synthea fixture each caller may see,
 * computed from the fixture JSON without the server's SQL compiler. Patient compartments come from
 * the R4 CompartmentDefinition (its parameters' FHIRPath expressions evaluated by fhirpath.js on
 * each resource); criteria rules are written here as plain predicates over the JSON.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fhirpath from 'fhirpath';
import r4Model from 'fhirpath/fhir-context/r4';
import type { FhirModel } from '../../src/model/index.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'synthea');

export interface FixtureEntry {
  fullUrl: string;
  resource: any;
}

export interface FixtureBundle {
  file: string;
  body: any;
  entries: FixtureEntry[];
}

/** The three Synthea patients' transaction Bundles, sorted by file name. */
export function readSyntheaBundles(): FixtureBundle[] {
  return readdirSync(FIXTURES).filter((file) => file.endsWith('.json')).sort().map((file) => {
    const body = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8'));
    return { file, body, entries: body.entry as FixtureEntry[] };
  });
}

/** A stored resource as the oracle sees it: its server reference and its fixture JSON with references mapped. */
export interface StoredFixture {
  ref: string;
  type: string;
  id: string;
  /** meta.versionId of its one version. */
  versionId: string;
  resource: any;
}

/** Replaces every urn:uuid reference of a fixture resource with the server's Type/id. */
export function withServerReferences(resource: any, assigned: ReadonlyMap<string, string>): any {
  return JSON.parse(JSON.stringify(resource), (key, value) => (key === 'reference' && typeof value === 'string' && assigned.has(value) ? assigned.get(value) : value));
}

/** The parts of a search parameter's expression on one type, without the resolve() filters fhirpath.js cannot follow here. */
function expressionParts(expression: string, type: string): string[] {
  return expression.split('|').map((part) => part.trim())
    .filter((part) => part.startsWith(`${type}.`) || part.startsWith(`(${type}.`))
    .map((part) => part.replace(/\.where\(resolve\(\) is [A-Za-z]+\)/g, '').replace(/^\((.*) as [A-Za-z]+\)$/, '$1'));
}

/** The references the compartment's parameters of a type find in a resource (fhirpath.js on the JSON). */
function compartmentReferences(model: FhirModel, compartment: string, resource: any): string[] {
  const references: string[] = [];
  for (const code of model.compartments.params(compartment, resource.resourceType)) {
    const expression = model.searchParameters.get(resource.resourceType, code)?.expression;
    if (!expression) continue;
    for (const part of expressionParts(expression, resource.resourceType)) {
      const values = fhirpath.evaluate(resource, part, undefined, r4Model) as any[];
      for (const value of values) if (typeof value?.reference === 'string') references.push(value.reference);
    }
  }
  return references;
}

/** Whether a stored resource is in the compartment of `owner` (Patient/123), per the CompartmentDefinition. */
export function inCompartment(model: FhirModel, owner: string, stored: StoredFixture): boolean {
  const compartment = owner.split('/')[0];
  if (stored.ref === owner) return true;
  if (stored.type === compartment) return false;
  return compartmentReferences(model, compartment, stored.resource).includes(owner);
}

/** What a caller may see of one type: the refs, or that the request is refused outright. */
export type Visible = { refused: true } | { refused: false; refs: Set<string> };

export function visibleWhere(stored: readonly StoredFixture[], type: string, test: (item: StoredFixture) => boolean): Visible {
  return { refused: false, refs: new Set(stored.filter((item) => item.type === type && test(item)).map((item) => item.ref)) };
}

export const REFUSED: Visible = { refused: true };
export const NOTHING: Visible = { refused: false, refs: new Set() };

/** The codes of a CodeableConcept as system|code. */
export function codesOf(concept: any): string[] {
  return (concept?.coding ?? []).map((coding: any) => `${coding.system}|${coding.code}`);
}
