/**
 * The columns of a view in output order, with the specification's checks
 * (https://sql-on-fhir.org/ig/processing_model.html, ValidateColumns): a select's own columns come
 * first, then those of its nested selects, then those of its unionAll; a name appears once in the
 * whole view; every branch of a unionAll produces the same names in the same order.
 */
import { viewError } from '../sof-errors.js';
import type { View, ViewColumn, ViewSelect } from './view-types.js';

function add(columns: ViewColumn[], seen: Set<string>, column: ViewColumn): void {
  if (seen.has(column.name)) {
    throw viewError('sof.duplicate-column', `column ${column.name} is defined more than once`, `${column.location}.name`);
  }
  seen.add(column.name);
  columns.push(column);
}

/** The columns of a select (nested selects and unions included), in order. */
export function selectColumns(select: ViewSelect, seen: Set<string> = new Set()): ViewColumn[] {
  const columns: ViewColumn[] = [];
  for (const column of select.columns) add(columns, seen, column);
  for (const nested of select.select) for (const column of selectColumns(nested, seen)) columns.push(column);
  if (select.unionAll.length > 0) {
    const first = selectColumns(select.unionAll[0], seen);
    const names = first.map((column) => column.name).join(', ');
    select.unionAll.slice(1).forEach((branch) => {
      const other = selectColumns(branch, new Set()).map((column) => column.name).join(', ');
      if (other !== names) {
        throw viewError('sof.union-mismatch', `unionAll branches must produce the same columns in the same order: (${names}) and (${other})`, branch.location);
      }
    });
    columns.push(...first);
  }
  return columns;
}

/** Every column of the view, in output order; throws on duplicates and inconsistent unions. */
export function viewColumns(view: View): ViewColumn[] {
  const seen = new Set<string>();
  return view.select.flatMap((select) => selectColumns(select, seen));
}
