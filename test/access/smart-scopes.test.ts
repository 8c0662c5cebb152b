/**
 * SMART App Launch 2.x scopes (https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html),
 * table-driven: v1 and v2 resource scopes, granular queries, wildcards, the launch and identity
 * scopes, every malformed form refused with access.invalid-scope, and what grantScopes and scopePermits
 * make of parsed scopes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatScope, grantScopes, parseScope, parseScopes, scopePermits,
  type ResourceScope, type ScopeRequest, type SmartScope,
} from '../../src/access/index.js';
import { isFhirError } from '../../src/core/index.js';

const VITALS = 'category=http://terminology.hl7.org/CodeSystem/observation-category|vital-signs';

function resourceView(scope: SmartScope) {
  assert.equal(scope.kind, 'resource');
  if (scope.kind !== 'resource') throw new Error('not a resource scope');
  return {
    context: scope.context, type: scope.resourceType, letters: [...scope.interactions].sort().join(''),
    query: scope.query?.map(([name, value]) => `${name}=${value}`), version: scope.version,
  };
}

/** A sorted letter list, to compare interaction sets. */
const letters = (text: string) => [...text].sort().join('');

describe('parseScope: resource scopes', () => {
  const cases: [string, { context: string; type: string; letters: string; query?: string[]; version: 1 | 2 }][] = [
    ['patient/Observation.rs', { context: 'patient', type: 'Observation', letters: letters('rs'), version: 2 }],
    ['user/*.cruds', { context: 'user', type: '*', letters: letters('cruds'), version: 2 }],
    ['system/Patient.c', { context: 'system', type: 'Patient', letters: 'c', version: 2 }],
    ['patient/*.rs', { context: 'patient', type: '*', letters: letters('rs'), version: 2 }],
    ['user/Encounter.cud', { context: 'user', type: 'Encounter', letters: letters('cud'), version: 2 }],
    ['patient/Observation.read', { context: 'patient', type: 'Observation', letters: letters('rs'), version: 1 }],
    ['user/Observation.write', { context: 'user', type: 'Observation', letters: letters('cud'), version: 1 }],
    ['user/*.*', { context: 'user', type: '*', letters: letters('cruds'), version: 1 }],
    ['system/*.read', { context: 'system', type: '*', letters: letters('rs'), version: 1 }],
    [`patient/Observation.rs?${VITALS}`, { context: 'patient', type: 'Observation', letters: letters('rs'), query: [VITALS], version: 2 }],
    ['user/Observation.s?code=http://loinc.org|1234-5&status=final', {
      context: 'user', type: 'Observation', letters: 's', query: ['code=http://loinc.org|1234-5', 'status=final'], version: 2,
    }],
  ];
  for (const [text, expected] of cases) {
    it(text, () => {
      const scope = parseScope(text);
      assert.deepEqual(resourceView(scope), { ...expected, query: expected.query });
      assert.equal(scope.text, text);
      assert.equal(formatScope(scope), text);
    });
  }

  it('v1 read, write and * are the same interaction sets as v2 rs, cud and cruds', () => {
    const set = (text: string) => [...(parseScope(text) as ResourceScope).interactions].sort();
    assert.deepEqual(set('patient/Observation.read'), set('patient/Observation.rs'));
    assert.deepEqual(set('patient/Observation.write'), set('patient/Observation.cud'));
    assert.deepEqual(set('patient/Observation.*'), set('patient/Observation.cruds'));
  });
});

describe('parseScope: launch and identity scopes', () => {
  for (const name of ['openid', 'fhirUser', 'profile', 'launch', 'launch/patient', 'launch/encounter', 'offline_access', 'online_access']) {
    it(name, () => {
      assert.deepEqual(parseScope(name), { kind: 'named', name, text: name });
      assert.equal(formatScope(parseScope(name)), name);
    });
  }
});

describe('parseScope: malformed scopes are access.invalid-scope', () => {
  const bad = [
    'patient/Observation.sr', 'patient/Observation.rr', 'patient/Observation.crudsc', 'patient/Observation.rsr',
    'doctor/Observation.rs', 'Patient/Observation.rs', '', 'patient/.rs', 'patient/Observation', 'patient/Observation.',
    'patient/Observation.x', 'patient/Observation.rx', 'patient/Observation.reads', 'launch/foo', 'launch/', 'openId',
    'patient/observation.rs', 'patient/Obs-ervation.rs', 'patient/Observation.rs?', 'patient/Observation.rs?category',
    'patient/Observation.rs?category=', 'patient/Observation.rs?=x', 'patient/Observation.rs?a=1&&b=2',
    `patient/Observation.read?${VITALS}`, 'patient/Observation.rs extra', 'patient/Observation.r"s', 'patient/*.toString',
    'patient/Observation.constructor', 'patient/Observation.rs\n', 'user/*.cruds?x=é', 'patient/*/x.rs', 'system',
  ];
  for (const text of bad) {
    it(JSON.stringify(text), () => {
      assert.throws(() => parseScope(text), (error) => {
        assert.ok(isFhirError(error));
        assert.equal(error.code, 'access.invalid-scope');
        assert.equal(error.category, 'invalid');
        assert.ok(error.message.startsWith(`"${text}" is not a valid SMART scope: `), error.message);
        return true;
      });
    });
  }
});

