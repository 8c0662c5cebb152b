/**
 * The library's FHIRPath parse tree, typed as observed (fhirpath.js 5.1.1). Read inside this module
 * only: parse-expression.ts turns it into Flint's syntax tree (expression.ts), the compiler
 * collects its calls and variables, the strict check follows its paths. Shape of the tree for
 * `name.where(use = 'official')`:
 *
 *   EntireExpression > EntireExpression > InvocationExpression
 *     TermExpression > InvocationTerm > MemberInvocation(text "name", atRoot 1) > Identifier
 *     FunctionInvocation(text "where") > Functn > [Identifier "where", ParamList > EqualityExpression(text "=") > ...]
 *
 * Other node types met: LiteralTerm > StringLiteral | NumberLiteral | BooleanLiteral | DateLiteral |
 * DateTimeLiteral | TimeLiteral | QuantityLiteral (value, unit) | NullLiteral; ExternalConstantTerm
 * (text, or delimitedText for %`a-b`); ThisInvocation, IndexInvocation, TotalInvocation;
 * IndexerExpression; PolarityExpression; MultiplicativeExpression, AdditiveExpression,
 * UnionExpression, InequalityExpression, EqualityExpression, MembershipExpression, AndExpression,
 * OrExpression, ImpliesExpression, TypeExpression (text "is"/"as") > [expr, TypeSpecifier(text)].
 * Operators carry the operator in `text`. Identifiers keep their backticks (`` `b c` ``).
 */
import { library } from './fhirpath-library.js';
import { syntaxError, tooDeep } from './fhirpath-errors.js';
import { escapeKeywordMembers } from './keyword-members.js';

export interface LibraryTreeNode {
  type: string;
  /** Source text: the member or function name, the operator, the literal. */
  text?: string;
  /** ExternalConstantTerm written as %`name`: the name without the backticks. */
  delimitedText?: string;
  /** QuantityLiteral: the number and the unit (with its quotes) as written. */
  value?: string;
  unit?: string;
  /** MemberInvocation at the start of a path: 1 for a plain name, 2 for a qualified type name. */
  atRoot?: number;
  start?: { line: number; column: number };
  length?: number;
  children?: LibraryTreeNode[];
}

/**
 * The deepest syntax tree an expression may have. The search parameters of FHIR R4 stay below 50 levels; the
 * code that walks trees (here and every reader of the syntax tree) recurses, so deeper ones are refused.
 */
export const MAX_FHIRPATH_DEPTH = 300;

/** Throws fhirpath.too-deep when the tree is deeper than MAX_FHIRPATH_DEPTH (measured without recursion). */
function checkDepth(expression: string, root: LibraryTreeNode): void {
  const stack: [LibraryTreeNode, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > MAX_FHIRPATH_DEPTH) throw tooDeep(expression, MAX_FHIRPATH_DEPTH);
    for (const child of node.children ?? []) stack.push([child, depth + 1]);
  }
}

/** Parses an expression (`.div` read as an element, see keyword-members.ts); a syntax error becomes FhirError fhirpath.syntax. */
export function parseLibraryTree(expression: string): LibraryTreeNode {
  let tree: LibraryTreeNode;
  try {
    tree = library.parse(escapeKeywordMembers(expression)) as LibraryTreeNode;
  } catch (error) {
    throw syntaxError(expression, error);
  }
  checkDepth(expression, tree);
  return tree;
}

/** A function call found in a tree: its name and argument count. */
export interface FunctionCall {
  name: string;
  argumentCount: number;
}

function functionCall(node: LibraryTreeNode): FunctionCall | undefined {
  const functn = node.children?.[0];
  const name = functn?.children?.[0]?.text;
  if (functn?.type !== 'Functn' || name === undefined) return undefined;
  const params = functn.children?.[1];
  return { name, argumentCount: params?.type === 'ParamList' ? params.children?.length ?? 0 : 0 };
}

/** Every function call and every %variable name of a tree. */
export function collectReferences(root: LibraryTreeNode): { calls: FunctionCall[]; variables: string[] } {
  const calls: FunctionCall[] = [];
  const variables = new Set<string>();
  const visit = (node: LibraryTreeNode): void => {
    if (node.type === 'FunctionInvocation') {
      const call = functionCall(node);
      if (call) calls.push(call);
    } else if (node.type === 'ExternalConstantTerm') {
      const name = node.delimitedText ?? node.text;
      if (name !== undefined) variables.add(name);
    }
    node.children?.forEach(visit);
  };
  visit(root);
  return { calls, variables: [...variables] };
}
