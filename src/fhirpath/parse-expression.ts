/**
 * FHIRPath text -> Expression, through the library's parser (parseLibraryTree, which reports syntax
 * errors as fhirpath.syntax and trees too deep to walk as fhirpath.too-deep). The library's tree is
 * documented in library-tree.ts; outside this module, only this file reads it.
 */
import { parseLibraryTree, type LibraryTreeNode } from './library-tree.js';
import type { BinaryOperator, Expression, LiteralType } from './expression.js';
import { focus } from './expression.js';

const BINARY: Record<string, true> = {
  MultiplicativeExpression: true, AdditiveExpression: true, UnionExpression: true, InequalityExpression: true,
  EqualityExpression: true, MembershipExpression: true, AndExpression: true, OrExpression: true, ImpliesExpression: true,
};

const OPERATORS = new Set<string>([
  '=', '!=', '~', '!~', '<', '>', '<=', '>=', 'and', 'or', 'xor', 'implies', '+', '-', '*', '/', 'div', 'mod', '&', '|', 'in', 'contains',
]);

function unquote(identifier: string): string {
  return identifier.startsWith('`') && identifier.endsWith('`') ? unescape(identifier.slice(1, -1)) : identifier;
}

const ESCAPES: Record<string, string> = { "'": "'", '"': '"', '`': '`', '\\': '\\', '/': '/', f: '\f', n: '\n', r: '\r', t: '\t' };

/** The value of a FHIRPath string body (the text between the quotes) with its escapes resolved. */
function unescape(body: string): string {
  return body.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_match, escape: string) =>
    escape.length === 5 ? String.fromCharCode(parseInt(escape.slice(1), 16)) : ESCAPES[escape] ?? escape);
}

function children(node: LibraryTreeNode): LibraryTreeNode[] {
  return node.children ?? [];
}

function literal(node: LibraryTreeNode): Expression {
  const inner = children(node)[0];
  const text = inner?.text ?? node.text ?? '';
  switch (inner?.type) {
    case 'StringLiteral': return { kind: 'literal', type: 'string', value: unescape(text.slice(1, -1)) };
    case 'NumberLiteral': return { kind: 'literal', type: /[.eE]/.test(text) ? 'decimal' : 'integer', value: text };
    case 'BooleanLiteral': return { kind: 'literal', type: 'boolean', value: text === 'true' };
    case 'DateLiteral': return { kind: 'literal', type: 'date', value: text.slice(1) };
    case 'DateTimeLiteral': return { kind: 'literal', type: 'dateTime', value: text.slice(1).replace(/T$/, '') };
    case 'TimeLiteral': return { kind: 'literal', type: 'time', value: text.slice(2) };
    case 'NullLiteral': return { kind: 'empty' };
    case 'QuantityLiteral': {
      const quantity = children(inner)[0] ?? inner;
      return { kind: 'literal', type: 'quantity' as LiteralType, value: quantity.value ?? text, unit: quantity.unit };
    }
    default: return { kind: 'unsupported', what: `literal ${text}` };
  }
}

function invoke(node: LibraryTreeNode, base: Expression): Expression {
  switch (node.type) {
    case 'MemberInvocation': return { kind: 'member', base, name: unquote(node.text ?? '') };
    case 'ThisInvocation': return base;
    case 'FunctionInvocation': {
      const functn = children(node)[0];
      const [identifier, params] = children(functn);
      const args = params?.type === 'ParamList' ? children(params).map(convert) : [];
      return { kind: 'call', base, name: unquote(identifier?.text ?? ''), args };
    }
    case 'IndexInvocation': return { kind: 'unsupported', what: '$index' };
    case 'TotalInvocation': return { kind: 'unsupported', what: '$total' };
    default: return { kind: 'unsupported', what: node.type };
  }
}

function binary(node: LibraryTreeNode): Expression {
  const [left, right] = children(node).map(convert);
  const operator = node.text ?? '';
  if (!OPERATORS.has(operator)) return { kind: 'unsupported', what: `operator ${operator}` };
  const position = node.start ? { position: { line: node.start.line, column: node.start.column } } : {};
  return { kind: 'binary', operator: operator as BinaryOperator, left, right, ...position };
}

function parenthesized(inner: Expression): Expression {
  return inner.kind === 'binary' ? { ...inner, parenthesized: true } : inner;
}

function convert(node: LibraryTreeNode): Expression {
  const [first, second] = children(node);
  if (BINARY[node.type]) return binary(node);
  switch (node.type) {
    case 'EntireExpression':
    case 'TermExpression':
      return convert(first);
    case 'ParenthesizedTerm': return parenthesized(convert(first));
    case 'InvocationTerm': return invoke(first, focus);
    case 'InvocationExpression': return invoke(second, convert(first));
    case 'LiteralTerm': return literal(node);
    case 'ExternalConstantTerm': return { kind: 'variable', name: node.delimitedText ?? unquote(node.text ?? '') };
    case 'IndexerExpression': return { kind: 'index', base: convert(first), index: convert(second) };
    case 'PolarityExpression': return { kind: 'unary', operator: node.text === '+' ? '+' : '-', operand: convert(first) };
    case 'TypeExpression': {
      const operator = node.text === 'as' ? 'as' : 'is';
      return { kind: 'type-operator', operator, operand: convert(first), typeName: (second?.text ?? '').replace(/`/g, '') };
    }
    default: return { kind: 'unsupported', what: node.type };
  }
}

/** Parses FHIRPath text; a syntax error is FhirError fhirpath.syntax, a tree too deep fhirpath.too-deep. */
export function parseExpression(text: string): Expression {
  return convert(parseLibraryTree(text));
}
