/**
 * Row rules in search (search/row-condition.ts): the SQL each RowRule kind compiles to, and a
 * search as a caller with rules finds exactly the rows they allow, in the same statements: type,
 * system and compartment search with exact totals and paging, _summary=count, _include,
 * _revinclude and :iterate of a hidden type, chains and _has through a hidden type, _list,
 * $explain. Expected ids are written out from the fixture.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ALL_ROWS, NO_ROWS, type RowRules } from '../../src/core/index.js';
import { createCompileContext } from '../../src/search/compile-context.js';
import { visibleCondition, type SearchContext } from '../../src/search/index.js';
import { ruleCondition } from '../../src/search/row-condition.js';
import { compile } from '../../src/sql/index.js';
import {
  anyOfRules, asCaller, compartment, criteria, everyRule, idsOf, rowsOf, type EngineAnswer,
} from '../support/row-rules.js';
import { startTestFlint, type TestFlint } from '../support/test-server.js';
import { putAll, type TestResource } from './search-cases.js';

let flint: TestFlint;

const patient = (id: string, family: string, organization?: string): TestResource => ({
  resourceType: 'Patient', id, name: [{ family }], ...(organization ? { managingOrganization: { reference: `Organization/${organization}` } } : {}),
});
const observation = (id: string, subject: string, code: string): TestResource => ({
  resourceType: 'Observation', id, status: 'final', code: { coding: [{ system: 'http://loinc.org', code }] }, subject: { reference: `Patient/${subject}` },
});

// p1 has o01..o07 (code a, o07 code b); p2 has o08..o11 (code c); p3 none.
const P1_OBSERVATIONS = ['o01', 'o02', 'o03', 'o04', 'o05', 'o06', 'o07'];
const P2_OBSERVATIONS = ['o08', 'o09', 'o10', 'o11'];
const fixture: TestResource[] = [
  { resourceType: 'Organization', id: 'org1', name: 'Acme' },
  patient('p1', 'Alpha', 'org1'), patient('p2', 'Beta', 'org1'), patient('p3', 'Gamma'),
  ...P1_OBSERVATIONS.map((id) => observation(id, 'p1', id === 'o07' ? 'b' : 'a')),
  ...P2_OBSERVATIONS.map((id) => observation(id, 'p2', 'c')),
  { resourceType: 'List', id: 'list1', status: 'current', mode: 'working', entry: [{ item: { reference: 'Patient/p2' } }] },
];

/** The usual caller: the observations of p1 and p1 itself, nothing else. */
const P1_ONLY = rowsOf({ Observation: criteria('subject=Patient/p1'), Patient: compartment('Patient', 'p1') });

const search = (rows: RowRules | undefined, url: string): Promise<EngineAnswer> => asCaller(flint.ctx, rows)('GET', url);

function ctxOf(): SearchContext {
  return { model: flint.ctx.model, storages: flint.ctx.storages, limits: { defaultCount: 10, maxCount: 100, timeoutMs: 0, maxTerms: 100 } };
}

before(async () => {
  flint = await startTestFlint();
  await putAll(flint, fixture);
});
after(async () => { await flint?.stop(); });

