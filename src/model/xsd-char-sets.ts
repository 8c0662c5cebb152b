/**
 * Sets of characters of XML Schema regular expressions (https://www.w3.org/TR/xmlschema11-2/#regexs)
 * as JavaScript pattern text for the u flag: the multi-character escapes (\s \S \d \D \w \W \i \I
 * \c \C), the wildcard, the category escapes (\p{Lu}, \P{N}), and union, complement and
 * subtraction of sets. Each set compiles to a pattern that matches exactly one code point.
 */

/**
 * A set of code points: `inner` is the content of a JavaScript character class ([inner], or
 * [^inner] when negated); `source` is any pattern matching one code point of the set.
 */
export type CharSet = ClassSet | { kind: 'pattern'; source: string };

/** A set written as one class; `chars` lists its characters when it is a short list of them (\s, one character). */
type ClassSet = { kind: 'class'; inner: string; negated: boolean; chars?: number[] };

const positive = (inner: string): ClassSet => ({ kind: 'class', inner, negated: false });
const negative = (inner: string): ClassSet => ({ kind: 'class', inner, negated: true });

/** XML's NameStartChar (XML 1.0 fifth edition), which XML Schema's \i names. */
const NAME_START = ':A-Z_a-z\\u{C0}-\\u{D6}\\u{D8}-\\u{F6}\\u{F8}-\\u{2FF}\\u{370}-\\u{37D}\\u{37F}-\\u{1FFF}\\u{200C}-\\u{200D}'
  + '\\u{2070}-\\u{218F}\\u{2C00}-\\u{2FEF}\\u{3001}-\\u{D7FF}\\u{F900}-\\u{FDCF}\\u{FDF0}-\\u{FFFD}\\u{10000}-\\u{EFFFF}';
/** XML's NameChar, which XML Schema's \c names. */
const NAME_CHAR = `${NAME_START}\\-.0-9\\u{B7}\\u{300}-\\u{36F}\\u{203F}-\\u{2040}`;

/** XML Schema's \s is space, tab, newline and carriage return only (not U+00A0, U+3000, ...). */
const SPACE = ' \\t\\n\\r';
const SPACE_CHARS = [0x20, 0x09, 0x0a, 0x0d];
/** \w is everything but punctuation, separators and "other" characters. */
const NOT_WORD = '\\p{P}\\p{Z}\\p{C}';

const MULTI_CHAR_ESCAPES: Record<string, CharSet> = {
  s: { ...positive(SPACE), chars: SPACE_CHARS }, S: { ...negative(SPACE), chars: SPACE_CHARS },
  d: positive('\\p{Nd}'), D: positive('\\P{Nd}'),
  w: negative(NOT_WORD), W: positive(NOT_WORD),
  i: positive(NAME_START), I: negative(NAME_START),
  c: positive(NAME_CHAR), C: negative(NAME_CHAR),
};

/** The general categories XML Schema's \p{...} may name. */
const CATEGORIES = new Set([
  'L', 'Lu', 'Ll', 'Lt', 'Lm', 'Lo', 'M', 'Mn', 'Mc', 'Me', 'N', 'Nd', 'Nl', 'No', 'P', 'Pc', 'Pd', 'Ps', 'Pe', 'Pi', 'Pf', 'Po',
  'Z', 'Zs', 'Zl', 'Zp', 'S', 'Sm', 'Sc', 'Sk', 'So', 'C', 'Cc', 'Cf', 'Co', 'Cn',
]);

/** '.': every character but newline and carriage return (JavaScript's '.' also leaves out U+2028 and U+2029). */
export const WILDCARD: CharSet = negative('\\n\\r');

/** The set of \s, \d, \w, \i, \c or their complements, or undefined for another letter. */
export function multiCharEscape(letter: string): CharSet | undefined {
  return Object.hasOwn(MULTI_CHAR_ESCAPES, letter) ? MULTI_CHAR_ESCAPES[letter] : undefined;
}

/** \p{name} or, complemented, \P{name}; undefined when the name is not a general category. */
export function categoryEscape(name: string, complemented: boolean): CharSet | undefined {
  if (!CATEGORIES.has(name)) return undefined;
  return positive(`\\${complemented ? 'P' : 'p'}{${name}}`);
}

function hex(codePoint: number): string {
  return `\\u{${codePoint.toString(16).toUpperCase()}}`;
}

const unprintable = (codePoint: number): boolean => codePoint < 0x20 || (codePoint >= 0x7f && codePoint <= 0x9f) || codePoint === 0x2028 || codePoint === 0x2029;

/** A character as pattern text outside a class. */
export function literal(codePoint: number): string {
  const char = String.fromCodePoint(codePoint);
  if ('^$\\.*+?()[]{}|/'.includes(char)) return `\\${char}`;
  return unprintable(codePoint) ? hex(codePoint) : char;
}

/** A character as text inside a class. */
function classLiteral(codePoint: number): string {
  const char = String.fromCodePoint(codePoint);
  if ('\\]-[^'.includes(char)) return `\\${char}`;
  return unprintable(codePoint) ? hex(codePoint) : char;
}

/** The characters from `first` to `last`. */
export function range(first: number, last: number): ClassSet {
  return positive(first === last ? classLiteral(first) : `${classLiteral(first)}-${classLiteral(last)}`);
}

/** One character as a set. */
export function single(codePoint: number): CharSet {
  return { ...range(codePoint, codePoint), chars: [codePoint] };
}

/** A pattern matching one code point of the set. */
export function setSource(set: CharSet): string {
  if (set.kind === 'pattern') return `(?:${set.source})`;
  return `[${set.negated ? '^' : ''}${set.inner}]`;
}

/**
 * Every character in any of the sets. A listed complement (\S) joined with plain members is one
 * negated class of the listed characters the members do not take back ([ \t\S] is [^\n\r]), so
 * the string pattern [ \r\n\t\S]+ stays one class, not an alternation per character.
 */
export function unionOf(sets: CharSet[]): CharSet {
  const inner = sets.filter((set) => set.kind === 'class' && !set.negated).map((set) => (set as { inner: string }).inner).join('');
  const others = sets.filter((set) => set.kind === 'pattern' || set.negated);
  if (others.length === 0) return positive(inner);
  if (others.length === 1 && inner === '') return others[0];
  const [only] = others;
  if (others.length === 1 && only.kind === 'class' && only.chars) {
    const members = new RegExp(`^[${inner}]$`, 'u');
    const left = only.chars.filter((char) => !members.test(String.fromCodePoint(char)));
    return { ...negative(left.map(classLiteral).join('')), chars: left };
  }
  const parts = [...(inner === '' ? [] : [`[${inner}]`]), ...others.map(setSource)];
  return { kind: 'pattern', source: parts.join('|') };
}

/** Every character not in the set. */
export function complementOf(set: CharSet): CharSet {
  if (set.kind === 'class') return { ...set, negated: !set.negated };
  return { kind: 'pattern', source: `(?!${setSource(set)})[^]` };
}

/** The characters of `from` that are not in `removed` (XML Schema's [a-z-[aeiou]]). */
export function difference(from: CharSet, removed: CharSet): CharSet {
  return { kind: 'pattern', source: `(?!${setSource(removed)})${setSource(from)}` };
}
