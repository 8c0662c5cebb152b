/**
 * Plans a search over one or more resource types: the filters of each type (a type that lacks a
 * parameter the others have is left out of a multi-type search), the compartment restriction, the
 * sort columns (with the id condition that lets a date sort within one target walk an index,
 * indexes/reference-date-order.ts), the caller's row rule of each type (row-condition.ts: the page,
 * the count and the cursors are all built from these parts), and the ignored parameters to report.
 */
import { coreErrors, type FhirError, type Issue } from '../core/index.js';
import type { CompileContext } from './compile-context.js';
import { tableOf } from './compile-context.js';
import { compartmentCondition, type Compartment } from './compartment-condition.js';
import { referenceDateCondition } from './indexes/reference-date-order.js';
import { rowCondition } from './row-condition.js';
import type { ParsedSearch } from './search-request.js';
import type { TypeSelection } from './search-query.js';
import { compileWhere, isIgnorable, type Handling } from './search-where.js';
import { sortColumns } from './sort-keys.js';
import { allOf } from './sql-logic.js';

export type { Compartment } from './compartment-condition.js';

export interface SearchPlan {
  parts: TypeSelection[];
  ignored: Issue[];
}

function servedTable(cc: CompileContext, resourceType: string): string {
  const table = tableOf(cc, resourceType);
  if (!table) throw coreErrors['rest.unknown-type']({ resourceType });
  return table;
}

function planType(cc: CompileContext, resourceType: string, parsed: ParsedSearch, handling: Handling, compartment?: Compartment): { part?: TypeSelection; ignored: Issue[] } {
  const alias = cc.nextAlias();
  const scope = { resourceType, alias };
  const { where, ignored } = compileWhere(cc, scope, parsed.filters, handling);
  const conditions = [where];
  const ordered = referenceDateCondition(cc, scope, parsed.filters, parsed.sort);
  if (ordered) conditions.push(ordered);
  if (compartment) {
    const inCompartment = compartmentCondition(cc, resourceType, alias, compartment);
    if (!inCompartment) return { ignored };
    conditions.push(inCompartment);
  }
  const visible = rowCondition(cc, scope);
  if (visible) conditions.push(visible);
  const sort = sortColumns(cc, scope, parsed.sort);
  return { part: { resourceType, table: servedTable(cc, resourceType), alias, where: allOf(conditions), sort }, ignored };
}

/**
 * A multi-type search: a type that does not know one of the parameters cannot match and is left
 * out. When no type knows them, strict handling fails and lenient handling searches every type
 * without the unknown parameters, reporting them.
 */
function planTypes(cc: CompileContext, types: string[], parsed: ParsedSearch, handling: Handling, compartment?: Compartment): SearchPlan {
  const parts: TypeSelection[] = [];
  let failure: FhirError | undefined;
  for (const type of types) {
    try {
      const planned = planType(cc, type, parsed, 'strict', compartment);
      if (planned.part) parts.push(planned.part);
    } catch (error) {
      if (!isIgnorable(error)) throw error;
      failure = error;
    }
  }
  if (parts.length > 0 || !failure) return { parts, ignored: [] };
  if (handling === 'strict') throw failure;
  const lenient = types.map((type) => planType(cc, type, parsed, 'lenient', compartment));
  return { parts: lenient.flatMap((planned) => (planned.part ? [planned.part] : [])), ignored: lenient[0]?.ignored ?? [] };
}

export function planSearch(cc: CompileContext, types: string[], parsed: ParsedSearch, handling: Handling, compartment?: Compartment): SearchPlan {
  if (types.length === 1 && !compartment) {
    const { part, ignored } = planType(cc, types[0], parsed, handling);
    return { parts: part ? [part] : [], ignored };
  }
  return planTypes(cc, types, parsed, handling, compartment);
}
