/**
 * Matcho, table-driven: each case is a pattern, a request object and whether it matches; then the
 * patterns refused when a policy is written (bad regex, unknown operator, operator beside keys).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileMatcho } from '../../src/access/index.js';
import { isFhirError } from '../../src/core/index.js';

const REQUEST = {
  'request-method': 'get',
  uri: '/fhir/Observation',
  params: { 'resource/type': 'Observation', subject: 'Patient/p1', _count: ['10', '20'] },
  user: { id: 'ada', fhirUser: { reference: 'Patient/p1' }, name: { given: ['Ada'] }, note: '  ' },
  roles: ['practitioner', 'nurse'],
  context: { patient: 'p1' },
  scopes: ['patient/Observation.rs'],
  nothing: null,
};

const CASES: { name: string; pattern: unknown; matches: boolean }[] = [
  { name: 'equal string', pattern: { 'request-method': 'get' }, matches: true },
  { name: 'other string', pattern: { 'request-method': 'post' }, matches: false },
  { name: 'nested maps by inclusion', pattern: { params: { 'resource/type': 'Observation' } }, matches: true },
  { name: 'a missing key', pattern: { params: { code: 'x' } }, matches: false },
  { name: 'regex', pattern: { uri: '#^/fhir/(Observation|Patient)$' }, matches: true },
  { name: 'regex that does not match', pattern: { uri: '#^/fhir/Patient' }, matches: false },
  { name: 'regex on a non-string', pattern: { roles: '#nurse' }, matches: false },
  { name: 'present?', pattern: { user: { id: 'present?' } }, matches: true },
  { name: 'present? of a missing key', pattern: { user: { email: 'present?' } }, matches: false },
  { name: 'present? of null', pattern: { nothing: 'present?' }, matches: false },
  { name: 'nil? of a missing key', pattern: { client: 'nil?' }, matches: true },
  { name: 'nil? of null', pattern: { nothing: 'nil?' }, matches: true },
  { name: 'nil? of a value', pattern: { user: 'nil?' }, matches: false },
  { name: 'not-blank? of text', pattern: { user: { id: 'not-blank?' } }, matches: true },
  { name: 'not-blank? of spaces', pattern: { user: { note: 'not-blank?' } }, matches: false },
  { name: '$enum hit', pattern: { 'request-method': { $enum: ['get', 'head'] } }, matches: true },
  { name: '$enum miss', pattern: { 'request-method': { $enum: ['post', 'put'] } }, matches: false },
  { name: '$one-of with one matching pattern', pattern: { '$one-of': [{ 'request-method': 'post' }, { uri: '#Observation' }] }, matches: true },
  { name: '$one-of with none', pattern: { '$one-of': [{ 'request-method': 'post' }, { uri: '#Patient' }] }, matches: false },
  { name: '$contains', pattern: { roles: { $contains: 'nurse' } }, matches: true },
  { name: '$contains with a regex', pattern: { scopes: { $contains: '#^patient/' } }, matches: true },
  { name: '$contains miss', pattern: { roles: { $contains: 'admin' } }, matches: false },
  { name: 'array in order', pattern: { roles: ['practitioner'] }, matches: true },
  { name: 'array out of order', pattern: { roles: ['nurse'] }, matches: false },
  { name: 'array of a repeated param', pattern: { params: { _count: ['10', '20'] } }, matches: true },
  { name: '.path equal', pattern: { params: { subject: '.user.fhirUser.reference' } }, matches: true },
  { name: '.path to the launch patient', pattern: { context: { patient: '.user.fhirUser.reference' } }, matches: false },
  { name: '.path to a missing value', pattern: { params: { subject: '.client.id' } }, matches: false },
  { name: '$contains deep in a map', pattern: { user: { name: { given: { $contains: 'Ada' } } } }, matches: true },
  { name: 'a map against a string', pattern: { uri: { a: 1 } }, matches: false },
  { name: 'the empty map matches any map', pattern: {}, matches: true },
];

describe('matcho patterns', () => {
  for (const { name, pattern, matches } of CASES) {
    it(`${name}: ${matches ? 'matches' : 'does not match'}`, () => {
      assert.equal(compileMatcho(pattern)(REQUEST, REQUEST), matches);
    });
  }
});

const REFUSED: { name: string; pattern: unknown }[] = [
  { name: 'a bad regex', pattern: { uri: '#(unclosed' } },
  { name: 'an unknown operator', pattern: { roles: { $any: ['x'] } } },
  { name: 'an operator beside keys', pattern: { roles: { $enum: ['x'], other: 1 } } },
  { name: '$enum without a list', pattern: { roles: { $enum: 'x' } } },
  { name: 'a bad regex inside $one-of', pattern: { '$one-of': [{ uri: '#[' }] } },
];

describe('matcho patterns refused', () => {
  for (const { name, pattern } of REFUSED) {
    it(name, () => {
      assert.throws(() => compileMatcho(pattern), (error) => isFhirError(error) && error.code === 'access.invalid-policy' && error.category === 'unprocessable');
    });
  }
});
