/**
 * SNOMED CT Expression Constraint Language syntax (table-driven): expressions of the kinds the ECL
 * specification gives as examples must pass; malformed ones must fail with a message that names
 * the problem and its character offset.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eclSyntaxProblem } from '../../src/validation/terminology/ecl-syntax.js';

const valid: [string, string][] = [
  ['a concept with its term (self)', '404684003 |Clinical finding|'],
  ['descendantOf', '< 404684003 |Clinical finding|'],
  ['descendantOrSelfOf without spaces', '<<73211009|Diabetes mellitus|'],
  ['childOf and childOrSelfOf', '<! 404684003 OR <<! 404684003'],
  ['ancestorOf and ancestorOrSelfOf', '> 40541001 |Acute pulmonary edema| AND >> 40541001'],
  ['parentOf and parentOrSelfOf', '>! 40541001 OR >>! 40541001'],
  ['top of a dotted expression', '!!> ( < 386617003 |Digestive system finding| . 363698007 |Finding site| )'],
  ['bottom of a conjunction', '!!< ( >> 427089005 |Diabetes mellitus due to cystic fibrosis| AND ^ 816080008 |International Patient Summary| )'],
  ['constraint operators as words, in any case', 'descendantOrSelfOf 73211009 OR CHILDOF 404684003 OR ancestorOf(40541001)'],
  ['the wildcard', '*'],
  ['memberOf', '^ 700043003 |Example problem list concepts reference set|'],
  ['memberOf with refset fields', '^ [referencedComponentId, mapTarget] 447562003 |ICD-10 complex map reference set|'],
  ['memberOf of a bracketed expression', '^ ( << 700043003 )'],
  ['an attribute', '< 19829001 |Disorder of lung|: 116676008 |Associated morphology| = << 79654002 |Edema|'],
  ['a wildcard focus and attribute name', '* : * = 387517004 |Paracetamol|'],
  ['an attribute group and attribute cardinalities',
    '< 373873005 |Pharmaceutical / biologic product| : [1..3] { [1..*] 127489000 |Has active ingredient| = < 105590001 |Substance| }'],
  ['a cardinality of none', '< 404684003 |Clinical finding| : [0..0] 363698007 |Finding site| = *'],
  ['attribute groups joined by OR', `< 404684003 |clinical finding|:
    { 363698007 |finding site| = << 39057004 |pulmonary valve structure|,
      116676008 |associated morphology| = << 415582006 |stenosis|} OR
    { 363698007 |finding site| = << 53085002 |right ventricular structure|,
      116676008 |associated morphology| = << 56246009 |hypertrophy|}`],
  ['the reverse flag', '< 105590001 |Substance|: R 127489000 |Has active ingredient| = 111115 |TRIPHASIL tablet|'],
  ['a cardinality on a reversed attribute', '< 105590001 |Substance| : [3..3] R 127489000 |Has active ingredient| = *'],
  ['dotted attributes', '< 19829001 |Disorder of lung| . 363698007 |Finding site| . < 272673000 |Bone structure|'],
  ['a dotted bracketed expression', '(< 19829001 OR < 301867009) . 363698007 |Finding site|'],
  ['a conjunction with a comma', '< 19829001 |Disorder of lung|, < 301867009 |Edema of trunk|'],
  ['compound expressions nested in parentheses', '(< 19829001 OR < 301867009) AND (^ 700043003 MINUS 40541001)'],
  ['an exclusion of an exclusion', '< 19829001 MINUS (< 301867009 MINUS < 64572001)'],
  ['a refined bracketed expression refined again', '(< 404684003 : 363698007 = *) : 116676008 = *'],
  ['an attribute value that is a bracketed disjunction', '<< 404684003 : 363698007 = (<< 39057004 OR << 53085002)'],
  ['a nested refinement as an attribute value', `< 404684003 |Clinical finding| :
    47429007 |Associated with| =
        ( < 404684003 |Clinical finding| : 116676008 |Associated morphology| = << 55641003 |Infarct| )`],
  ['an attribute name that is a bracketed expression', '< 404684003 : (<< 47429007 OR << 255234002) = << 55641003'],
  ['a bracketed refinement', '< 404684003 : (363698007 = << 39057004 OR 116676008 = << 415582006)'],
  ['concrete values: numbers, strings and booleans',
    '< 373873005 : 1142135004 >= #250, 732945000 = 258684004 |milligram|, 999000031000168102 = "PANADOL", 859999999102 = TRUE, 1142135004 != #-0.5'],
  ['typed search terms as string values', '< 404684003 : 363698007 = match:"heart", 116676008 = ("a" wild:"b\\*")'],
  ['a description filter', '< 64572001 |Disease| {{ term = "heart att" }}'],
  ['description and concept filters', '<< 73211009 {{ D term = wild:"*diab*", language = en }} {{ C active = true }}'],
  ['a member filter', '^ 447562003 |ICD-10 complex map reference set| {{ M mapGroup = #2, mapPriority = #1, mapTarget = "J45.9" }}'],
  ['a history supplement with a nested filter', '<< 195967001 |Asthma| {{ + HISTORY (<< 900000000000527005 {{ c active = 1 }}) }}'],
  ['braces inside a quoted filter string', '< 64572001 {{ term = "a}}b{" }}'],
  ['comments', `/* Disorders of lung with edema */