describe('parseScopes', () => {
  it('splits on spaces, drops duplicates and keeps the order', () => {
    const scopes = parseScopes('launch/patient  patient/Observation.rs openid patient/Observation.rs fhirUser ');
    assert.deepEqual(scopes.map((scope) => scope.text), ['launch/patient', 'patient/Observation.rs', 'openid', 'fhirUser']);
  });

  it('is empty for an empty parameter', () => assert.deepEqual(parseScopes(''), []));

  it('refuses the whole list when one scope is malformed', () => {
    assert.throws(() => parseScopes('openid patient/Observation.sr'), { code: 'access.invalid-scope' });
  });
});

describe('grantScopes', () => {
  const grant = (requested: string, allowed: string) => {
    const { granted, refused } = grantScopes(parseScopes(requested), parseScopes(allowed));
    return { granted: granted.map((scope) => scope.text), refused: refused.map((scope) => scope.text) };
  };
  const cases: [string, string, string, string[], string[]][] = [
    ['a wildcard type covers one type', 'user/Observation.rs', 'user/*.cruds', ['user/Observation.rs'], []],
    ['fewer interactions are covered', 'patient/Observation.r', 'patient/*.rs', ['patient/Observation.r'], []],
    ['more interactions are not', 'patient/Observation.rs', 'patient/Observation.r', [], ['patient/Observation.rs']],
    ['v1 against v2', 'patient/Observation.read', 'patient/*.rs', ['patient/Observation.read'], []],
    ['v2 against v1', 'user/Patient.cu', 'user/*.*', ['user/Patient.cu'], []],
    ['another context is not', 'user/Observation.rs', 'patient/*.cruds', [], ['user/Observation.rs']],
    ['another type is not', 'patient/Patient.r', 'patient/Observation.rs', [], ['patient/Patient.r']],
    ['a wildcard is not covered by one type', 'patient/*.r', 'patient/Observation.rs', [], ['patient/*.r']],
    ['granular asked of unrestricted', `patient/Observation.rs?${VITALS}`, 'patient/Observation.rs', [`patient/Observation.rs?${VITALS}`], []],
    ['unrestricted asked of granular', 'patient/Observation.rs', `patient/Observation.rs?${VITALS}`, [], ['patient/Observation.rs']],
    ['the same query in another order', 'user/Observation.r?b=2&a=1', 'user/Observation.rs?a=1&b=2', ['user/Observation.r?b=2&a=1'], []],
    ['another query', 'user/Observation.r?a=2', 'user/Observation.rs?a=1', [], ['user/Observation.r?a=2']],
    ['named scopes when listed', 'openid fhirUser launch/patient offline_access', 'openid fhirUser launch/patient',
      ['openid', 'fhirUser', 'launch/patient'], ['offline_access']],
    ['a named scope does not cover a resource scope', 'patient/Observation.rs', 'launch/patient openid', [], ['patient/Observation.rs']],
    ['nothing allowed', 'openid patient/*.rs', '', [], ['openid', 'patient/*.rs']],
  ];
  for (const [name, requested, allowed, granted, refused] of cases) {
    it(name, () => assert.deepEqual(grant(requested, allowed), { granted, refused }));
  }
});

describe('scopePermits', () => {
  const granted = parseScopes(`launch/patient patient/Observation.rs?${VITALS} patient/Observation.s?category=laboratory user/Patient.r system/*.c patient/Encounter.read`);
  const permits = (request: ScopeRequest) => {
    const result = scopePermits(granted, request);
    return { ...result, queries: result.queries.map((query) => query.map(([name, value]) => `${name}=${value}`).join('&')) };
  };
  const cases: [string, ScopeRequest, { permitted: boolean; unrestricted: boolean; queries: string[] }][] = [
    ['a granular read', { context: 'patient', resourceType: 'Observation', interaction: 'r' }, { permitted: true, unrestricted: false, queries: [VITALS] }],
    ['two granular scopes for search', { context: 'patient', resourceType: 'Observation', interaction: 's' },
      { permitted: true, unrestricted: false, queries: [VITALS, 'category=laboratory'] }],
    ['an interaction not granted', { context: 'patient', resourceType: 'Observation', interaction: 'u' }, { permitted: false, unrestricted: false, queries: [] }],
    ['an unrestricted read', { context: 'user', resourceType: 'Patient', interaction: 'r' }, { permitted: true, unrestricted: true, queries: [''] }],
    ['another context', { context: 'patient', resourceType: 'Patient', interaction: 'r' }, { permitted: false, unrestricted: false, queries: [] }],
    ['any context', { resourceType: 'Patient', interaction: 'r' }, { permitted: true, unrestricted: true, queries: [''] }],
    ['a wildcard type', { context: 'system', resourceType: 'Condition', interaction: 'c' }, { permitted: true, unrestricted: true, queries: [''] }],
    ['v1 read permits search', { context: 'patient', resourceType: 'Encounter', interaction: 's' }, { permitted: true, unrestricted: true, queries: [''] }],
    ['a type not granted', { context: 'patient', resourceType: 'Condition', interaction: 'r' }, { permitted: false, unrestricted: false, queries: [] }],
  ];
  for (const [name, request, expected] of cases) {
    it(name, () => assert.deepEqual(permits(request), expected));
  }

  it('an unrestricted scope beside a granular one makes the permission unrestricted', () => {
    const result = scopePermits(parseScopes(`patient/Observation.rs?${VITALS} patient/*.r`), { resourceType: 'Observation', interaction: 'r' });
    assert.equal(result.unrestricted, true);
    assert.equal(result.queries.length, 2);
  });

  it('the same query twice is listed once', () => {
    const result = scopePermits(parseScopes('user/Observation.r?a=1&b=2 user/Observation.rs?b=2&a=1'), { resourceType: 'Observation', interaction: 'r' });
    assert.equal(result.queries.length, 1);
  });
});
