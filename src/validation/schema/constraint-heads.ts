/**
 * Which parts of its focus an invariant reads. Walks the FHIRPath syntax tree (src/fhirpath's
 * Expression) and collects the element names a constraint navigates to from its focus ("heads").
 * When none of them is present
 * in a value, the constraint's result is the same for every value of that element, so it is
 * evaluated once on an empty value and reused. Expressions that read the focus as a whole ($this,
 * children(), %resource at the top level...) are marked whole-focus and always evaluated.
 */
import { parseExpression, type Expression } from '../../fhirpath/index.js';

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

/** Is an invocation's input empty whenever the focus lacks every head? (starts at a member, keeps empty). */
function emptyWhenHeadsAbsent(node: Expression): boolean {
  if (node.kind === 'member') return node.base.kind === 'focus' || emptyWhenHeadsAbsent(node.base);
  if (node.kind === 'call' && node.base.kind !== 'focus') return EMPTY_PRESERVING.has(node.name) && emptyWhenHeadsAbsent(node.base);
  return false;
}

/** A name read from the input of the expression: a head, or (a type name such as Patient) the whole focus. */
function visitRootMember(name: string, atFocus: boolean, result: Analysis): void {
  if (!atFocus) return;
  if (/^[A-Z]/.test(name)) result.whole = true;
  else result.heads.add(name);
}

function visit(node: Expression, atFocus: boolean, guarded: boolean, result: Analysis): void {
  switch (node.kind) {
    case 'member':
      if (node.base.kind === 'focus') visitRootMember(node.name, atFocus, result);
      else visit(node.base, atFocus, guarded, result);
      return;
    case 'call':
      if (node.base.kind === 'focus') {
        visitFunction(node, atFocus, guarded, guarded, true, result);
        return;
      }
      visit(node.base, atFocus, guarded, result);
      visitFunction(node, atFocus, guarded, guarded || emptyWhenHeadsAbsent(node.base), false, result);
      return;
    case 'variable':
      if (WHOLE_VARIABLES.has(node.name) && (atFocus || !guarded)) result.whole = true;
      return;
    case 'focus':
    case 'unsupported':
      // $this, $index, $total (and anything else this reader does not know) read the focus as a whole.
      if (atFocus) result.whole = true;
      return;
    default:
      for (const child of operands(node)) visit(child, atFocus, guarded, result);
  }
}

/** The sub-expressions an operator, an indexer or a type operator evaluates on the same focus. */
function operands(node: Expression): Expression[] {
  switch (node.kind) {
    case 'binary': return [node.left, node.right];
    case 'unary': return [node.operand];
    case 'index': return [node.base, node.index];
    case 'type-operator': return [node.operand];
    default: return [];
  }
}

/**
 * A function call. `guarded`: the call is only evaluated when some head is present; `inputGuarded`:
 * its input is empty unless some head is present (so per-item arguments are only evaluated then).
 */
function visitFunction(
  node: Extract<Expression, { kind: 'call' }>, atFocus: boolean, guarded: boolean, inputGuarded: boolean, onFocus: boolean, result: Analysis,
): void {
  if (onFocus && atFocus) {
    if (!FOCUS_SAFE.has(node.name)) result.whole = true;
    if (node.name === 'extension') result.heads.add('extension');
    // Called on the focus, an iterating function's items are the focus itself.
    for (const arg of node.args) visit(arg, true, guarded, result);
    return;
  }
  const itemContext = ITERATING.has(node.name);
  for (const arg of node.args) visit(arg, itemContext ? false : atFocus, itemContext ? inputGuarded : guarded, result);
}

/** The heads of an expression (cached by the caller with the compiled constraint). */
export function constraintHeads(expression: string): ConstraintHeads {
  const result: Analysis = { heads: new Set(), whole: false };
  visit(parseExpression(expression), true, false, result);
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
