/**
 * Shortcuts that decide an invariant without running it: in `A or B or C`, a part whose heads
 * (the elements it reads, constraint-heads.ts) are all absent has the same value for every such
 * focus; when that value is true the whole expression is true. In `A implies B`, an absent
 * antecedent whose value is false or empty makes the whole expression pass. Each part's value is
 * computed once, on an empty value, through the FHIRPath engine. So obs-6 (`dataAbsentReason.empty()
 * or value.empty()`) and obs-7 (`value.empty() or component...`) pass on a plain Observation with a
 * value without being run.
 */
import { compileFhirPath, parseExpression, type BinaryExpression, type CompiledFhirPath, type Expression, type FhirPathFunctions } from '../../fhirpath/index.js';
import { constraintHeads, hasAnyHead } from './constraint-heads.js';

export interface Shortcut {
  heads: string[];
  /** Does the part's value, with its heads absent, decide that the constraint passes? */
  passes: (value: unknown[]) => boolean;
  evaluate: CompiledFhirPath;
  absent?: boolean;
}

/** The operators of a chain: `or` and `xor` share a precedence level, so a chain of `or` runs through both. */
const CHAIN_OPERATORS: Record<'or' | 'implies', readonly string[]> = { or: ['or', 'xor'], implies: ['implies'] };

function inChain(node: Expression, keyword: 'or' | 'implies'): node is BinaryExpression {
  return node.kind === 'binary' && !node.parenthesized && CHAIN_OPERATORS[keyword].includes(node.operator);
}

/** The text of the parts of a top-level chain of one operator (or), split at the operator's positions. */
function chainParts(root: Expression, keyword: 'or' | 'implies', expression: string): string[] | undefined {
  const positions: number[] = [];
  let node = root;
  while (inChain(node, keyword)) {
    if (node.position?.line !== 1) return undefined;
    positions.push(node.position.column - 1);
    node = node.left;
  }
  if (positions.length === 0) return undefined;
  positions.sort((a, b) => a - b);
  const parts: string[] = [];
  let from = 0;
  for (const position of positions) {
    if (expression.slice(position, position + keyword.length) !== keyword) return undefined;
    parts.push(expression.slice(from, position).trim());
    from = position + keyword.length;
  }
  parts.push(expression.slice(from).trim());
  return parts;
}

function shortcut(part: string, options: { base?: string; functions: FhirPathFunctions }, passes: Shortcut['passes']): Shortcut | undefined {
  const { heads } = constraintHeads(part);
  if (!heads || heads.length === 0) return undefined;
  try {
    return { heads, passes, evaluate: compileFhirPath(part, options) };
  } catch {
    return undefined;
  }
}

const isTrue = (value: unknown[]) => value.length === 1 && value[0] === true;
const isFalseOrEmpty = (value: unknown[]) => value.length === 0 || (value.length === 1 && value[0] === false);

export function constraintShortcuts(expression: string, options: { base?: string; functions: FhirPathFunctions }): Shortcut[] {
  if (expression.includes('\n') || /\.(div|mod)\b/.test(expression)) return [];
  const root = parseExpression(expression);
  if (inChain(root, 'or')) {
    return (chainParts(root, 'or', expression) ?? []).map((part) => shortcut(part, options, isTrue)).filter((item): item is Shortcut => item !== undefined);
  }
  if (inChain(root, 'implies')) {
    const parts = chainParts(root, 'implies', expression);
    const antecedent = parts?.length === 2 ? shortcut(parts[0], options, isFalseOrEmpty) : undefined;
    return antecedent ? [antecedent] : [];
  }
  return [];
}

/** Does a shortcut decide that the constraint passes for this focus? */
export function passesByShortcut(shortcuts: Shortcut[], focus: unknown, skeleton: unknown, scope?: unknown): boolean {
  if (typeof focus !== 'object' || focus === null || Array.isArray(focus)) return false;
  for (const item of shortcuts) {
    if (hasAnyHead(focus as Record<string, unknown>, item.heads)) continue;
    if (item.absent === undefined) {
      try {
        item.absent = item.passes(item.evaluate(skeleton, undefined, scope));
      } catch {
        item.absent = false;
      }
    }
    if (item.absent) return true;
  }
  return false;
}
