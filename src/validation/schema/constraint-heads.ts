/**
 * Which parts of its focus an invariant reads. Walks the FHIRPath syntax tree and collects the
 * element names a constraint navigates to from its focus ("heads"). When none of them is present
 * in a value, the constraint's result is the same for every value of that element, so it is
 * evaluated once on an empty value and reused. Expressions that read the focus as a whole ($this,
 * children(), %resource at the top level...) are marked whole-focus and always evaluated.
 */
import { parseFhirPath, type FhirPathSyntaxNode } from '../../fhirpath/index.js';

/** Functions whose arguments are evaluated once per item of their input. */
const ITERATING = new Set(['where', 'select', 'all', 'exists', 'repeat', 'aggregate', 'any', 'trace', 'sort']);
/** Functions that give an empty result for an empty input. */
const EMPTY_PRESERVING = new Set([
  'where', 'select', 'ofType', 'as', 'first', 'last', 'tail', 'skip', 'take', 'single', 'trace', 'substring',
  'startsWith', 'endsWith', 'contains', 'matches', 'replace', 'replaceMatches', 'lower', 'upper', 'length',
  'resolve', 'extension', 'children', 'descendants', 'repeat', 'distinct', 'toString', 'toInteger', 'toDecimal',
  'toDate', 'toDateTime', 'toQuantity', 'abs', 'ceiling', 'floor', 'round', 'truncate', 'indexOf',
]);
/** Functions that, called on the focus itself, read only its existence or nothing of it. */
const FOCUS_SAFE = new Set(['exists', 'empty', 'count', 'all', 'where', 'select', 'iif', 'today', 'now', 'timeOfDay', 'extension']);
const WHOLE_VARIABLES = new Set(['resource', 'rootResource', 'context']);

export interface ConstraintHeads {
  /** Element names read from the focus; undefined when the expression reads the focus as a whole. */
  heads?: string[];
}

interface Analysis {
  heads: Set<string>;
  whole: boolean;
}

function unquote(name: string): string {
  return name.startsWith('`') ? name.slice(1, -1) : name;
}

function functionParts(node: FhirPathSyntaxNode): { name: string; args: FhirPathSyntaxNode[] } | undefined {
  const functn = node.children?.[0];
  const name = functn?.children?.[0]?.text;
  if (functn?.type !== 'Functn' || name === undefined) return undefined;
  const params = functn.children?.[1];
  return { name, args: params?.type === 'ParamList' ? params.children ?? [] : [] };
}

/** The chain of an invocation: its first term and the steps after it. */
function chainHead(node: FhirPathSyntaxNode): FhirPathSyntaxNode {
  let current = node;
  while (current.type === 'InvocationExpression' && current.children?.[0]) current = current.children[0];
  return current;
}

/** Is an invocation's input empty whenever the focus lacks every head? (starts at a member, keeps empty). */
function emptyWhenHeadsAbsent(node: FhirPathSyntaxNode): boolean {
  if (node.type === 'InvocationExpression') {
    const [left, right] = node.children ?? [];
    if (!left || !right) return false;
    if (right.type === 'FunctionInvocation') {
      const parts = functionParts(right);
      if (!parts || !EMPTY_PRESERVING.has(parts.name)) return false;
    }
    return emptyWhenHeadsAbsent(left);
  }
  const head = chainHead(node);
  const term = head.type === 'TermExpression' ? head.children?.[0] : head;
  return term?.type === 'InvocationTerm' && term.children?.[0]?.type === 'MemberInvocation';
}

function visit(node: FhirPathSyntaxNode, atFocus: boolean, guarded: boolean, result: Analysis): void {
  switch (node.type) {
    case 'InvocationExpression': {
      const [left, right] = node.children ?? [];
      if (left) visit(left, atFocus, guarded, result);
      if (right?.type === 'FunctionInvocation') {
        visitFunction(right, atFocus, guarded, guarded || (left !== undefined && emptyWhenHeadsAbsent(left)), false, result);
      }
      return;
    }
    case 'InvocationTerm': {
      const inner = node.children?.[0];
      if (!inner) return;
      if (inner.type === 'MemberInvocation') {
        const name = unquote(inner.text ?? '');
        if (atFocus) {
          if (/^[A-Z]/.test(name)) result.whole = true;
          else result.heads.add(name);
        }
      } else if (inner.type === 'FunctionInvocation') {
        visitFunction(inner, atFocus, guarded, guarded, true, result);
      } else if (inner.type === 'ThisInvocation' || inner.type === 'IndexInvocation' || inner.type === 'TotalInvocation') {
        if (atFocus) result.whole = true;
      }
      return;
    }
    case 'ExternalConstantTerm': {
      const name = node.delimitedText ?? node.children?.[0]?.children?.[0]?.text ?? node.text ?? '';
      if (WHOLE_VARIABLES.has(name) && (atFocus || !guarded)) result.whole = true;
      return;
    }
    default:
      for (const child of node.children ?? []) visit(child, atFocus, guarded, result);
  }
}

/**
 * A function call. `guarded`: the call is only evaluated when some head is present; `inputGuarded`:
 * its input is empty unless some head is present (so per-item arguments are only evaluated then).
 */
function visitFunction(
  node: FhirPathSyntaxNode, atFocus: boolean, guarded: boolean, inputGuarded: boolean, onFocus: boolean, result: Analysis,
): void {
  const parts = functionParts(node);
  if (!parts) {
    result.whole = true;
    return;
  }
  if (onFocus && atFocus) {
    if (!FOCUS_SAFE.has(parts.name)) result.whole = true;
    if (parts.name === 'extension') result.heads.add('extension');
    // Called on the focus, an iterating function's items are the focus itself.
    for (const arg of parts.args) visit(arg, true, guarded, result);
    return;
  }
  const itemContext = ITERATING.has(parts.name);
  for (const arg of parts.args) visit(arg, itemContext ? false : atFocus, itemContext ? inputGuarded : guarded, result);
}

/** The heads of an expression (cached by the caller with the compiled constraint). */
export function constraintHeads(expression: string): ConstraintHeads {
  const result: Analysis = { heads: new Set(), whole: false };
  visit(parseFhirPath(expression), true, false, result);
  return result.whole ? {} : { heads: [...result.heads] };
}

/** Does a JSON object hold any of these elements (choice keys valueX and _name count)? */
export function hasAnyHead(value: Record<string, unknown>, heads: readonly string[]): boolean {
  for (const key of Object.keys(value)) {
    const name = key.charCodeAt(0) === 95 ? key.slice(1) : key;
    for (const head of heads) {
      if (name === head) return true;
      if (name.length > head.length && name.startsWith(head)) {
        const next = name.charCodeAt(head.length);
        if (next >= 65 && next <= 90) return true;
      }
    }
  }
  return false;
}
