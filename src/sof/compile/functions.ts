/**
 * The FHIRPath functions views may use, in SQL: the subset SQL on FHIR v2 requires
 * (https://sql-on-fhir.org/ig/StructureDefinition-ViewDefinition.html#supported-fhirpath-functionality:
 * where, exists, empty, extension, join, ofType, first, lowBoundary, highBoundary, not,
 * getResourceKey, getReferenceKey) plus last, count and single. Any other function is
 * sof.unknown-function, for both runners, so they always accept the same views.
 */
import { quoteLiteral, raw, sql, type Sql } from '../../sql/index.js';
import { typeNameOf, type Expression } from '../../fhirpath/index.js';
import { expressionError } from '../sof-errors.js';
import { boundary } from './boundaries.js';
import type { ExpressionContext } from './expression-context.js';
import { isSubtype, namedType, systemType } from './fhir-types.js';
import { navigate, settle } from './navigation.js';
import { expectClass, single } from './singletons.js';
import { emptyOne, existsOf, firstOf, fromWhere, itemAs, one, oneAs, orderBy, type Many, type One, type Value } from './values.js';

export type Compile = (expression: Expression, input: Value) => Value;

interface Call {
  ctx: ExpressionContext;
  base: Value;
  args: Expression[];
  compile: Compile;
}

const ARITY: Record<string, number[]> = {
  where: [1], exists: [0, 1], empty: [0], first: [0], last: [0], count: [0], single: [0], not: [0], ofType: [1],
  extension: [1], join: [0, 1], getResourceKey: [0], getReferenceKey: [0, 1], lowBoundary: [0], highBoundary: [0],
};

const booleanType = [systemType('Boolean')];

/** The item of a comprehension as a single value, to evaluate criteria on. */
function itemOf(many: Many): One {
  return { card: 'one', sql: many.item, repr: many.repr, types: many.types };
}

function where({ ctx, base, args, compile }: Call): One | Many {
  const input = settle(base);
  if (input.card === 'one') {
    const criteria = compile(args[0], input);
    expectClass(ctx, criteria, ['boolean'], 'where()');
    return { ...input, sql: sql`(CASE WHEN ${oneAs(single(criteria), 'boolean')} THEN ${input.sql} END)`, nav: undefined, root: undefined };
  }
  const criteria = compile(args[0], itemOf(input));
  expectClass(ctx, criteria, ['boolean'], 'where()');
  return { ...input, where: [...input.where, oneAs(single(criteria), 'boolean')], array: undefined };
}

function exists(call: Call): One {
  const input = call.args.length === 1 ? where(call) : settle(call.base);
  return one(existsOf(input), 'boolean', booleanType);
}

function count(call: Call): One {
  const input = settle(call.base);
  const text = input.card === 'one'
    ? sql`(CASE WHEN ${input.sql} IS NULL THEN 0 ELSE 1 END)`
    : sql`(SELECT count(*) ${fromWhere(input)})`;
  return one(text, 'numeric', [systemType('Integer')]);
}

function ofType({ ctx, base, args }: Call): Value {
  const name = typeNameOf(args[0])?.replace(/^FHIR\./, '');
  const type = name ? namedType(ctx.model, name) : undefined;
  if (!name || !type) throw expressionError('sof.type-mismatch', 'ofType() needs a known type name', ctx.site);
  if (base.card === 'choice') {
    const option = base.options.find((candidate) => candidate.type.name === name);
    return option ? navigate(ctx, base.parent, option.key, false, [option.type]) : emptyOne([type]);
  }
  const types = base.types.filter((candidate) => isSubtype(ctx.model, candidate.name, name));
  if (types.length > 0) return { ...base, types: [type] };
  const abstractResource = base.types.some((candidate) => candidate.name === 'Resource' || candidate.name === 'DomainResource');
  if (!abstractResource || !ctx.model.isResourceType(name)) return emptyOne([type]);
  const isType = (json: Sql) => sql`(${json} ->> 'resourceType') = ${raw(quoteLiteral(name))}`;
  if (base.card === 'one') return { card: 'one', sql: sql`(CASE WHEN ${isType(base.sql)} THEN ${base.sql} END)`, repr: 'jsonb', types: [type] };
  return { ...base, where: [...base.where, isType(base.item)], types: [type], array: undefined };
}

