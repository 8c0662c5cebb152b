/**
 * Flint's one FHIRPath syntax tree (http://hl7.org/fhirpath/N1/#grammar): what an expression says,
 * typed, without the library's parse nodes. Modules that read expressions rather than run them use
 * it: SQL on FHIR checks views and compiles them to SQL, search translates SearchParameter
 * expressions into jsonpaths, validation finds what an invariant reads, metadata checks that a
 * definition's expression parses. Only what FHIRPath can say is here; what each reader accepts is
 * its own decision. Built by parseExpression (parse-expression.ts).
 */

export type LiteralType = 'string' | 'integer' | 'decimal' | 'boolean' | 'date' | 'dateTime' | 'time' | 'quantity';

export type BinaryOperator =
  | '=' | '!=' | '~' | '!~' | '<' | '>' | '<=' | '>='
  | 'and' | 'or' | 'xor' | 'implies'
  | '+' | '-' | '*' | '/' | 'div' | 'mod' | '&'
  | '|' | 'in' | 'contains';

export type Expression =
  /** The input of the expression (the start of a path); `$this` inside where() and friends. */
  | { kind: 'focus' }
  /** A member of each item of `base`. */
  | { kind: 'member'; base: Expression; name: string }
  /** A function called on `base` (the focus when written first). */
  | { kind: 'call'; base: Expression; name: string; args: Expression[] }
  | { kind: 'index'; base: Expression; index: Expression }
  | { kind: 'literal'; type: LiteralType; value: string | number | boolean; unit?: string }
  /** `{}` */
  | { kind: 'empty' }
  | { kind: 'variable'; name: string }
  | BinaryExpression
  | { kind: 'unary'; operator: '-' | '+'; operand: Expression }
  | { kind: 'type-operator'; operator: 'is' | 'as'; operand: Expression; typeName: string }
  /** An argument that names a type (ofType(Quantity), getReferenceKey(Patient)). */
  | { kind: 'type-name'; name: string }
  | { kind: 'unsupported'; what: string };

/** `left operator right`. */
export interface BinaryExpression {
  kind: 'binary';
  operator: BinaryOperator;
  left: Expression;
  right: Expression;
  /**
   * Where the operator is written (line and column from 1), for readers that split the source
   * text; a member named `div` or `mod` after a dot is read as `` `div` `` (two columns more).
   */
  position?: { line: number; column: number };
  /** Written in parentheses: `(a or b) or c` is two parts, `a or b or c` three. */
  parenthesized?: true;
}

export const focus: Expression = Object.freeze({ kind: 'focus' });

/** The type name an argument spells (`Patient`, `FHIR.Quantity`, `System.String`), if it is one. */
export function typeNameOf(expression: Expression): string | undefined {
  if (expression.kind === 'type-name') return expression.name;
  if (expression.kind === 'member' && expression.base.kind === 'focus') return expression.name;
  if (expression.kind === 'member' && expression.base.kind === 'member' && expression.base.base.kind === 'focus') {
    return `${expression.base.name}.${expression.name}`;
  }
  return undefined;
}