< 19829001 |Disorder of lung| : /* Descendants of disorder of lung */
    116676008 |Associated morphology| = << 79654002 |Edema|
    /* Where the associated morphology is edema or a subtype */`],
  ['long syntax keywords', 'descendantOf 19829001 : reverseOf 127489000 NOT = 111115, [1 to many] 116676008 <> any'],
  ['an alternate identifier', 'LOINC#54486-6 |Water [Moles/volume] in Serum or Plasma|'],
  // The grammar lets a refinement's parts be joined by one operator and each part be an attribute set joined by the other.
  ['a refinement whose attribute set joins with the other operator', '< 404684003 : 363698007 = * AND 116676008 = * OR 42752001 = *'],
];

const invalid: [string, string, string][] = [
  ['two focus concepts in a row', '234234 << 234234', "unexpected '<<' at 7"],
  ['an empty text', '', 'empty expression constraint at 0'],
  ['only a comment', ' /* nothing */ ', 'empty expression constraint at 0'],
  ['an operator without a concept', '<<', "expected a concept id, '*' or '(' at 2, found end of text"],
  ['two constraint operators', '<< << 19829001', "expected a concept id, '*' or '(' at 3, found '<<'"],
  ['a conjunction without its second operand', '< 1234567 AND', "expected a concept id, '*' or '(' at 13, found end of text"],
  ['AND and OR mixed without parentheses', '< 19829001 AND < 301867009 OR < 64572001', "'OR' cannot follow 'AND' without parentheses at 27"],
  ['MINUS chained', '< 19829001 MINUS < 301867009 MINUS < 64572001', "'MINUS' takes exactly two operands, a second one needs parentheses at 29"],
  ['MINUS then AND', '< 19829001 MINUS < 301867009 AND < 64572001', "'AND' cannot follow 'MINUS' without parentheses at 29"],
  ['a keyword without a space after it', '< 19829001 AND< 301867009', "'AND' needs a space or '(' after it at 11"],
  ['an unknown word between concepts', '19829001 ANDY 301867009', "unexpected 'ANDY' at 9"],
  ['an unclosed parenthesis', '(< 19829001 OR < 301867009', "expected ')' at 26, found end of text"],
  ['an extra closing parenthesis', '< 19829001)', "unexpected ')' at 10"],
  ['an unclosed term', '< 19829001 |Disorder of lung', "term not closed by '|' at 11"],
  ['an empty term', '< 19829001 ||', 'empty term at 11'],
  ['a 3-digit concept id', '< 123', "'123' is not a concept id (6 to 18 digits, not starting with 0) at 2"],
  ['a concept id with a leading zero', '< 0123456', "'0123456' is not a concept id (6 to 18 digits, not starting with 0) at 2"],
  ['a cardinality without a maximum', '< 373873005 : [1..] 127489000 = *', "expected a number or '*' at 18, found ']'"],
  ['a trailing colon', '< 19829001 :', 'expected an attribute at 12, found end of text'],
  ['an attribute without a value', '< 19829001 : 116676008', "expected a comparison operator ('=', '!=', '<', '<=', '>' or '>=') at 22, found end of text"],
  ['an unbracketed disjunction as an attribute value', '< 19829001 : 116676008 = << 79654002 OR << 4147007',
    "expected a comparison operator ('=', '!=', '<', '<=', '>' or '>=') at 50, found end of text"],
  ['AND and OR mixed inside an attribute group', '< 19829001 : { 116676008 = * OR 363698007 = * AND 42752001 = * }',
    "'AND' cannot follow 'OR' in an attribute group without parentheses at 46"],
  ['attribute groups joined by AND and OR', '< 19829001 : { 116676008 = * } AND { 363698007 = * } OR { 42752001 = * }',
    "'OR' cannot be mixed with 'AND' here without parentheses at 53"],
  ['an attribute group inside another', '< 19829001 : { { 116676008 = * } }', 'an attribute group cannot contain another attribute group at 15'],
  ['dotted attributes combined without parentheses', '< 19829001 . 363698007 AND < 1234567', "'AND' cannot follow dotted attributes without parentheses at 23"],
  ['a second refinement without parentheses', '< 19829001 : 116676008 = 79654002 : 363698007 = *', "':' cannot follow a refinement without parentheses at 34"],
  ['a numeric comparison without #', '< 373873005 : 1142135004 >= 250', "expected '#' and a number at 28, found '250'"],
  ['a number with a leading zero', '< 373873005 : 1142135004 = #05', "unexpected '5' at 29"],
  ['an unclosed string value', '< 373873005 : 1142135004 = "unclosed', `string not closed by '"' at 27`],
  ['an empty string value', '< 373873005 : 1142135004 = ""', 'empty search term at 27'],
  ['an unclosed filter', '< 19829001 {{ term = "x" ', "'{{' not closed by '}}' at 11"],
  ['an empty filter', '< 19829001 {{ }}', 'empty filter at 11'],
  ['an unclosed comment', '< 19829001 /* unclosed', 'comment not closed by */ at 11'],
];

describe('valid ECL', () => {
  for (const [name, ecl] of valid) {
    it(name, () => assert.equal(eclSyntaxProblem(ecl), undefined));
  }
});

describe('invalid ECL', () => {
  for (const [name, ecl, message] of invalid) {
    it(name, () => assert.equal(eclSyntaxProblem(ecl), message));
  }
});

describe('hard inputs', () => {
  it('reads brackets that are either a refinement or an attribute name once per level, not once per reading', () => {
    let refinement = '363698007 = *';
    for (let level = 0; level < 45; level++) refinement = `( ( < 404684003 : ${refinement} ) = 404684003 `;
    // Read once per reading, 45 levels would take 2^45 steps: the answer would never come.
    assert.match(eclSyntaxProblem(`< 404684003 : ${refinement}`) ?? '', /^expected '\)' at \d+/);
  });

  it('refuses brackets nested too deep instead of exhausting the stack', () => {
    assert.equal(eclSyntaxProblem(`${'('.repeat(5000)}404684003${')'.repeat(5000)}`), 'brackets nested more than 100 deep at 100');
    assert.equal(eclSyntaxProblem(`< 404684003 : ${'{ '.repeat(5000)}`), 'brackets nested more than 100 deep at 214');
  });
});