describe('the SQL of each row rule kind', () => {
  const conditionText = (rule: Parameters<typeof ruleCondition>[1], resourceType = 'Observation') => {
    const condition = ruleCondition(createCompileContext(ctxOf(), ''), rule, { resourceType, alias: 'x' });
    return condition && compile(condition);
  };

  it('all: no condition; none: FALSE', () => {
    assert.equal(conditionText(ALL_ROWS), undefined);
    assert.equal(conditionText(NO_ROWS)?.text, 'FALSE');
  });

  it('criteria: the search condition on the alias, values bound', () => {
    const compiled = conditionText(criteria('subject=Patient/p1'));
    assert.match(compiled!.text, /x\.resource/);
    assert.match(JSON.stringify(compiled!.values), /Patient\/p1/);
    assert.equal(conditionText(criteria('')), undefined, 'a bare type is every row');
  });

  it('compartment: the compartment\'s own resource by id, members by their references, others FALSE', () => {
    assert.match(conditionText(compartment('Patient', 'p1'), 'Patient')!.text, /^x\.id = \$1$/);
    const member = conditionText(compartment('Patient', 'p1'));
    assert.match(member!.text, /x\.resource/);
    assert.match(JSON.stringify(member!.values), /Patient\/p1/);
    assert.equal(conditionText(compartment('Patient', 'p1'), 'Organization')!.text, 'FALSE');
  });

  it('any is OR (and all when one allows all); every is AND (all parts dropped)', () => {
    const any = conditionText(anyOfRules(criteria('code=a'), criteria('code=b')))!;
    assert.match(any.text, /^\(.* OR .*\)$/s);
    assert.equal(conditionText(anyOfRules(criteria('code=a'), ALL_ROWS)), undefined);
    const every = conditionText(everyRule(criteria('code=a'), criteria('status=final')))!;
    assert.match(every.text, /^\(.* AND .*\)$/s);
    assert.equal(conditionText(everyRule(ALL_ROWS, ALL_ROWS)), undefined);
  });

  it('visibleCondition: nothing without rules or for a type they leave whole', () => {
    assert.equal(visibleCondition(ctxOf(), undefined, 'Observation', 'x'), undefined);
    assert.equal(visibleCondition(ctxOf(), rowsOf({}, ALL_ROWS), 'Observation', 'x'), undefined);
    assert.ok(visibleCondition(ctxOf(), P1_ONLY, 'Observation', 'x'));
  });
});

