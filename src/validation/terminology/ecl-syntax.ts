/**
 * Syntax check of SNOMED CT Expression Constraint Language (ECL 2.x, http://snomed.org/ecl): a
 * recursive-descent parser over the characters of an expression constraint, following the brief
 * syntax's ABNF and also accepting the long syntax's keywords (descendantOf, memberOf, reverseOf,
 * NOT =, to, many, any). It checks form only, never SNOMED CT content, and reports the first
 * problem with its character offset. Filters and history supplements ({{ ... }}) are checked for
 * balance only, not parsed.
 */
import { EclCursor, EclSyntaxError, problemAt, type Outcome } from './ecl-cursor.js';

/** Undefined when the text is a syntactically valid expression constraint, else what is wrong and where. */
export function eclSyntaxProblem(text: string): string | undefined {
  try {
    new EclParser(text).wholeText();
    return undefined;
  } catch (error) {
    if (error instanceof EclSyntaxError) return error.message;
    throw error;
  }
}

const CONSTRAINT_SYMBOLS = ['<<!', '<<', '<!', '<', '>>!', '>>', '>!', '>', '!!>', '!!<'];
const CONSTRAINT_WORDS = ['descendantOrSelfOf', 'descendantOf', 'childOrSelfOf', 'childOf', 'ancestorOrSelfOf', 'ancestorOf', 'parentOrSelfOf', 'parentOf'];
const EQUALITY_SYMBOLS = ['!=', '<>', '='];
const ORDERING_SYMBOLS = ['<=', '>=', '<', '>'];

