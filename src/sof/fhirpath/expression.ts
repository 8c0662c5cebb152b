/**
 * The FHIRPath expressions of a ViewDefinition as a small syntax tree of their own, built from the
 * library's parse tree (src/fhirpath parseFhirPath). Both runners check a view through it, and the
 * SQL compiler translates it. Only what FHIRPath can say is here; what ViewDefinitions may use is
 * decided by the compiler (https://sql-on-fhir.org/ig/StructureDefinition-ViewDefinition.html).
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
  | { kind: 'binary'; operator: BinaryOperator; left: Expression; right: Expression }
  | { kind: 'unary'; operator: '-' | '+'; operand: Expression }
  | { kind: 'type-operator'; operator: 'is' | 'as'; operand: Expression; typeName: string }
  /** An argument that names a type (ofType(Quantity), getReferenceKey(Patient)). */
  | { kind: 'type-name'; name: string }
  | { kind: 'unsupported'; what: string };

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
