/**
 * The patient and group parameters of $run: only rows of resources in the Patient compartment of
 * the given patients (http://hl7.org/fhir/R4/compartmentdefinition-patient.html). A resource is in
 * it when it is one of the patients, or when one of its compartment references (the search
 * parameters the CompartmentDefinition names, such as Observation.subject and
 * Observation.performer) points to one. The same rule serves both runners: an SQL condition on the
 * resource row, and a test on FHIR JSON.
 */
import { isJsonObject, type Resource } from '../../core/index.js';
import { compileFhirPath } from '../../fhirpath/index.js';
import type { FhirModel } from '../../model/index.js';
import { sql, type Sql } from '../../sql/index.js';
import { compileOnResource, ROW, type ViewSource } from '../compile/compile-view.js';
import { someItemIn } from '../compile/values.js';
import { SOF_FUNCTIONS } from '../memory/sof-functions.js';

/** A path the compartment definition follows, as a FHIRPath expression on the resource (without Type.). */
function compartmentPaths(model: FhirModel, resourceType: string): string[] {
  const paths: string[] = [];
  for (const code of model.compartments.params('Patient', resourceType)) {
    const expression = model.searchParameters.get(resourceType, code)?.expression ?? '';
    for (const part of expression.split('|').map((text) => text.trim())) {
      const match = new RegExp(`^${resourceType}\\.([A-Za-z.]+?)(?:\\.where\\(resolve\\(\\) is [A-Za-z]+\\))?$`).exec(part);
      if (match) paths.push(`${match[1]}.getReferenceKey(Patient)`);
    }
  }
  return [...new Set(paths)];
}

/** The SQL condition: the row's resource is in the compartment of one of `patientIds`. */
export function patientCondition(source: ViewSource, resourceType: string, patientIds: string[]): Sql {
  const ids = sql`${patientIds}::text[]`;
  const conditions: Sql[] = resourceType === 'Patient' ? [sql`${ROW}.id = ANY(${ids})`] : [];
  for (const value of compileOnResource(source, resourceType, compartmentPaths(source.model, resourceType))) {
    conditions.push(someItemIn(value, ids));
  }
  return conditions.length === 0 ? sql`false` : sql`(${conditions.reduce((all, next) => sql`${all} OR ${next}`)})`;
}

/** The same test on FHIR JSON, for the in-memory runner. */
export function patientTest(model: FhirModel, resourceType: string, patientIds: string[]): (resource: unknown) => boolean {
  const wanted = new Set(patientIds);
  const paths = compartmentPaths(model, resourceType).map((path) => compileFhirPath(path, { functions: SOF_FUNCTIONS }));
  return (resource) => {
    if (!isJsonObject(resource)) return false;
    if (resourceType === 'Patient' && typeof resource.id === 'string' && wanted.has(resource.id)) return true;
    return paths.some((path) => path(resource as Resource).some((key) => typeof key === 'string' && wanted.has(key)));
  };
}
