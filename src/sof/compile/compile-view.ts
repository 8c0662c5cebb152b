/**
 * ViewDefinition -> one PostgreSQL SELECT over the resource type's table (alias r). Selects become
 * lateral joins (forEach, forEachOrNull, repeat) and their columns select-list entries; sibling
 * selects multiply (cross join), a unionAll is a lateral UNION ALL subquery, `where` filters r.
 * Compiling is also the check of a view: an unknown element or function, a type mismatch, a
 * duplicate column or an inconsistent union fails here, before anything runs, for both runners.
 * https://sql-on-fhir.org/ig/StructureDefinition-ViewDefinition.html
 */
import type { FhirModel } from '../../model/index.js';
import { ident, join, named, raw, sql, type Sql } from '../../sql/index.js';
import { parseExpression, type Expression } from '../../fhirpath/index.js';
import { relocate, viewError, type ExpressionSite } from '../sof-errors.js';
import { viewColumns } from '../view/view-columns.js';
import type { View, ViewColumn, ViewSelect } from '../view/view-types.js';
import { columnSql, columnType, type SqlColumnType } from './column-types.js';
import { compileExpression } from './compile-expression.js';
import type { ExpressionContext } from './expression-context.js';
import { forEachJoin, repeatJoin, type Iteration, type Scope } from './iterations.js';
import { settle } from './navigation.js';
import { expectClass, single } from './singletons.js';
import { Aliases, oneAs, type Many, type One, type Value } from './values.js';

export interface ViewSource {
  model: FhirModel;
  /** The main table of a served resource type; undefined when the type is not served. */
  tableOf(resourceType: string): string | undefined;
}

export interface CompiledColumn {
  name: string;
  sqlType: SqlColumnType;
  fhirType?: string;
  collection: boolean;
}

export interface SelectOptions {
  /** Extra conditions on the resource row (alias r). */
  conditions?: Sql[];
  limit?: number;
}

export interface CompiledView {
  view: View;
  table: string;
  columns: CompiledColumn[];
  /** The view's SELECT, optionally narrowed to some resources and a number of rows. */
  select(options?: SelectOptions): Sql;
}

/** The alias of the resource row in every compiled view. */
export const ROW = raw('r');

interface Output {
  joins: Sql[];
  columns: { name: string; sql: Sql; column: CompiledColumn }[];
}

class ViewCompiler {
  private readonly aliases = new Aliases();
  readonly root: One;

  constructor(private readonly source: ViewSource, private readonly view: View) {
    const type = source.model.getType(view.resource);
    this.root = { card: 'one', sql: sql`${ROW}.resource`, repr: 'jsonb', types: [{ name: view.resource, elements: type }], root: { alias: ROW } };
  }

  context(site: ExpressionSite, scope: Scope, lenient = false): ExpressionContext {
    const constants = new Map(this.view.constants.map((constant) => [constant.name, constant]));
    return { model: this.source.model, aliases: this.aliases, root: this.root, rowIndex: scope.rowIndex, constants, site, lenient };
  }

  compile(site: ExpressionSite, scope: Scope, lenient = false): Value {
    let expression: Expression;
    try {
      expression = parseExpression(site.text);
    } catch (error) {
      throw relocate(error, site);
    }
    return compileExpression(this.context(site, scope, lenient), expression, scope.focus);
  }

  /** The rows a select iterates over; the join is named by its path, so the statement reads as the view. */
  iteration(select: ViewSelect, scope: Scope): Iteration | undefined {
    const iteration = this.iterationJoin(select, scope);
    const path = select.forEach ?? select.forEachOrNull;
    const key = select.forEach !== undefined ? 'forEach' : path !== undefined ? 'forEachOrNull' : 'repeat';
    return iteration && { ...iteration, join: named(`${key} ${path ?? (select.repeat ?? []).join(' | ')}`, iteration.join) };
  }

  iterationJoin(select: ViewSelect, scope: Scope): Iteration | undefined {
    const path = select.forEach ?? select.forEachOrNull;
    if (path !== undefined) {
      const key = select.forEach !== undefined ? 'forEach' : 'forEachOrNull';
      const value = settle(this.compile({ location: `${select.location}.${key}`, text: path }, scope));
      return forEachJoin(this.aliases.take('f'), value, key === 'forEachOrNull');
    }
    if (!select.repeat) return undefined;
    const paths = select.repeat;
    const children = (node: One, rowIndex: Sql) => paths.map((text, i) =>
      settle(this.compile({ location: `${select.location}.repeat[${i}]`, text }, { focus: node, rowIndex }, true)));
    const first = children(scope.focus, scope.rowIndex);
    const types = first.flatMap((child) => child.types).filter((type, i, all) => all.findIndex((t) => t.name === type.name) === i);
    return repeatJoin(this.aliases.take('f'), this.aliases.take('w'), first, (node) => children(node, scope.rowIndex), types);
  }

