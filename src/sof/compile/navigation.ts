/**
 * Member navigation in SQL: a member of a single value is `value -> 'key'`, a repeating member
 * becomes a lateral `jsonb_array_elements ... WITH ORDINALITY` of a comprehension, and a choice
 * element stays a Choice until ofType() picks its type (or it is read as whichever type is
 * present). On the resource itself `id` and `meta` come from the row's columns (the stored JSON has
 * neither the id nor meta.versionId and meta.lastUpdated).
 */
import type { FhirModel } from '../../model/index.js';
import { join, sql } from '../../sql/index.js';
import { expressionError } from '../sof-errors.js';
import type { ExpressionContext } from './expression-context.js';
import { elementStep, isPrimitive, isSubtype, namedType, type ElementStep, type FhirType } from './fhir-types.js';
import { emptyOne, jsonKey, type Choice, type Many, type One, type Value } from './values.js';

function unknownElement(ctx: ExpressionContext, types: FhirType[], name: string): never {
  const on = types.map((type) => type.name).join(' | ') || 'an empty collection';
  throw expressionError('sof.unknown-element', `${on} has no element '${name}'`, ctx.site);
}

/** Reads a choice as whichever of its types is present (COALESCE over the typed JSON keys). */
export function resolveChoice(choice: Choice): One | Many {
  const types = choice.options.map((option) => option.type);
  const parent = choice.parent;
  if (parent.card === 'one') {
    const keys = choice.options.map((option) => sql`${parent.sql} -> ${jsonKey(option.key)}`);
    return { card: 'one', sql: sql`coalesce(${join(keys, ', ')})`, repr: 'jsonb', types };
  }
  const keys = choice.options.map((option) => sql`${parent.item} -> ${jsonKey(option.key)}`);
  return { ...parent, item: sql`coalesce(${join(keys, ', ')})`, repr: 'jsonb', types, nullable: true, array: undefined };
}

export function settle(value: Value): One | Many {
  return value.card === 'choice' ? resolveChoice(value) : value;
}

/** Navigates to the JSON key `key` of every item (an array member when `isArray`). */
export function navigate(ctx: ExpressionContext, base: One | Many, key: string, isArray: boolean, types: FhirType[]): One | Many {
  const jsonName = jsonKey(key);
  if (base.card === 'one') {
    const member = sql`${base.sql} -> ${jsonName}`;
    if (!isArray) return { card: 'one', sql: member, repr: 'jsonb', types, nav: { parent: base.sql, key: jsonName } };
    const alias = ctx.aliases.take('e');
    return {
      card: 'many', from: [sql`jsonb_array_elements(${member}) WITH ORDINALITY AS ${alias}(v, o)`], where: [],
      item: sql`${alias}.v`, repr: 'jsonb', order: [sql`${alias}.o`], types, nullable: false, array: member,
    };
  }
  const member = sql`${base.item} -> ${jsonName}`;
  if (!isArray) return { ...base, item: member, repr: 'jsonb', types, nullable: true, array: undefined };
  const alias = ctx.aliases.take('e');
  return {
    ...base,
    from: [...base.from, sql`jsonb_array_elements(${member}) WITH ORDINALITY AS ${alias}(v, o)`],
    item: sql`${alias}.v`, repr: 'jsonb', order: [...base.order, sql`${alias}.o`], types, nullable: false, array: undefined,
  };
}

function rootMember(ctx: ExpressionContext, root: One, name: string): One | undefined {
  const row = root.root?.alias;
  if (!row) return undefined;
  if (name === 'id') return { card: 'one', sql: sql`${row}.id`, repr: 'text', types: [{ name: 'id' }] };
  if (name === 'meta') {
    return { card: 'one', sql: sql`fhir.meta(${row}.resource -> 'meta', ${row}.txid, ${row}.ts)`, repr: 'jsonb', types: [namedType(ctx.model, 'Meta') ?? { name: 'Meta' }] };
  }
  return undefined;
}

function mergeSteps(model: FhirModel, types: FhirType[], name: string): ElementStep[] {
  return types.flatMap((type) => {
    const step = elementStep(model, type, name);
    return step ? [step] : [];
  });
}

/** `base.name`: a type filter (Patient.name), a member, or a choice element. */
export function member(ctx: ExpressionContext, value: Value, name: string): Value {
  const base = settle(value);
  if (base.types.length === 0) return base;
  if (/^[A-Z]/.test(name) && base.card === 'one' && base.root) {
    if (base.types.some((type) => isSubtype(ctx.model, type.name, name))) return base;
    throw expressionError('sof.type-mismatch', `the input is a ${base.types[0].name}, not a ${name}`, ctx.site);
  }
  if (base.types.every((type) => isPrimitive(type.name))) {
    throw expressionError('sof.unsupported', `'${name}' of a primitive value (its id or extensions) is not supported in views`, ctx.site);
  }
  if (base.card === 'one' && base.root) {
    const fromRow = rootMember(ctx, base, name);
    if (fromRow) return fromRow;
  }
  const steps = mergeSteps(ctx.model, base.types, name);
  if (steps.length === 0 && ctx.lenient) return emptyOne([]);
  if (steps.length === 0) unknownElement(ctx, base.types, name);
  const options = steps.flatMap((step) => step.options);
  const isArray = steps.some((step) => step.isArray);
  if (steps.some((step) => step.isChoice)) {
    if (isArray) throw expressionError('sof.unsupported', `repeating choice element '${name}'`, ctx.site);
    return { card: 'choice', parent: base, options };
  }
  const keys = [...new Set(options.map((option) => option.key))];
  if (keys.length !== 1) unknownElement(ctx, base.types, name);
  return navigate(ctx, base, keys[0], isArray, options.map((option) => option.type));
}
