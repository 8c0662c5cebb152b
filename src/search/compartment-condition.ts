/**
 * The rows of a compartment (http://hl7.org/fhir/R4/compartmentdefinition.html) as a condition on a
 * table alias: the compartment's own resource by id, or a member type whose compartment parameters
 * refer to it. Compartment search (search-plan.ts) and compartment row rules (row-condition.ts)
 * share it.
 */
import { raw, sql, type Sql } from '../sql/index.js';
import { documentOf, type CompileContext } from './compile-context.js';
import { referenceKeysCondition } from './parameters/reference-type.js';
import { resolveParameter } from './resolve-parameter.js';
import { anyOf } from './sql-logic.js';

export interface Compartment {
  type: string;
  id: string;
}

/** Resources of a type in a compartment: any of the compartment's parameters refers to it; undefined for a type outside it. */
export function compartmentCondition(cc: CompileContext, resourceType: string, alias: string, compartment: Compartment): Sql | undefined {
  const codes = cc.search.model.compartments.params(compartment.type, resourceType);
  if (resourceType === compartment.type) return sql`${raw(alias)}.id = ${compartment.id}`;
  if (codes.length === 0) return undefined;
  const key = `${compartment.type}/${compartment.id}`;
  return anyOf(codes.flatMap((code) => {
    if (code === '{def}') return [];
    const parameter = resolveParameter(cc, resourceType, code);
    return [referenceKeysCondition(documentOf({ resourceType, alias }), parameter, [key])];
  }));
}