  column(column: ViewColumn, scope: Scope): Output['columns'][number] {
    const value = this.compile({ location: `${column.location}.path`, text: column.path }, scope);
    const type = columnType(this.source.model, column, value);
    return {
      name: column.name,
      sql: columnSql(value, type, column),
      column: { name: column.name, sqlType: type.sqlType, collection: column.collection, ...(type.fhirType ? { fhirType: type.fhirType } : {}) },
    };
  }

  selectInto(select: ViewSelect, scope: Scope, out: Output): void {
    const iteration = this.iteration(select, scope);
    if (iteration) out.joins.push(iteration.join);
    const inner = iteration?.scope ?? scope;
    for (const column of select.columns) out.columns.push(this.column(column, inner));
    for (const nested of select.select) this.selectInto(nested, inner, out);
    if (select.unionAll.length > 0) this.union(select, inner, out);
  }

  union(select: ViewSelect, scope: Scope, out: Output): void {
    const branches = select.unionAll.map((branch) => {
      const part: Output = { joins: [], columns: [] };
      this.selectInto(branch, scope, part);
      return { branch, part };
    });
    const first = branches[0].part.columns;
    for (const { branch, part } of branches.slice(1)) {
      part.columns.forEach((column, i) => {
        if (column.column.sqlType !== first[i].column.sqlType) {
          throw viewError('sof.union-mismatch', `column ${column.name} is ${column.column.sqlType} here but ${first[i].column.sqlType} in the first branch`, branch.location);
        }
      });
    }
    const alias = this.aliases.take('u');
    const queries = branches.map(({ part }) => {
      const list = part.columns.map((column) => sql`${column.sql} AS ${ident(column.name)}`);
      return sql`SELECT ${join(list, ', ')} FROM (VALUES (0)) AS ${this.aliases.take('d')}(z) ${join(part.joins, ' ')}`;
    });
    out.joins.push(sql`CROSS JOIN LATERAL (${join(queries, ' UNION ALL ')}) AS ${alias}`);
    for (const column of first) out.columns.push({ ...column, sql: sql`${alias}.${ident(column.name)}` });
  }

  filter(where: View['where'][number]): Sql {
    const site = { location: where.location, text: where.path };
    const value = this.compile(site, { focus: this.root, rowIndex: sql`0` });
    expectClass(this.context(site, { focus: this.root, rowIndex: sql`0` }), value, ['boolean'], 'a where path');
    return oneAs(single(value), 'boolean');
  }

  build(): CompiledView {
    const table = this.source.model.isResourceType(this.view.resource) ? this.source.tableOf(this.view.resource) : undefined;
    if (!table) throw viewError('sof.unknown-resource', `${this.view.resource} is not a resource type served here`, 'ViewDefinition.resource');
    viewColumns(this.view);
    const out: Output = { joins: [], columns: [] };
    const rootScope: Scope = { focus: this.root, rowIndex: sql`0` };
    for (const select of this.view.select) this.selectInto(select, rootScope, out);
    const filters = this.view.where.map((where) => this.filter(where));
    const list = join(out.columns.map((column) => sql`${column.sql} AS ${ident(column.name)}`), ', ');
    const from = sql`FROM ${ident(table)} AS ${ROW} ${join(out.joins, ' ')}`;
    return {
      view: this.view,
      table,
      columns: out.columns.map((column) => column.column),
      select: (options = {}) => {
        const conditions = [...filters, ...(options.conditions ?? [])];
        const where = conditions.length > 0 ? sql` WHERE ${join(conditions, ' AND ')}` : sql``;
        const limit = options.limit !== undefined ? sql` LIMIT ${raw(String(Math.max(0, Math.floor(options.limit))))}` : sql``;
        return sql`SELECT ${list} ${from}${where}${limit}`;
      },
    };
  }
}

/** Checks a view against the model and compiles it to SQL. */
export function compileView(source: ViewSource, view: View): CompiledView {
  return new ViewCompiler(source, view).build();
}

/**
 * FHIRPath expressions evaluated on each resource of a type (alias r), as SQL values; elements the
 * type lacks yield empty. For filters that are not part of a view (a patient compartment).
 */
export function compileOnResource(source: ViewSource, resourceType: string, expressions: string[]): (One | Many)[] {
  const compiler = new ViewCompiler(source, { resource: resourceType, constants: [], select: [], where: [] });
  const scope: Scope = { focus: compiler.root, rowIndex: sql`0` };
  return expressions.map((text) => settle(compiler.compile({ location: text, text }, scope, true)));
}
