/**
 * XML Schema regular expressions translated to JavaScript (table-driven): the pattern of every
 * primitive type of the core package with values it must accept and refuse (text in several
 * scripts and with every kind of Unicode space among them), the semantics of the language
 * (\s, \S, \d, \w, \i, \c, '.', ^ and $, anchoring, subtraction), and expressions that are not
 * XML Schema regular expressions.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadCoreModel, xsdRegExp, type FhirModel } from '../../src/model/index.js';

let model: FhirModel;
before(async () => { model = await loadCoreModel(); });

/** Names and text in several scripts, with the spaces XML Schema's \S counts as text. */
const TEXTS = [
  '山田\u3000太郎', // Japanese, ideographic space U+3000
  '李小龍', ' 김민준', 'محمد عبد الله', 'דוד כהן', 'Иван Петров', 'Γιώργος Παπαδόπουλος', 'देवनागरी नाम', 'สมชาย ใจดี', 'አበበ በቀለ',
  'Sean Stover, BS,\u00a0DVM', // no-break space U+00A0 (the R4 example DiagnosticReport-gingival-mass)
  '12\u202f500 mg', // narrow no-break space U+202F
  '5\u2009mm', // thin space U+2009
  '\ufeffbyte order mark', // U+FEFF
  'line\u2028separator', 'emoji 🩺 𝔘𝔫𝔦𝔠𝔬𝔡𝔢', 'two\nlines\r\n\tand a tab',
];

/** type -> [values that match, values that do not]. Every primitive type of the core package with a pattern is here. */
const PRIMITIVES: Record<string, [string[], string[]]> = {
  string: [[...TEXTS, ' ', 'x'], ['']],
  markdown: [[...TEXTS, '# Heading\n\n* item'], ['']],
  code: [['male', 'a b', 'a\tb', 'a\u00a0b', '山田\u3000太郎', 'ÄÖÜ', 'code\u202fwith', 'a\u00a0', '\u3000'], ['', ' male', 'male ', 'a  b', 'a\t b', '\n']],
  id: [['abc-123.X', 'a'.repeat(64)], ['', 'a'.repeat(65), 'a b', 'a_b', 'ä', '１２']],
  uri: [['http://example.org/a', '', 'urn:uuid:0b7c1a4e-0000-4000-8000-000000000001', 'http://例え.jp/パス', 'a\u00a0b', 'a\u3000b'], ['a b', 'a\tb', 'a\nb']],
  url: [['https://例え.jp/', 'http://x\u2009y'], ['http://x y']],
  canonical: [['http://hl7.org/fhir/StructureDefinition/Patient|4.0.1', '#local'], ['http://a b']],
  oid: [['urn:oid:1.2.840.10008', 'urn:oid:2.16.0'], ['urn:oid:3.1', 'urn:oid:1.02', 'urn:oid:1', 'urn:oid:١.٢']],
  uuid: [['urn:uuid:c757873d-ec9a-4326-a141-556f43239520'], ['urn:uuid:C757873D-EC9A-4326-A141-556F43239520', 'c757873d-ec9a-4326-a141-556f43239520']],
  boolean: [['true', 'false'], ['True', '1', '']],
  integer: [['0', '-12', '2147483647'], ['01', '+1', '1.0', '١٢', '１２', '']],
  unsignedInt: [['0', '42'], ['-1', '01', '٤٢']],
  positiveInt: [['1', '42'], ['0', '-1', '٤٢']],
  decimal: [['0', '-1.50', '1e10', '6.02E+23'], ['.5', '1.', '01', '١٫٥', '1.٥']],
  base64Binary: [['AAAA', 'aGVsbG8gd29ybGQ=', 'AAAA BBBB', 'AAAA\nBBBB'], ['AAA', 'AAAA\u00a0BBBB', 'AAAA\u3000BBBB']],
  date: [['2024', '2024-02', '2024-02-29'], ['24', '2024-13', '2024-02-30x', '２０２４']],
  dateTime: [['2024', '2024-02-29T10:00:00Z', '2024-02-29T10:00:00.123+14:00'], ['2024-02-29T10:00', '2024-02-29T10:00:00', '2024-02-29T10:00:00+14:30']],
  instant: [['2024-02-29T10:00:00Z', '2024-02-29T23:59:60.5-05:00'], ['2024-02-29', '2024-02-29T10:00:00']],
  time: [['10:00:00', '23:59:60.25'], ['24:00:00', '10:00', '１０:００:００']],
};

describe('the patterns of the core primitive types', () => {
  it('are all in the table', () => {
    const patterned = [...model.canonical.all<any>('StructureDefinition')]
      .filter((definition) => definition.kind === 'primitive-type' && model.getType(definition.type)?.primitive?.pattern)
      .map((definition) => definition.type).sort();
    assert.deepEqual(patterned, Object.keys(PRIMITIVES).sort());
  });

  for (const [type, [valid, invalid]] of Object.entries(PRIMITIVES)) {
    it(`of ${type} accept and refuse the values of the table`, () => {
      const pattern = model.getType(type)?.primitive?.pattern;
      assert.ok(pattern, `${type} has a pattern`);
      for (const value of valid) assert.ok(pattern.test(value), `${type} accepts ${JSON.stringify(value)}`);
      for (const value of invalid) assert.ok(!pattern.test(value), `${type} refuses ${JSON.stringify(value)}`);
    });
  }
});

