/**
 * One FHIRPath expression of a view -> SQL over the resource's JSONB, typed by the model. The input
 * (focus) is the resource or the current item of a forEach; the result is a One, Many or Choice
 * value (values.ts) that the view compiler turns into a column, a filter or the rows of a forEach.
 */
import { sql } from '../../sql/index.js';
import type { Expression } from '../../fhirpath/index.js';
import { expressionError } from '../sof-errors.js';
import { constantValue } from './constants.js';
import type { ExpressionContext } from './expression-context.js';
import { systemType } from './fhir-types.js';
import { compileCall } from './functions.js';
import { member, settle } from './navigation.js';
import { compileBinary, compileNegation } from './operators.js';
import { expectClass, single } from './singletons.js';
import { emptyOne, one, oneAs, toArray, type One, type Value } from './values.js';

const NUMBER = /^\d+(\.\d+)?$/;

function literal(ctx: ExpressionContext, expression: Extract<Expression, { kind: 'literal' }>): One {
  const { type, value } = expression;
  switch (type) {
    case 'string': return one(sql`${value}::text`, 'text', [systemType('String')]);
    case 'boolean': return one(value ? sql`true` : sql`false`, 'boolean', [systemType('Boolean')]);
    case 'integer': case 'decimal':
      if (!NUMBER.test(String(value))) throw expressionError('sof.invalid-fhirpath', `bad number ${String(value)}`, ctx.site);
      return one(sql`${String(value)}::numeric`, 'numeric', [systemType(type === 'integer' ? 'Integer' : 'Decimal')]);
    case 'date': return one(sql`${value}::text`, 'text', [systemType('Date')]);
    case 'dateTime': return one(sql`${value}::text`, 'text', [systemType('DateTime')]);
    case 'time': return one(sql`${value}::text`, 'text', [systemType('Time')]);
    default: throw expressionError('sof.unsupported', `${type} literals are not supported in views`, ctx.site);
  }
}

function variable(ctx: ExpressionContext, name: string): One {
  if (name === 'rowIndex') return one(ctx.rowIndex, 'numeric', [systemType('Integer')]);
  if (name === 'resource' || name === 'rootResource') return ctx.root;
  const constant = ctx.constants.get(name);
  if (!constant) throw expressionError('sof.unknown-constant', `%${name} is not a constant of this view`, ctx.site);
  return constantValue(constant);
}

function index(ctx: ExpressionContext, base: Value, position: Value): One {
  expectClass(ctx, position, ['integer'], 'an index');
  const at = oneAs(single(position), 'numeric');
  const input = settle(base);
  if (input.card === 'one') return { ...input, sql: sql`(CASE WHEN ${at} = 0 THEN ${input.sql} END)`, nav: undefined, root: undefined };
  const array = input.array && input.where.length === 0 && !input.nullable ? input.array : toArray(input);
  return { card: 'one', sql: sql`(CASE WHEN ${at} >= 0 THEN ${array} -> (${at})::integer END)`, repr: 'jsonb', types: input.types };
}

/** Compiles an expression evaluated on `input`. */
export function compileExpression(ctx: ExpressionContext, expression: Expression, input: Value): Value {
  const compile = (inner: Expression, on: Value): Value => compileExpression(ctx, inner, on);
  switch (expression.kind) {
    case 'focus': return input;
    case 'member': return member(ctx, compile(expression.base, input), expression.name);
    case 'call': return compileCall(ctx, expression.name, compile(expression.base, input), expression.args, compile);
    case 'index': return index(ctx, compile(expression.base, input), compile(expression.index, input));
    case 'literal': return literal(ctx, expression);
    case 'empty': return emptyOne([]);
    case 'variable': return variable(ctx, expression.name);
    case 'binary': return compileBinary(ctx, expression.operator, compile(expression.left, input), compile(expression.right, input));
    case 'unary': {
      const computed = ['literal', 'variable', 'binary', 'unary'].includes(expression.operand.kind);
      if (expression.operator === '-' && !computed) {
        // FHIRPath engines differ on negating an element (fhirpath.js refuses); 0 - x is the same everywhere.
        throw expressionError('sof.unsupported', "unary '-' applies to literals and computed values here; write 0 - x", ctx.site);
      }
      const operand = compile(expression.operand, input);
      return expression.operator === '-' ? compileNegation(ctx, operand) : operand;
    }
    case 'type-name': throw expressionError('sof.unsupported', `a type name (${expression.name}) is not a value`, ctx.site);
    case 'type-operator': throw expressionError('sof.unsupported', `the '${expression.operator}' operator is not supported in views; use ofType()`, ctx.site);
    case 'unsupported': throw expressionError('sof.unsupported', `${expression.what} is not supported in views`, ctx.site);
  }
}