describe('search as a caller with row rules', () => {
  it('type search: only the visible rows, with an exact total', async () => {
    const answer = await search(P1_ONLY, 'Observation?_total=accurate');
    assert.deepEqual(idsOf(answer.body), P1_OBSERVATIONS);
    assert.equal(answer.body.total, 7);
    const all = await search(undefined, 'Observation?_total=accurate');
    assert.equal(all.body.total, 11);
  });

  it('paging: three pages of the visible rows, each total exact', async () => {
    const seen: string[] = [];
    let url: string | undefined = 'Observation?_count=3&_total=accurate&_sort=_id';
    const sizes: number[] = [];
    while (url) {
      const answer = await search(P1_ONLY, url);
      assert.equal(answer.body.total, 7);
      const ids = (answer.body.entry ?? []).map((entry: any) => entry.resource.id);
      sizes.push(ids.length);
      seen.push(...ids);
      url = answer.body.link.find((link: any) => link.relation === 'next')?.url;
    }
    assert.deepEqual(sizes, [3, 3, 1]);
    assert.deepEqual(seen, P1_OBSERVATIONS);
  });

  it('_summary=count and a filter under the rule', async () => {
    assert.equal((await search(P1_ONLY, 'Observation?_summary=count')).body.total, 7);
    assert.deepEqual(idsOf((await search(P1_ONLY, 'Observation?code=c')).body), []);
    assert.deepEqual(idsOf((await search(undefined, 'Observation?code=c')).body), P2_OBSERVATIONS);
  });

  it('system search: each type narrowed by its own rule (none: no rows)', async () => {
    const answer = await search(P1_ONLY, '?_type=Patient,Observation,Organization&_count=50');
    assert.deepEqual(idsOf(answer.body), [...P1_OBSERVATIONS, 'p1'].sort());
  });

  it('compartment search: the compartment\'s rows the caller may see', async () => {
    assert.deepEqual(idsOf((await search(P1_ONLY, 'Patient/p2/Observation')).body), []);
    assert.deepEqual(idsOf((await search(P1_ONLY, 'Patient/p1/Observation')).body), P1_OBSERVATIONS);
    assert.deepEqual(idsOf((await search(P1_ONLY, 'Patient/p1/*?_count=50')).body), [...P1_OBSERVATIONS, 'p1'].sort());
  });

  it('_include of a hidden type: only the visible targets', async () => {
    const rows = rowsOf({ Observation: ALL_ROWS, Patient: compartment('Patient', 'p1') });
    const answer = await search(rows, 'Observation?_include=Observation:subject&_count=50');
    assert.deepEqual(idsOf(answer.body), [...P1_OBSERVATIONS, ...P2_OBSERVATIONS]);
    assert.deepEqual(idsOf(answer.body, 'include'), ['p1']);
  });

  it('_include:iterate of a hidden type: nothing included from it', async () => {
    const url = 'Observation?_include=Observation:subject&_include:iterate=Patient:organization';
    assert.deepEqual(idsOf((await search(undefined, url)).body, 'include'), ['org1', 'p1', 'p2']);
    assert.deepEqual(idsOf((await search(P1_ONLY, url)).body, 'include'), ['p1']);
  });

  it('_revinclude of a hidden type: only the visible referrers (and with *)', async () => {
    const rows = rowsOf({ Observation: criteria('subject=Patient/p1'), Patient: ALL_ROWS });
    const answer = await search(rows, 'Patient?_revinclude=Observation:subject');
    assert.deepEqual(idsOf(answer.body), ['p1', 'p2', 'p3']);
    assert.deepEqual(idsOf(answer.body, 'include'), P1_OBSERVATIONS);
    const star = await search(rows, 'Patient?_id=p2&_revinclude=*');
    assert.deepEqual(idsOf(star.body, 'include'), []);
  });

  it('a chain through a hidden type matches nothing there', async () => {
    const rows = rowsOf({ Observation: ALL_ROWS, Patient: compartment('Patient', 'p1') });
    assert.deepEqual(idsOf((await search(undefined, 'Observation?subject:Patient.name=Beta')).body), P2_OBSERVATIONS);
    assert.deepEqual(idsOf((await search(rows, 'Observation?subject:Patient.name=Beta')).body), []);
    assert.deepEqual(idsOf((await search(rows, 'Observation?subject:Patient.name=Alpha')).body), P1_OBSERVATIONS);
  });

  it('_has through a hidden type matches nothing there', async () => {
    const rows = rowsOf({ Observation: criteria('subject=Patient/p1'), Patient: ALL_ROWS });
    assert.deepEqual(idsOf((await search(undefined, 'Patient?_has:Observation:subject:code=c')).body), ['p2']);
    assert.deepEqual(idsOf((await search(rows, 'Patient?_has:Observation:subject:code=c')).body), []);
    assert.deepEqual(idsOf((await search(rows, 'Patient?_has:Observation:subject:code=b')).body), ['p1']);
  });

  it('_list: a hidden List lists nothing', async () => {
    const rows = rowsOf({ Patient: ALL_ROWS, List: NO_ROWS });
    assert.deepEqual(idsOf((await search(undefined, 'Patient?_list=list1')).body), ['p2']);
    assert.deepEqual(idsOf((await search(rows, 'Patient?_list=list1')).body), []);
  });

  it('$explain shows the rule in the page query', async () => {
    const parameters = (answer: EngineAnswer) => answer.body.parameter.filter((p: any) => p.name === 'parameter').map((p: any) => p.valueString);
    const sqlOf = (answer: EngineAnswer) => answer.body.parameter.find((p: any) => p.name === 'sql').valueString as string;
    const plain = await search(undefined, 'Observation/$explain?code=a');
    const ruled = await search(P1_ONLY, 'Observation/$explain?code=a');
    assert.doesNotMatch(parameters(plain).join(' '), /Patient\/p1/);
    assert.match(parameters(ruled).join(' '), /Patient\/p1/);
    assert.ok(sqlOf(ruled).length > sqlOf(plain).length);
    const whole = await search(rowsOf({}, ALL_ROWS), 'Observation/$explain?code=a&subject:Patient.name=Alpha&_list=list1');
    const none = await search(undefined, 'Observation/$explain?code=a&subject:Patient.name=Alpha&_list=list1');
    assert.equal(sqlOf(whole), sqlOf(none), 'rules that narrow nothing add nothing to the SQL');
  });
});