function stringArgument(ctx: ExpressionContext, call: Call, index: number, what: string): Sql {
  const value = call.compile(call.args[index], call.base);
  expectClass(ctx, value, ['string'], what);
  return oneAs(single(value), 'text');
}

function extension(call: Call): Value {
  const { ctx } = call;
  const input = settle(call.base);
  const url = stringArgument(ctx, call, 0, 'extension()');
  const extensions = call.compile({ kind: 'member', base: { kind: 'focus' }, name: 'extension' }, input);
  const all = settle(extensions);
  const matches = (json: Sql) => sql`(${json} ->> 'url') = ${url}`;
  if (all.card === 'one') return { ...all, sql: sql`(CASE WHEN ${matches(all.sql)} THEN ${all.sql} END)`, nav: undefined };
  return { ...all, where: [...all.where, matches(all.item)], array: undefined };
}

function joinStrings(call: Call): One {
  const { ctx } = call;
  const input = settle(call.base);
  expectClass(ctx, input, ['string'], 'join()');
  const separator = call.args.length === 1 ? stringArgument(ctx, call, 0, 'join() separator') : sql`''`;
  const text = input.card === 'one'
    ? sql`coalesce(${oneAs(input, 'text')}, '')`
    : sql`(SELECT coalesce(string_agg(${itemAs(input, 'text')}, ${separator}${orderBy(input)}), '') ${fromWhere(input)})`;
  return one(text, 'text', [systemType('String')]);
}

function resourceKey({ ctx, base }: Call): One {
  if (base.card !== 'one' || !base.root) {
    throw expressionError('sof.type-mismatch', 'getResourceKey() applies to the resource itself', ctx.site);
  }
  return one(sql`${base.root.alias}.id`, 'text', [{ name: 'id' }]);
}

function referenceKey({ ctx, base, args }: Call): One | Many {
  const input = settle(base);
  if (input.types.some((type) => type.name !== 'Reference')) {
    throw expressionError('sof.type-mismatch', 'getReferenceKey() applies to Reference values', ctx.site);
  }
  let type = sql`NULL`;
  if (args.length === 1) {
    const name = typeNameOf(args[0]);
    if (!name || !ctx.model.isResourceType(name)) throw expressionError('sof.type-mismatch', 'getReferenceKey() takes a resource type', ctx.site);
    type = raw(quoteLiteral(name));
  }
  const key = (json: Sql) => sql`fhir.reference_key(${json} ->> 'reference', ${type})`;
  const types = [{ name: 'id' }];
  if (input.card === 'one') return one(key(input.sql), 'text', types);
  return { ...input, item: key(input.item), repr: 'text', types, nullable: true, array: undefined };
}

function not({ ctx, base }: Call): One {
  expectClass(ctx, base, ['boolean'], 'not()');
  return one(sql`(NOT ${oneAs(single(base), 'boolean')})`, 'boolean', booleanType);
}

function handlers(name: string): ((call: Call) => Value) | undefined {
  const table: Record<string, (call: Call) => Value> = {
    where, exists, count, ofType, extension, not, join: joinStrings,
    empty: (call) => one(sql`(NOT ${existsOf(settle(call.base))})`, 'boolean', booleanType),
    first: (call) => { const input = settle(call.base); return input.card === 'one' ? input : firstOf(input); },
    last: (call) => { const input = settle(call.base); return input.card === 'one' ? input : firstOf(input, true); },
    single: (call) => single(call.base),
    getResourceKey: resourceKey,
    getReferenceKey: referenceKey,
    lowBoundary: (call) => boundary(call.ctx, settle(call.base), 'low'),
    highBoundary: (call) => boundary(call.ctx, settle(call.base), 'high'),
  };
  return Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
}

/** Names of the functions views may use. */
export const SUPPORTED_FUNCTIONS: readonly string[] = Object.keys(ARITY);

export function compileCall(ctx: ExpressionContext, name: string, base: Value, args: Expression[], compile: Compile): Value {
  const handler = handlers(name);
  if (!handler || !ARITY[name]) {
    throw expressionError('sof.unknown-function', `${name}() is not a function views support (they support ${SUPPORTED_FUNCTIONS.join(', ')})`, ctx.site);
  }
  if (!ARITY[name].includes(args.length)) {
    throw expressionError('sof.unknown-function', `${name}() does not take ${args.length} argument${args.length === 1 ? '' : 's'}`, ctx.site);
  }
  return handler({ ctx, base, args, compile });
}
