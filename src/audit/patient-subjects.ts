/**
 * Which patients an event is about, for the patient entity of BALP's Patient* profiles: the
 * Patient itself, or the patients a resource's Patient compartment references point to (the
 * search parameters the R4 CompartmentDefinition names, such as Observation.subject, read as
 * plain paths on the JSON), or, for a search, the patients its parameters name.
 */
import { isJsonObject, type QueryParams } from '../core/index.js';
import type { FhirModel } from '../model/index.js';

/** The JSON paths (without the type) the compartment parameters of a type follow; cached per type. */
const pathsCache = new WeakMap<FhirModel, Map<string, string[][]>>();

function compartmentPaths(model: FhirModel, resourceType: string): string[][] {
  let byType = pathsCache.get(model);
  if (!byType) pathsCache.set(model, (byType = new Map()));
  const cached = byType.get(resourceType);
  if (cached) return cached;
  const paths: string[][] = [];
  for (const code of model.compartments.params('Patient', resourceType)) {
    const expression = model.searchParameters.get(resourceType, code)?.expression ?? '';
    for (const part of expression.split('|').map((text) => text.trim())) {
      const match = new RegExp(`^${resourceType}\\.([A-Za-z.]+?)(?:\\.where\\(resolve\\(\\) is [A-Za-z]+\\))?$`).exec(part);
      if (match) paths.push(match[1].split('.'));
    }
  }
  byType.set(resourceType, paths);
  return paths;
}

/** The id in a reference to a Patient (Patient/1, or an absolute URL ending in Patient/1). */
function patientId(reference: unknown): string | undefined {
  if (typeof reference !== 'string') return undefined;
  const match = /(?:^|\/)Patient\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(reference);
  return match?.[1];
}

function collect(value: unknown, path: readonly string[], found: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collect(item, path, found);
    return;
  }
  if (!isJsonObject(value)) return;
  if (path.length === 0) {
    const id = patientId(value.reference);
    if (id !== undefined) found.add(id);
    return;
  }
  collect(value[path[0]], path.slice(1), found);
}

/** Whether resources of the type can belong to a patient (the Patient, or a Patient compartment member). */
export function canHavePatient(model: FhirModel, resourceType: string): boolean {
  return resourceType === 'Patient' || model.compartments.params('Patient', resourceType).length > 0;
}

/** The ids of the patients a resource belongs to (its own id for a Patient). */
export function patientsOfResource(model: FhirModel, resourceType: string, id: string | undefined, resource: unknown): string[] {
  if (resourceType === 'Patient') return id === undefined ? [] : [id];
  const found = new Set<string>();
  for (const path of compartmentPaths(model, resourceType)) collect(resource, path, found);
  return [...found];
}

/** The patients a search names: its Patient compartment parameters' Patient references, or _id of a Patient search. */
export function patientsOfQuery(model: FhirModel, resourceType: string | undefined, query: QueryParams): string[] {
  if (resourceType === undefined) return [];
  const codes = new Set(model.compartments.params('Patient', resourceType));
  const found = new Set<string>();
  for (const [name, value] of query) {
    const code = name.split(/[:.]/)[0];
    for (const item of value.split(',')) {
      if (resourceType === 'Patient' && code === '_id') found.add(item);
      else if (codes.has(code)) {
        const id = patientId(item) ?? (code === 'patient' && /^[A-Za-z0-9\-.]{1,64}$/.test(item) ? item : undefined);
        if (id !== undefined) found.add(id);
      }
    }
  }
  return [...found];
}