/** expression -> [strings that match as a whole, strings that do not]. */
const SEMANTICS: [string, string[], string[]][] = [
  ['\\s', [' ', '\t', '\n', '\r'], ['\u00a0', '\u3000', '\u2009', '\u202f', '\ufeff', '\u000b', '\u000c', '\u2028', 'a']],
  ['\\S', ['\u00a0', '\u3000', '\u2009', '\u202f', '\ufeff', '\u000b', 'a', '🩺'], [' ', '\t', '\n', '\r', '']],
  ['\\d+', ['0123456789', '٠١٢', '०१२', '０１２', '𝟎𝟏'], ['a', '½', '²']],
  ['\\D', ['a', '½'], ['7', '٧']],
  ['\\w+', ['abc', 'Ünïcödé', '山田', 'x1', '½'], ['a b', 'a-b', 'a_b', 'a.b', 'a\u00a0b']],
  ['\\W', ['-', ' ', '\u3000', '_'], ['a', '山']],
  ['\\i\\c*', ['_name', 'a-b.c', 'xml:lang', 'Ünï'], ['1abc', '-a', '.a']],
  ['[\\I]', ['1', '-'], ['a', '_']],
  ['\\C', [' ', '('], ['a', '-', '1']],
  ['.', ['a', '\u2028', '\u2029', '\u0085', '🩺', '\t'], ['\n', '\r', '', 'ab']],
  ['a.c', ['abc', 'a\u2028c'], ['a\nc']],
  ['^a$', ['^a$'], ['a']],
  ['a|b', ['a', 'b'], ['ab', '']],
  ['ab|', ['ab', ''], ['a']],
  ['(ab)+', ['ab', 'abab'], ['aba', '']],
  ['a{2,3}', ['aa', 'aaa'], ['a', 'aaaa']],
  ['a{2}', ['aa'], ['aaa']],
  ['a{2,}', ['aa', 'aaaaa'], ['a']],
  ['[a-z-[aeiou]]+', ['bcd', 'xyz'], ['bad', 'B']],
  ['[\\w-[\\d]]+', ['abc', '山'], ['a1', 'a٣']],
  ['[^\\s\\d]+', ['abc', '\u3000'], ['a b', 'a1', 'a٣']],
  ['[^a-[b]]', ['c'], ['a', 'b']],
  ['[ \\t\\S]', ['x', ' ', '\t', '\u3000'], ['\n', '\r']],
  ['[\\n\\S]', ['x', '\n'], [' ', '\t', '\r']],
  ['[a-z\\s\\S]', ['x', ' ', '\n', '\u00a0'], ['']],
  ['[\\S\\d]', ['1', 'x'], [' ']],
  ['[+-]?1', ['1', '+1', '-1'], ['*1']],
  ['[-a]+', ['-a-'], ['b']],
  ['[\\-\\[\\]\\^\\\\]+', ['-[]^\\'], ['a']],
  ['\\p{Lu}\\p{Ll}+', ['Ωmega', 'Élan'], ['omega', 'ΩMEGA']],
  ['\\P{L}+', ['123 !'], ['a']],
  ['[\\p{Nd}\\p{Zs}]+', ['1 2\u3000٣'], ['a']],
  ['\\.\\?\\*\\+\\(\\)\\{\\}\\|\\n\\r\\t', ['.?*+(){}|\n\r\t'], ['x']],
  ['/$/', ['/$/'], ['//']],
];

describe('XML Schema regular expressions', () => {
  for (const [expression, matching, other] of SEMANTICS) {
    it(`${JSON.stringify(expression)} matches as XML Schema says`, () => {
      const pattern = xsdRegExp(expression);
      for (const value of matching) assert.ok(pattern.test(value), `${expression} matches ${JSON.stringify(value)}`);
      for (const value of other) assert.ok(!pattern.test(value), `${expression} does not match ${JSON.stringify(value)}`);
    });
  }

  it('knows every general category XML Schema names, in and out of classes', () => {
    const categories = 'L Lu Ll Lt Lm Lo M Mn Mc Me N Nd Nl No P Pc Pd Ps Pe Pi Pf Po Z Zs Zl Zp S Sm Sc Sk So C Cc Cf Co Cn'.split(' ');
    for (const category of categories) assert.ok(xsdRegExp(`\\p{${category}}|[\\P{${category}}]`) instanceof RegExp, category);
    assert.ok(xsdRegExp('\\p{Sc}').test('€') && xsdRegExp('\\p{Pi}').test('«') && xsdRegExp('\\p{Zs}').test('\u3000'));
  });

  const invalid = ['(?:a)', 'a**', '*a', '(a', 'a)', '[a', '[]', '[z-a]', '[a-\\d]', '\\1', '\\x41', '\\u0041', 'a{2', 'a{3,2}', '{1}',
    '\\p{Greek}', '\\p{IsBasicLatin}', '[a[b]]', '[a-c-e]', 'a]', '\\'];
  for (const expression of invalid) {
    it(`${JSON.stringify(expression)} is refused`, () => {
      assert.throws(() => xsdRegExp(expression), SyntaxError);
    });
  }
});