const DIGITS = /\d+/y;
const ALTERNATE_IDENTIFIER = /[A-Za-z][A-Za-z0-9-]*#[A-Za-z0-9._-]+/y;
const QUOTED_ALTERNATE_IDENTIFIER = /"[A-Za-z][A-Za-z0-9-]*#[^"\\]+"/y;
const ANY_WILDCARD = /any(?![A-Za-z0-9#_-])/iy;
const BOOLEAN_VALUE = /(?:true|false)(?![A-Za-z0-9#_-])/iy;
const NON_NEGATIVE_INTEGER = /0|[1-9]\d*/y;
const MANY = /many(?![A-Za-z0-9])/iy;
const NUMERIC_VALUE = /[-+]?(?:0|[1-9]\d*)(?:\.\d+)?/y;
const REFSET_FIELD_NAME = /[A-Za-z]+/y;
const NOT_WORD = /not/iy;
const SEARCH_TYPE = /match|wild/iy;

type JoinKind = 'and' | 'or' | 'minus';

/** A binary operator as written: AND or ',' (and), OR (or), MINUS (minus). */
interface Joiner {
  kind: JoinKind;
  text: string;
  offset: number;
}

/** One operand of a refinement; groups and some bracketed refinements cannot stand in an attribute set. */
interface RefinementPart {
  notInAttributeSet?: EclSyntaxError;
}

class EclParser extends EclCursor {
  /** Parses already made at an offset, so that trying alternatives never repeats work. */
  private readonly subExpressions = new Map<string, Outcome<void>>();
  private readonly refinementParts = new Map<string, Outcome<RefinementPart>>();

  wholeText(): void {
    this.skipWs();
    if (this.atEnd()) throw problemAt('empty expression constraint', 0);
    this.expressionConstraint();
    this.skipWs();
    if (!this.atEnd()) throw this.unexpected();
  }

  // --- expression constraints ---

  /** refined / compound / dotted / sub expression constraint */
  private expressionConstraint(): void {
    this.subExpressionConstraint();
    this.skipWs();
    if (this.consume(':')) {
      this.skipWs();
      this.refinement();
      this.rejectContinuationAfter('a refinement');
    } else if (this.peek() === '.') {
      this.dottedAttributes();
      this.rejectContinuationAfter('dotted attributes');
    } else {
      const joiner = this.binaryOperator();
      if (joiner) this.compoundOperands(joiner);
    }
  }

  /** The operands after the first operator: a chain of one operator only, and MINUS just once. */
  private compoundOperands(first: Joiner): void {
    for (;;) {
      this.skipWs();
      this.subExpressionConstraint();
      this.skipWs();
      const next = this.binaryOperator();
      if (!next) return;
      if (next.kind !== first.kind) throw problemAt(`'${next.text}' cannot follow '${first.text}' without parentheses`, next.offset);
      if (first.kind === 'minus') throw problemAt(`'${first.text}' takes exactly two operands, a second one needs parentheses`, next.offset);
    }
  }

  private dottedAttributes(): void {
    while (this.consume('.')) {
      this.skipWs();
      this.subExpressionConstraint();
      this.skipWs();
    }
  }

  /** A refined or dotted expression constraint can only be combined further inside parentheses. */
  private rejectContinuationAfter(what: string): void {
    this.skipWs();
    const offset = this.pos;
    const joiner = this.lookahead(() => this.binaryOperator());
    const found = joiner?.text ?? (this.peek() === ':' ? ':' : undefined);
    if (found) throw problemAt(`'${found}' cannot follow ${what} without parentheses`, offset);
  }

  /** [constraint operator] [memberOf] (focus concept / "(" expression constraint ")") *filter */
  private subExpressionConstraint(): void {
    this.remembered(this.subExpressions, () => {
      if (this.constraintOperator()) this.skipWs();
      if (this.memberOf()) this.skipWs();
      this.focusConcept();
      this.filterConstraints();
    });
  }

  private constraintOperator(): boolean {
    return CONSTRAINT_SYMBOLS.some((symbol) => this.consume(symbol)) || CONSTRAINT_WORDS.some((word) => this.keyword(word));
  }

  /** "^" or memberOf, with an optional list of refset fields in square brackets. */
  private memberOf(): boolean {
    if (!this.consume('^') && !this.keyword('memberOf', '[')) return false;
    const start = this.pos;
    this.skipWs();
    if (this.peek() === '[') this.refsetFields();
    else this.pos = start;
    return true;
  }

  private refsetFields(): void {
    this.pos++;
    this.skipWs();
    if (!this.consume('*')) this.commaSeparated(() => this.expectMatch(REFSET_FIELD_NAME, 'a refset field name'));
    this.skipWs();
    this.expect(']');
  }

  /** A concept id with an optional |term|, a wildcard, an alternate identifier or a bracketed expression constraint. */
  private focusConcept(): void {
    const next = this.peek();
    if (next === '(') this.parenthesized(() => this.expressionConstraint());
    else if (next === '*') this.pos++;
    else if (next !== undefined && next >= '0' && next <= '9') this.conceptReference();
    else if (!this.matchAt(ANY_WILDCARD) && !this.alternateIdentifier()) throw this.expected("a concept id, '*' or '('");
  }

  private conceptReference(): void {
    this.conceptId();
    this.optionalTerm();
  }

  /** scheme#code or "scheme#code", with an optional |term|. */
  private alternateIdentifier(): boolean {
    if (!this.matchAt(ALTERNATE_IDENTIFIER) && !this.matchAt(QUOTED_ALTERNATE_IDENTIFIER)) return false;
    this.optionalTerm();
    return true;
  }

  /** An SCTID: 6 to 18 digits, the first not 0. */
  private conceptId(): void {
    const offset = this.pos;
    const digits = this.matchAt(DIGITS) ?? '';
    if (digits.length < 6 || digits.length > 18 || digits.startsWith('0')) {
      throw problemAt(`'${digits}' is not a concept id (6 to 18 digits, not starting with 0)`, offset);
    }
  }

  /** "|" term "|" after a concept id: any text without '|', not blank. */
  private optionalTerm(): void {
    const start = this.pos;
    this.skipWs();
    if (this.peek() !== '|') {
      this.pos = start;
      return;
    }
    const close = this.text.indexOf('|', this.pos + 1);
    if (close < 0) throw problemAt("term not closed by '|'", this.pos);
    if (this.text.slice(this.pos + 1, close).trim() === '') throw problemAt('empty term', this.pos);
    this.pos = close + 1;
  }

  // --- filters and history supplements ---

  private filterConstraints(): void {
    for (;;) {
      const start = this.pos;
      this.skipWs();
      if (!this.text.startsWith('{{', this.pos)) {
        this.pos = start;
        return;
      }
      this.balancedFilter();
    }
  }

  /** "{{" ... "}}" with balanced braces inside; quoted strings and comments may hold anything. */
  private balancedFilter(): void {
    const open = this.pos;
    this.pos += 2;
    let depth = 0;
    let empty = true;
    for (;;) {
      if (this.skipWs()) continue;
      const next = this.peek();
      if (next === undefined) throw problemAt("'{{' not closed by '}}'", open);
      if (next === '}' && depth === 0) break;
      empty = false;
      if (next === '"') this.skipFilterString();
      else {
        if (next === '{') depth++;
        if (next === '}') depth--;
        this.pos++;
      }
    }
    if (!this.text.startsWith('}}', this.pos)) throw problemAt("unbalanced '}' in a filter", this.pos);
    if (empty) throw problemAt('empty filter', open);
    this.pos += 2;
  }

  private skipFilterString(): void {
    const open = this.pos;
    for (this.pos++; !this.atEnd(); this.pos++) {
      const next = this.peek();
      if (next === '\\') this.pos++;
      else if (next === '"') {
        this.pos++;
        return;
      }
    }
    throw problemAt("string not closed by '\"'", open);
  }

  // --- refinements ---

  /**
   * Refinement parts joined by AND/','/OR; returns why it could not be an attribute set, if it
   * could not. Per the grammar the parts of a refinement are joined by one operator, and each part
   * may itself be an attribute set joined by the other operator (attribute groups may not).
   */
  private refinement(): EclSyntaxError | undefined {
    const parts = [this.refinementPart()];
    const joiners: Joiner[] = [];
    for (;;) {
      const start = this.pos;
      this.skipWs();
      const joiner = this.refinementJoiner();
      if (!joiner) {
        this.pos = start;
        break;
      }
      joiners.push(joiner);
      this.skipWs();
      parts.push(this.refinementPart());
    }
    const mixing = mixedJoinProblem(parts, joiners);
    if (mixing) throw mixing;
    return attributeSetProblem(parts, joiners);
  }

  private refinementJoiner(): Joiner | undefined {
    const start = this.pos;
    const joiner = this.binaryOperator();
    if (joiner?.kind !== 'minus') return joiner;
    this.pos = start;
    return undefined;
  }

  /** A bracketed refinement, an attribute group or an attribute (whose name may be bracketed too). */
  private refinementPart(): RefinementPart {
    return this.remembered(this.refinementParts, () => {
      if (this.atEnd()) throw this.expected('an attribute');
      if (this.peek() === '(') return this.firstOf(() => this.bracketedRefinement(), () => this.groupOrAttribute());
      return this.groupOrAttribute();
    });
  }

  private bracketedRefinement(): RefinementPart {
    return { notInAttributeSet: this.parenthesized(() => this.refinement()) };
  }

  /** [cardinality] followed by "{" attribute set "}" or by an attribute. */
  private groupOrAttribute(): RefinementPart {
    const offset = this.pos;
    if (this.peek() === '[') {
      this.cardinality();
      this.skipWs();
    }
    if (this.peek() !== '{') {
      this.attribute();
      return {};
    }
    this.attributeGroup();
    return { notInAttributeSet: problemAt('an attribute group cannot contain another attribute group', offset) };
  }

  private attributeGroup(): void {
    this.nested(() => {
      this.pos++;
      this.skipWs();
      const problem = this.refinement();
      if (problem) throw problem;
      this.skipWs();
      this.expect('}');
    });
  }

  /** "[" min ".." max "]" where max is a number or '*'. */
  private cardinality(): void {
    this.pos++;
    this.skipWs();
    this.expectMatch(NON_NEGATIVE_INTEGER, 'a number');
    this.skipWs();
    if (!this.consume('..') && !this.keyword('to')) throw this.expected("'..'");
    this.skipWs();
    if (!this.consume('*') && !this.matchAt(MANY) && !this.matchAt(NON_NEGATIVE_INTEGER)) throw this.expected("a number or '*'");
    this.skipWs();
    this.expect(']');
  }

  /** [R] attribute name, comparison operator, value. */
  private attribute(): void {
    if (this.reverseFlag()) this.skipWs();
    this.subExpressionConstraint();
    this.skipWs();
    const comparison = this.comparisonOperator();
    if (!comparison) throw this.expected("a comparison operator ('=', '!=', '<', '<=', '>' or '>=')");
    this.skipWs();
    if (comparison === 'ordering') this.numericValue();
    else this.attributeValue();
  }

  /** "R" (unless it starts an alternate identifier) or reverseOf. */
  private reverseFlag(): boolean {
    if (this.keyword('reverseOf')) return true;
    if (this.peek() !== 'R' || this.lookahead(() => this.matchAt(ALTERNATE_IDENTIFIER))) return false;
    this.pos++;
    return true;
  }

  private comparisonOperator(): 'equality' | 'ordering' | undefined {
    if (EQUALITY_SYMBOLS.some((symbol) => this.consume(symbol)) || this.notEquals()) return 'equality';
    if (ORDERING_SYMBOLS.some((symbol) => this.consume(symbol))) return 'ordering';
    return undefined;
  }

  /** The long syntax's NOT =. */
  private notEquals(): boolean {
    const start = this.pos;
    if (this.matchAt(NOT_WORD)) {
      this.skipWs();
      if (this.consume('=')) return true;
    }
    this.pos = start;
    return false;
  }

  /** After = or !=: a number, a search term (or a bracketed set of them), a boolean, or a sub expression constraint. */
  private attributeValue(): void {
    const next = this.peek();
    if (next === '#') this.numericValue();
    else if (next === '(') this.firstOf(() => this.subExpressionConstraint(), () => this.typedSearchTermSet());
    else if (this.startsSearchTerm()) this.typedSearchTerm();
    else if (!this.matchAt(BOOLEAN_VALUE)) this.subExpressionConstraint();
  }

  private numericValue(): void {
    if (!this.consume('#')) throw this.expected("'#' and a number");
    this.expectMatch(NUMERIC_VALUE, 'a number');
  }

  /** A quoted string that is not a quoted alternate identifier, or match: / wild: before one. */
  private startsSearchTerm(): boolean {
    if (this.peek() === '"') return !this.lookahead(() => this.matchAt(QUOTED_ALTERNATE_IDENTIFIER));
    return this.lookahead(() => this.searchType()) !== undefined;
  }

  /** [match: / wild:] "quoted text" */
  private typedSearchTerm(): void {
    const type = this.searchType();
    if (type) this.skipWs();
    this.quotedSearchTerm(type === 'wild');
  }

  /** match or wild followed by ':', consumed; nothing consumed otherwise. */
  private searchType(): 'match' | 'wild' | undefined {
    const start = this.pos;
    const word = this.matchAt(SEARCH_TYPE)?.toLowerCase();
    if (word) {
      this.skipWs();
      if (this.consume(':')) return word === 'wild' ? 'wild' : 'match';
    }
    this.pos = start;
    return undefined;
  }

  /** A non-empty quoted string where '\' escapes '"' and '\' (and '*' in a wild search term). */
  private quotedSearchTerm(wild: boolean): void {
    const open = this.pos;
    if (!this.consume('"')) throw this.expected('a quoted search term');
    let content = '';
    for (;;) {
      const next = this.peek();
      if (next === undefined) throw problemAt("string not closed by '\"'", open);
      this.pos++;
      if (next === '"') break;
      if (next === '\\') content += this.escapedCharacter(wild);
      else content += next;
    }
    if (wild ? content === '' : content.trim() === '') throw problemAt('empty search term', open);
  }

  private escapedCharacter(wild: boolean): string {
    const escaped = this.peek();
    if (escaped !== '"' && escaped !== '\\' && !(wild && escaped === '*')) {
      throw problemAt(`'\\' must be followed by '"' or '\\'${wild ? " or '*'" : ''}`, this.pos - 1);
    }
    this.pos++;
    return escaped;
  }

  /** "(" search term *(whitespace search term) ")" */
  private typedSearchTermSet(): void {
    this.pos++;
    this.skipWs();
    this.typedSearchTerm();
    for (;;) {
      const spaced = this.skipWs();
      if (this.consume(')')) return;
      if (!spaced) throw this.expected("a space or ')'");
      this.typedSearchTerm();
    }
  }

  // --- operators ---

  /** AND or ',', OR, MINUS; a word needs white space or '(' after it. */
  private binaryOperator(): Joiner | undefined {
    const offset = this.pos;
    if (this.consume(',')) return { kind: 'and', text: ',', offset };
    for (const kind of ['and', 'or', 'minus'] as const) {
      if (this.keyword(kind)) return { kind, text: this.text.slice(offset, this.pos), offset };
    }
    return undefined;
  }

}

/**
 * A refinement's parts are joined by one operator (the outer one); the other operator may only
 * join parts that can stand in an attribute set. Either operator may be the outer one.
 */
function mixedJoinProblem(parts: RefinementPart[], joiners: Joiner[]): EclSyntaxError | undefined {
  const problems = (['and', 'or'] as const).map((outer) => innerJoinProblem(parts, joiners, outer));
  if (problems.some((problem) => problem === undefined)) return undefined;
  return problems.reduce((furthest, problem) => (problem && furthest && problem.offset > furthest.offset ? problem : furthest));
}

function innerJoinProblem(parts: RefinementPart[], joiners: Joiner[], outer: JoinKind): EclSyntaxError | undefined {
  const index = joiners.findIndex((joiner, i) => joiner.kind !== outer && (parts[i].notInAttributeSet || parts[i + 1].notInAttributeSet));
  if (index < 0) return undefined;
  const inner = joiners[index];
  const outerText = joiners.find((joiner) => joiner.kind === outer)?.text ?? outer.toUpperCase();
  return problemAt(`'${inner.text}' cannot be mixed with '${outerText}' here without parentheses`, inner.offset);
}

/** Why the parts cannot form an attribute set (one operator throughout, no attribute groups), if they cannot. */
function attributeSetProblem(parts: RefinementPart[], joiners: Joiner[]): EclSyntaxError | undefined {
  for (let i = 0; i < parts.length; i++) {
    if (parts[i].notInAttributeSet) return parts[i].notInAttributeSet;
    const joiner = joiners[i];
    if (joiner && joiner.kind !== joiners[0].kind) {
      return problemAt(`'${joiner.text}' cannot follow '${joiners[0].text}' in an attribute group without parentheses`, joiner.offset);
    }
  }
  return undefined;
}
