/**
 * A policy's `rows` (docs/access-control.md): which rows of each type it grants. Each entry is FHIR
 * search criteria `Type?params`, a bare `Type` (every row of the type), or a compartment
 * `Patient/{{context.patient}}` (the rows of every member type of the R4 compartment, and the
 * compartment's own resource). `{{path}}` takes a value of the request object: a reference
 * (`{{user.fhirUser}}`) becomes its `Type/id`. Entries are compiled when the policy is written
 * (a bad one is refused) and filled in per request; a value missing from the request grants no
 * row. A policy with rows grants only the types they name.
 */
import { ALL_ROWS, anyRule, NO_ROWS, parseQueryString, type QueryParams, type RowRule } from '../core/index.js';
import type { FhirModel } from '../model/index.js';
import { accessErrors } from './access-errors.js';
import { valueAtPath } from './matcho.js';
import type { RequestObject } from './request-object.js';

type RowEntry =
  | { kind: 'all'; types: string[] }
  | { kind: 'criteria'; types: string[]; query: QueryParams }
  | { kind: 'compartment'; types: string[]; compartment: string; id: string };

/** A policy's rows, compiled: the types they name, and how to make each type's rule for a request. */
export interface PolicyRows {
  types: ReadonlySet<string>;
  ruleFor(resourceType: string, request: RequestObject): RowRule;
}

const TYPE = /^[A-Z][A-Za-z0-9]*$/;
const TEMPLATE = /\{\{\s*([A-Za-z0-9_./-]+?)\s*\}\}/g;

function invalid(entry: string, reason: string): Error {
  return accessErrors['access.invalid-policy']({ detail: `rows entry ${JSON.stringify(entry)}: ${reason}` });
}

/** A value of the request object as text: a reference is its Type/id; undefined when there is none. */
function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object' && value !== null) {
    const { reference, resourceType, id } = value as Record<string, unknown>;
    if (typeof reference === 'string') return reference;
    if (typeof resourceType === 'string' && typeof id === 'string') return `${resourceType}/${id}`;
  }
  return undefined;
}

/** The text with each {{path}} filled in from the request object; undefined when a value is missing. */
export function fillTemplate(text: string, request: RequestObject): string | undefined {
  let missing = false;
  const filled = text.replace(TEMPLATE, (_whole, path: string) => {
    const value = textOf(valueAtPath(request, path.split('.')));
    if (value === undefined || value === '') missing = true;
    return value ?? '';
  });
  return missing ? undefined : filled;
}

function checkParams(entry: string, type: string, query: QueryParams, model: FhirModel): void {
  if (query.length === 0) throw invalid(entry, 'the criteria after "?" are empty');
  for (const [name] of query) {
    const code = name.split(/[:.]/)[0];
    if (code.startsWith('_') || model.searchParameters.get(type, code)) continue;
    throw invalid(entry, `${type} has no search parameter ${code}`);
  }
}

function compileEntry(entry: string, model: FhirModel): RowEntry {
  const question = entry.indexOf('?');
  const head = question < 0 ? entry : entry.slice(0, question);
  const slash = head.indexOf('/');
  const type = slash < 0 ? head : head.slice(0, slash);
  if (!TYPE.test(type)) throw invalid(entry, 'expected Type, Type?criteria or Compartment/{{id}}');
  if (slash >= 0) {
    const members = model.compartments.memberTypes(type);
    if (members.length === 0 || question >= 0) throw invalid(entry, `${type} is not a compartment (Patient, Encounter, RelatedPerson, Practitioner, Device)`);
    const id = head.slice(slash + 1);
    if (id === '') throw invalid(entry, 'the compartment id is missing');
    return { kind: 'compartment', types: [...new Set([type, ...members])], compartment: type, id };
  }
  if (!model.isResourceType(type)) throw invalid(entry, `${type} is not a resource type of this server`);
  if (question < 0) return { kind: 'all', types: [type] };
  const query = parseQueryString(entry.slice(question + 1));
  checkParams(entry, type, query, model);
  return { kind: 'criteria', types: [type], query };
}

/**
 * The compartment of a filled id: `123`, or a reference `Patient/123` to the compartment's own type.
 * A reference to another type (a Practitioner's fhirUser in a Patient/{{user.fhirUser}} entry)
 * grants no row.
 */
function compartmentRule(compartment: string, filled: string | undefined): RowRule {
  if (filled === undefined) return NO_ROWS;
  const slash = filled.lastIndexOf('/');
  if (slash < 0) return { kind: 'compartment', compartment, id: filled };
  const type = filled.slice(0, slash).split('/').pop();
  return type === compartment ? { kind: 'compartment', compartment, id: filled.slice(slash + 1) } : NO_ROWS;
}

function entryRule(entry: RowEntry, request: RequestObject): RowRule {
  if (entry.kind === 'all') return ALL_ROWS;
  if (entry.kind === 'compartment') return compartmentRule(entry.compartment, fillTemplate(entry.id, request));
  const query: [string, string][] = [];
  for (const [name, value] of entry.query) {
    const filled = fillTemplate(value, request);
    if (filled === undefined) return NO_ROWS;
    query.push([name, filled]);
  }
  return { kind: 'criteria', query };
}

/** Compiles a policy's rows entries; throws access.invalid-policy on the first that cannot be used. */
export function compileRows(entries: unknown, model: FhirModel): PolicyRows {
  if (!Array.isArray(entries) || entries.some((entry) => typeof entry !== 'string')) {
    throw accessErrors['access.invalid-policy']({ detail: 'rows is a list of strings' });
  }
  const compiled = (entries as string[]).map((entry) => compileEntry(entry, model));
  const types = new Set(compiled.flatMap((entry) => entry.types));
  return {
    types,
    ruleFor(resourceType, request) {
      if (!types.has(resourceType)) return NO_ROWS;
      return anyRule(compiled.filter((entry) => entry.types.includes(resourceType)).map((entry) => entryRule(entry, request)));
    },
  };
}
