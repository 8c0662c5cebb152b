/**
 * XML Schema regular expressions (https://www.w3.org/TR/xmlschema11-2/#regexs), the language of
 * the FHIR primitive types' patterns (the regex extension of their value elements), translated once
 * into a JavaScript RegExp with the u flag and the same meaning: the whole value must match (the
 * expression is implicitly anchored), \s is only space, tab, newline and carriage return and \S
 * everything else (a no-break space or an ideographic space is text, not space), \d any decimal
 * digit, \w per Unicode category, '.' anything but newline and carriage return, ^ and $ ordinary
 * characters, groups do not capture, and [a-z-[aeiou]] subtracts. Unicode block escapes
 * (\p{IsBasicLatin}) are not supported and, like any syntax error, throw.
 */
import {
  categoryEscape, complementOf, difference, literal, multiCharEscape, range, setSource, single, unionOf, WILDCARD, type CharSet,
} from './xsd-char-sets.js';

/** What a backslash escape stands for: one character (may end a range) or a set. */
type Escape = { char: number } | { set: CharSet };

const SINGLE_CHAR_ESCAPES: Record<string, number> = { n: 0x0a, r: 0x0d, t: 0x09 };
const ESCAPABLE = '\\|.?*+(){}-[]^';

class XsdRegexParser {
  private pos = 0;

  constructor(private readonly text: string) {}

  /** The whole expression as JavaScript pattern text. */
  translate(): string {
    const source = this.regExp();
    if (this.pos < this.text.length) throw this.error(`unexpected ${this.peek()}`);
    return source;
  }

  private regExp(): string {
    const branches = [this.branch()];
    while (this.peek() === '|') {
      this.pos++;
      branches.push(this.branch());
    }
    return branches.join('|');
  }

  private branch(): string {
    let source = '';
    while (this.pos < this.text.length && this.peek() !== '|' && this.peek() !== ')') source += this.piece();
    return source;
  }

  private piece(): string {
    const atom = this.atom();
    return atom + this.quantifier();
  }

  private atom(): string {
    const char = this.peek();
    if (char === '(') {
      this.pos++;
      const inner = this.regExp();
      this.expect(')');
      return `(?:${inner})`;
    }
    if (char === '[') return setSource(this.classExpression());
    if (char === '.') {
      this.pos++;
      return setSource(WILDCARD);
    }
    if (char === '\\') {
      const escape = this.escape();
      return 'char' in escape ? literal(escape.char) : setSource(escape.set);
    }
    if ('?*+{}]'.includes(char)) throw this.error(`unexpected ${char}`);
    return literal(this.next());
  }

  private quantifier(): string {
    const char = this.peek();
    if (char === '?' || char === '*' || char === '+') {
      this.pos++;
      return char;
    }
    if (char !== '{') return '';
    const match = /^\{(\d+)(,(\d*))?\}/.exec(this.text.slice(this.pos));
    if (!match) throw this.error('a quantifier must be {n}, {n,} or {n,m}');
    if (match[3] && Number(match[3]) < Number(match[1])) throw this.error(`the quantifier ${match[0]} has its bounds reversed`);
    this.pos += match[0].length;
    return match[0];
  }

  /** [group], [^group] or [group-[subtracted]]. */
  private classExpression(): CharSet {
    this.expect('[');
    const negated = this.peek() === '^';
    if (negated) this.pos++;
    const members: CharSet[] = [];
    let subtracted: CharSet | undefined;
    while (this.peek() !== ']') {
      if (this.pos >= this.text.length) throw this.error('a character class is not closed');
      if (this.text.startsWith('-[', this.pos) && members.length > 0) {
        this.pos++;
        subtracted = this.classExpression();
        break;
      }
      members.push(this.classMember(members.length === 0));
    }
    this.expect(']');
    if (members.length === 0) throw this.error('a character class is empty');
    const group = negated ? complementOf(unionOf(members)) : unionOf(members);
    return subtracted ? difference(group, subtracted) : group;
  }

  /** One character, a range a-z, or an escape's set. */
  private classMember(first: boolean): CharSet {
    const start = this.classChar(first);
    if ('set' in start) return start.set;
    if (this.peek() !== '-' || this.text.startsWith('-[', this.pos) || this.text.startsWith('-]', this.pos)) return single(start.char);
    this.pos++;
    const end = this.classChar(false);
    if ('set' in end) throw this.error('a range cannot end in a multi-character escape');
    if (end.char < start.char) throw this.error('a range has its ends reversed');
    return range(start.char, end.char);
  }

  private classChar(first: boolean): Escape {
    const char = this.peek();
    if (char === '\\') return this.escape();
    if (char === '[') throw this.error('[ must be escaped inside a character class');
    const lastInGroup = this.text.startsWith('-]', this.pos) || this.text.startsWith('--[', this.pos);
    if (char === '-' && !first && !lastInGroup) throw this.error('- must be escaped inside a character class, or come first or last');
    return { char: this.next() };
  }

  private escape(): Escape {
    this.expect('\\');
    const letter = this.next();
    const char = String.fromCodePoint(letter);
    if (Object.hasOwn(SINGLE_CHAR_ESCAPES, char)) return { char: SINGLE_CHAR_ESCAPES[char] };
    if (ESCAPABLE.includes(char)) return { char: letter };
    const multi = multiCharEscape(char);
    if (multi) return { set: multi };
    if (char !== 'p' && char !== 'P') throw this.error(`\\${char} is not an escape of XML Schema regular expressions`);
    const match = /^\{([A-Za-z0-9-]+)\}/.exec(this.text.slice(this.pos));
    if (!match) throw this.error(`\\${char} needs a {property}`);
    this.pos += match[0].length;
    const set = categoryEscape(match[1], char === 'P');
    if (!set) throw this.error(`\\${char}{${match[1]}} is not a supported Unicode category (block escapes \\p{Is...} are not supported)`);
    return { set };
  }

  private peek(): string {
    const codePoint = this.text.codePointAt(this.pos);
    return codePoint === undefined ? '' : String.fromCodePoint(codePoint);
  }

  private next(): number {
    const codePoint = this.text.codePointAt(this.pos);
    if (codePoint === undefined) throw this.error('the expression ends too early');
    this.pos += codePoint > 0xffff ? 2 : 1;
    return codePoint;
  }

  private expect(char: string): void {
    if (this.peek() !== char) throw this.error(`expected ${char}`);
    this.pos++;
  }

  private error(problem: string): Error {
    return new SyntaxError(`Invalid XML Schema regular expression ${JSON.stringify(this.text)} at ${this.pos}: ${problem}`);
  }
}

/** The JavaScript pattern text (unanchored, for the u flag) of an XML Schema regular expression. */
export function xsdPatternSource(expression: string): string {
  return new XsdRegexParser(expression).translate();
}

/** A RegExp (u flag) that matches exactly the strings the XML Schema regular expression matches as a whole. */
export function xsdRegExp(expression: string): RegExp {
  return new RegExp(`^(?:${xsdPatternSource(expression)})$`, 'u');
}
