/**
 * The in-memory runner: a view evaluated on FHIR JSON with Flint's FHIRPath engine, following the
 * specification's processing model (https://sql-on-fhir.org/ig/processing_model.html): for each
 * resource of the view's type that passes every `where`, each select yields the cartesian product
 * of its columns, its nested selects and its unionAll, once per item of its forEach,
 * forEachOrNull or repeat. A forEachOrNull without items is evaluated once on an empty input
 * (%rowIndex 0), as the SQL runner does. The view must have compiled (compileView) first: that is
 * the check both runners share.
 */
import { isJsonObject, type Resource } from '../../core/index.js';
import { compileFhirPath, compileTypedFhirPath, type TypedValue } from '../../fhirpath/index.js';
import type { CompiledView } from '../compile/compile-view.js';
import { multipleValues, relocate, type ExpressionSite } from '../sof-errors.js';
import type { View, ViewColumn, ViewSelect } from '../view/view-types.js';
import { constantVariables, substituteConstants, temporalLiteral } from './memory-constants.js';
import { SOF_FUNCTIONS } from './sof-functions.js';

export type Row = Record<string, unknown>;

/** An input of an expression: the resource, an item of a forEach (with its model path), or nothing. */
interface Focus {
  value: unknown;
  path?: string;
}

const EMPTY: Focus = { value: [] };

interface Iteration {
  focus: Focus;
  rowIndex: number;
}

function product(parts: Row[][]): Row[] {
  let rows: Row[] = [{}];
  for (const part of parts) {
    const next: Row[] = [];
    for (const left of rows) for (const right of part) next.push({ ...left, ...right });
    rows = next;
  }
  return rows;
}

export class MemoryView {
  private readonly view: View;
  private readonly literals: Map<string, string>;
  private readonly variables: Record<string, unknown>;

  constructor(private readonly compiled: CompiledView) {
    this.view = compiled.view;
    this.literals = new Map(this.view.constants.flatMap((constant) => {
      const literal = temporalLiteral(constant);
      return literal === undefined ? [] : [[constant.name, literal] as [string, string]];
    }));
    this.variables = constantVariables(this.view.constants);
  }

  private base(focus: Focus): string | undefined {
    return focus.path && /^[A-Z]/.test(focus.path) ? focus.path : undefined;
  }

  private evaluate(site: ExpressionSite, focus: Focus, rowIndex: number): unknown[] {
    try {
      const compiled = compileFhirPath(substituteConstants(site.text, this.literals), { functions: SOF_FUNCTIONS, base: this.base(focus) });
      return compiled(focus.value, { ...this.variables, rowIndex });
    } catch (error) {
      throw relocate(error, site);
    }
  }

  private items(site: ExpressionSite, focus: Focus, rowIndex: number): Focus[] {
    try {
      const compiled = compileTypedFhirPath(substituteConstants(site.text, this.literals), { functions: SOF_FUNCTIONS, base: this.base(focus) });
      return compiled(focus.value, { ...this.variables, rowIndex }).map((item: TypedValue) => ({ value: item.value, path: item.path }));
    } catch (error) {
      throw relocate(error, site);
    }
  }

  private iterations(select: ViewSelect, focus: Focus, rowIndex: number): Iteration[] {
    const path = select.forEach ?? select.forEachOrNull;
    if (path !== undefined) {
      const key = select.forEach !== undefined ? 'forEach' : 'forEachOrNull';
      const items = this.items({ location: `${select.location}.${key}`, text: path }, focus, rowIndex);
      if (items.length === 0 && key === 'forEachOrNull') return [{ focus: EMPTY, rowIndex: 0 }];
      return items.map((item, index) => ({ focus: item, rowIndex: index }));
    }
    if (!select.repeat) return [{ focus, rowIndex }];
    const reached: Focus[] = [];
    const visit = (node: Focus): void => {
      select.repeat?.forEach((text, i) => {
        for (const child of this.items({ location: `${select.location}.repeat[${i}]`, text }, node, rowIndex)) {
          reached.push(child);
          visit(child);
        }
      });
    };
    visit(focus);
    return reached.map((item, index) => ({ focus: item, rowIndex: index }));
  }

  private column(column: ViewColumn, focus: Focus, rowIndex: number): unknown {
    const values = this.evaluate({ location: `${column.location}.path`, text: column.path }, focus, rowIndex);
    if (column.collection) return values;
    if (values.length > 1) throw multipleValues(column.name, values.length);
    return values.length === 1 ? values[0] : null;
  }

  private select(select: ViewSelect, focus: Focus, rowIndex: number): Row[] {
    const rows: Row[] = [];
    for (const iteration of this.iterations(select, focus, rowIndex)) {
      const own: Row = {};
      for (const column of select.columns) own[column.name] = this.column(column, iteration.focus, iteration.rowIndex);
      const parts: Row[][] = [[own]];
      for (const nested of select.select) parts.push(this.select(nested, iteration.focus, iteration.rowIndex));
      if (select.unionAll.length > 0) {
        parts.push(select.unionAll.flatMap((branch) => this.select(branch, iteration.focus, iteration.rowIndex)));
      }
      rows.push(...product(parts));
    }
    return rows;
  }

  private passes(resource: Resource): boolean {
    return this.view.where.every((where) => {
      const values = this.evaluate({ location: where.location, text: where.path }, { value: resource }, 0);
      if (values.length > 1) throw multipleValues(where.location, values.length);
      return values[0] === true;
    });
  }

  /** The rows of one resource (none when it is of another type or fails a where). */
  rowsOf(resource: unknown): Row[] {
    if (!isJsonObject(resource) || resource.resourceType !== this.view.resource) return [];
    if (!this.passes(resource as Resource)) return [];
    const rows = product(this.view.select.map((select) => this.select(select, { value: resource }, 0)));
    const names = this.compiled.columns.map((column) => column.name);
    return rows.map((row) => Object.fromEntries(names.map((name) => [name, row[name] ?? null])));
  }

  /** The rows of many resources, in order, at most `limit`. */
  *rows(resources: Iterable<unknown>, limit = Infinity): Generator<Row> {
    let count = 0;
    for (const resource of resources) {
      for (const row of this.rowsOf(resource)) {
        if (count >= limit) return;
        count += 1;
        yield row;
      }
    }
  }
}
