/**
 * $materialize, $refresh and $drop: a ViewDefinition as a PostgreSQL object in schema `sof`, named
 * after ViewDefinition.name. A view (the default) always reflects the current data; a materialized
 * view or a table is a snapshot, rebuilt by $refresh (or REFRESH MATERIALIZED VIEW in SQL). Each
 * runs in one transaction under the schema lock, so a failure leaves schema sof as it was. The
 * object's comment names its ViewDefinition; an object of another owner is never replaced (409).
 */
import { withSchemaLock, type Queryable } from '../../db/index.js';
import { ident, raw, sql, type Sql } from '../../sql/index.js';
import type { CompiledView } from '../compile/compile-view.js';
import { prepareView, readViewDefinition, translateViewError, type SofContext } from '../sof-context.js';
import { sofErrors, viewError } from '../sof-errors.js';
import { VIEW_DEFINITION } from '../view-definition/view-definition-type.js';
import { ddlText } from './ddl-text.js';

export const SOF_SCHEMA = 'sof';

export type MaterializeKind = 'view' | 'materialized-view' | 'table';

export const MATERIALIZE_KINDS: readonly MaterializeKind[] = ['view', 'materialized-view', 'table'];

const KEYWORDS: Record<MaterializeKind, string> = { view: 'VIEW', 'materialized-view': 'MATERIALIZED VIEW', table: 'TABLE' };
const RELKINDS: Record<string, MaterializeKind> = { v: 'view', m: 'materialized-view', r: 'table', p: 'table' };

export interface Materialized {
  /** The qualified name, sof.<name>. */
  name: string;
  kind: MaterializeKind;
  columns: CompiledView['columns'];
}

interface Existing {
  kind: MaterializeKind | undefined;
  owner: string | null;
}

async function existing(tx: Queryable, name: string): Promise<Existing | undefined> {
  const { rows } = await tx.query<{ relkind: string; owner: string | null }>(sql`
    SELECT c.relkind, obj_description(c.oid, 'pg_class') AS owner FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ${SOF_SCHEMA} AND c.relname = ${name}`);
  return rows[0] ? { kind: RELKINDS[rows[0].relkind], owner: rows[0].owner } : undefined;
}

/** The objects of schema sof a ViewDefinition owns (one, unless it was renamed since). */
async function owned(tx: Queryable, owner: string): Promise<{ name: string; kind: MaterializeKind }[]> {
  const { rows } = await tx.query<{ relname: string; relkind: string }>(sql`
    SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = ${SOF_SCHEMA} AND c.relkind IN ('v', 'm', 'r', 'p') AND obj_description(c.oid, 'pg_class') = ${owner}`);
  return rows.map((row) => ({ name: row.relname, kind: RELKINDS[row.relkind] }));
}

function ownerOf(id: string): string {
  return `${VIEW_DEFINITION}/${id}`;
}

function assertOwned(found: Existing, name: string, id: string): MaterializeKind {
  if (found.owner !== ownerOf(id) || !found.kind) {
    throw sofErrors['sof.name-taken']({ detail: `${SOF_SCHEMA}.${name} exists and belongs to ${found.owner ?? 'no ViewDefinition'}` }, { expression: 'ViewDefinition.name' });
  }
  return found.kind;
}

async function prepare(ctx: SofContext, id: string): Promise<{ compiled: CompiledView; name: string }> {
  const compiled = prepareView(ctx, await readViewDefinition(ctx, ctx.db, id));
  const name = compiled.view.name;
  if (!name) throw viewError('sof.missing-name', 'a view needs a name to be materialized', 'ViewDefinition.name');
  return { compiled, name };
}

/** Runs DDL in one transaction under the schema lock, with database errors as FhirErrors. */
async function ddl<T>(ctx: SofContext, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  try {
    return await withSchemaLock(ctx.db, async (tx) => {
      await tx.query(sql`SET LOCAL standard_conforming_strings = on`);
      await tx.query(sql`CREATE SCHEMA IF NOT EXISTS ${ident(SOF_SCHEMA)}`);
      return fn(tx);
    });
  } catch (error) {
    const translated = translateViewError(error);
    if (translated instanceof Error && (translated as { code?: string }).code === '2BP01') {
      throw sofErrors['sof.name-taken']({ detail: `other objects depend on it: ${translated.message}` }, { cause: error });
    }
    throw translated;
  }
}

function target(name: string): Sql {
  return sql`${ident(SOF_SCHEMA, name)}`;
}

/** Creates (or replaces) sof.<name> for a stored ViewDefinition. */
export async function materializeView(ctx: SofContext, id: string, kind: MaterializeKind): Promise<Materialized> {
  const { compiled, name } = await prepare(ctx, id);
  const select = raw(ddlText(compiled.select()));
  await ddl(ctx, async (tx) => {
    const found = await existing(tx, name);
    if (found) assertOwned(found, name, id);
    for (const object of await owned(tx, ownerOf(id))) await tx.query(sql`DROP ${raw(KEYWORDS[object.kind])} ${target(object.name)}`);
    await tx.query(sql`CREATE ${raw(KEYWORDS[kind])} ${target(name)} AS ${select}`);
    await tx.query(sql`COMMENT ON ${raw(KEYWORDS[kind])} ${target(name)} IS ${raw(`'${ownerOf(id)}'`)}`);
  });
  return { name: `${SOF_SCHEMA}.${name}`, kind, columns: compiled.columns };
}

/** Brings a materialized view or table up to date (a view always is). */
export async function refreshView(ctx: SofContext, id: string): Promise<Materialized> {
  const { compiled, name } = await prepare(ctx, id);
  const kind = await ddl(ctx, async (tx) => {
    const found = await existing(tx, name);
    if (!found) throw sofErrors['sof.unknown-view']({ detail: `${SOF_SCHEMA}.${name} has not been materialized` });
    const owned = assertOwned(found, name, id);
    if (owned === 'materialized-view') await tx.query(sql`REFRESH MATERIALIZED VIEW ${target(name)}`);
    if (owned === 'table') {
      await tx.query(sql`TRUNCATE ${target(name)}`);
      await tx.query(sql`INSERT INTO ${target(name)} ${raw(ddlText(compiled.select()))}`);
    }
    return owned;
  });
  return { name: `${SOF_SCHEMA}.${name}`, kind, columns: compiled.columns };
}

/** Drops what a stored ViewDefinition materialized in schema sof; the names dropped. */
export async function dropView(ctx: SofContext, id: string): Promise<string[]> {
  const resource = await readViewDefinition(ctx, ctx.db, id);
  return ddl(ctx, async (tx) => {
    const objects = await owned(tx, ownerOf(String(resource.id)));
    for (const object of objects) await tx.query(sql`DROP ${raw(KEYWORDS[object.kind])} ${target(object.name)}`);
    return objects.map((object) => `${SOF_SCHEMA}.${object.name}`);
  });
}
