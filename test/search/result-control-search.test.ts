/**
 * Search result parameters (http://hl7.org/fhir/R4/search.html#return): _include and _revinclude
 * (with a target type, `*` and :iterate), _sort, _count (the server's default and maximum),
 * _total, _summary, _elements, and paging through the Bundle links (every match exactly once and in
 * order, even when resources change between pages).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { raw } from '../../src/sql/index.js';
import { startTestFlint, type TestFlint } from '../support/test-server.js';
import {
  includedIds, link, linkPath, matchEntries, matchIds, orderedIds, putAll, searchBundle, type TestResource,
} from './search-cases.js';

let flint: TestFlint;

const SUBSETTED = 'SUBSETTED';

// [id, family, birthDate, gender], written in a different order than their ids sort.
const PEOPLE: [string, string, string, string][] = [
  ['p05', 'Evans', '1985-05-05', 'other'],
  ['p02', 'baker', '1985-05-05', 'female'],
  ['p09', 'Irwin', '1990-01-01', 'female'],
  ['p01', 'Adams', '1990-01-01', 'male'],
  ['p07', 'Green', '1970-07-07', 'female'],
  ['p03', 'Clark', '1990-01-01', 'female'],
  ['p10', 'Jones', '1975-03-03', 'male'],
  ['p06', 'Foster', '1990-01-01', 'male'],
  ['p08', 'Hughes', '2010-10-10', 'male'],
  ['p04', 'Davis', '2000-02-02', 'male'],
];
const creationOrder = PEOPLE.map(([id]) => id);
const allPatients = [...creationOrder].sort();

const patients: TestResource[] = PEOPLE.map(([id, family, birthDate, gender]) => ({
  resourceType: 'Patient', id, gender, birthDate, name: [{ family, given: ['Pat'] }],
  ...(id === 'p01' ? {
    text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">Adams</div>' },
    maritalStatus: { text: 'married' },
    contact: [{ name: { family: 'Adams', given: ['Contact'] } }],
    address: [{ city: 'Boston' }],
    managingOrganization: { reference: 'Organization/org1' },
  } : {}),
}));

const observation = (id: string, extra: object): TestResource => ({
  resourceType: 'Observation', id, status: 'final', code: { text: 'x' }, ...extra,
});
const others: TestResource[] = [
  { resourceType: 'Organization', id: 'org1', name: 'Acme' },
  { resourceType: 'Practitioner', id: 'pr1', name: [{ family: 'Doc' }] },
  { resourceType: 'Group', id: 'g1', type: 'person', actual: true },
  observation('ob1', { subject: { reference: 'Patient/p01' }, performer: [{ reference: 'Organization/org1' }] }),
  observation('ob2', { subject: { reference: 'Patient/p02' } }),
  observation('ob3', { subject: { reference: 'Group/g1' } }),
  observation('ob4', {}),
  observation('ob5', { subject: { reference: 'Patient/p01' } }),
  {
    resourceType: 'Provenance', id: 'pv1', target: [{ reference: 'Observation/ob1' }], recorded: '2024-01-01T00:00:00Z',
    agent: [{ who: { reference: 'Practitioner/pr1' } }],
  },
  { resourceType: 'Encounter', id: 'en1', status: 'finished', class: { code: 'AMB' }, subject: { reference: 'Patient/p01' } },
  { resourceType: 'Encounter', id: 'en2', status: 'finished', class: { code: 'AMB' }, subject: { reference: 'Patient/p02' } },
  {
    resourceType: 'MedicationRequest', id: 'mr1', status: 'active', intent: 'order', medicationCodeableConcept: { text: 'aspirin' },
    subject: { reference: 'Patient/p01' }, requester: { reference: 'Practitioner/pr1' },
  },
];
// Only the paging test that changes data between pages uses Locations.
const locations: TestResource[] = Array.from({ length: 10 }, (_, i) => ({
  resourceType: 'Location', id: `loc${String(i + 1).padStart(2, '0')}`, name: `Room ${i + 1}`,
}));

before(async () => {
  flint = await startTestFlint();
  await putAll(flint, [...patients, ...others, ...locations]);
});
after(async () => { await flint.stop(); });

/** Follows `next` links from a first search; returns each page's bundle. */
async function allPages(server: TestFlint, path: string, query: string, between?: (page: number) => Promise<void>): Promise<any[]> {
  const pages = [await searchBundle(server, path, query)];
  for (let next = link(pages[0], 'next'); next !== undefined; next = link(pages[pages.length - 1], 'next')) {
    assert.ok(pages.length < 50, 'paging does not end');
    if (between) await between(pages.length);
    const answer = await server.get(linkPath(next));
    assert.equal(answer.status, 200, answer.text);
    pages.push(answer.body);
  }
  return pages;
}

async function ordered(query: string, path = '/fhir/Patient'): Promise<string[]> {
  return orderedIds(await searchBundle(flint, path, query));
}

describe('_include and _revinclude', () => {
  const cases: [string, string, string[], string[]][] = [
    ['Observation', '_id=ob1,ob2&_include=Observation:subject', ['ob1', 'ob2'], ['Patient/p01', 'Patient/p02']],
    ['Observation', '_id=ob1,ob3&_include=Observation:subject', ['ob1', 'ob3'], ['Group/g1', 'Patient/p01']],
    ['Observation', '_id=ob1,ob3&_include=Observation:subject:Patient', ['ob1', 'ob3'], ['Patient/p01']],
    // Two matches pointing at one Patient include it once.
    ['Observation', '_id=ob1,ob5&_include=Observation:subject', ['ob1', 'ob5'], ['Patient/p01']],
    ['Observation', '_id=ob4&_include=Observation:subject', ['ob4'], []],
    ['Observation', '_id=ob1&_include=Observation:*', ['ob1'], ['Organization/org1', 'Patient/p01']],
    ['Observation', '_id=ob1&_revinclude=Provenance:target', ['ob1'], ['Provenance/pv1']],
    ['Observation', '_id=ob2&_revinclude=Provenance:target', ['ob2'], []],
    ['Patient', '_id=p01,p02&_revinclude=Encounter:subject', ['p01', 'p02'], ['Encounter/en1', 'Encounter/en2']],
    ['Patient', '_id=p01&_revinclude=Encounter:subject&_revinclude=Observation:subject', ['p01'],
      ['Encounter/en1', 'Observation/ob1', 'Observation/ob5']],
    ['MedicationRequest', '_id=mr1&_include=MedicationRequest:patient&_include=MedicationRequest:requester', ['mr1'],
      ['Patient/p01', 'Practitioner/pr1']],
    // :iterate applies the second include to the included Patient too; without it only to the matches.
    ['MedicationRequest', '_id=mr1&_include=MedicationRequest:patient&_include:iterate=Patient:organization', ['mr1'],
      ['Organization/org1', 'Patient/p01']],
    ['MedicationRequest', '_id=mr1&_include=MedicationRequest:patient&_include=Patient:organization', ['mr1'], ['Patient/p01']],
    ['Observation', '_id=ob1&_include=Observation:subject&_revinclude:iterate=Encounter:subject', ['ob1'],
      ['Encounter/en1', 'Patient/p01']],
    // _revinclude=*: whatever refers to the matches, through any reference parameter of any type.
    ['Patient', '_id=p01&_revinclude=*', ['p01'],
      ['Encounter/en1', 'MedicationRequest/mr1', 'Observation/ob1', 'Observation/ob5']],
    ['Organization', '_id=org1&_revinclude=*', ['org1'], ['Observation/ob1', 'Patient/p01']],
    ['Observation', '_id=ob1,ob4&_revinclude=*', ['ob1', 'ob4'], ['Provenance/pv1']],
    ['Patient', '_id=p03&_revinclude=*', ['p03'], []],
    ['Practitioner', '_id=pr1&_revinclude=*&_revinclude:iterate=Provenance:target', ['pr1'],
      ['MedicationRequest/mr1', 'Provenance/pv1']],
  ];
  for (const [type, query, matches, included] of cases) {
    it(`${type}?${query}`, async () => {
      const bundle = await searchBundle(flint, `/fhir/${type}`, query);
      assert.deepEqual(matchIds(bundle), matches);
      // The AuditEvents of the writes and reads (docs/audit.md) refer to the resources too; left out here.
      assert.deepEqual(includedIds(bundle).filter((id: string) => !id.startsWith('AuditEvent/')), included);
    });
  }

  it('marks matches "match" and includes "include", and counts only matches in total', async () => {
    const bundle = await searchBundle(flint, '/fhir/Observation', '_id=ob1,ob2&_include=Observation:subject&_total=accurate');
    assert.equal(bundle.total, 2);
    const modes = bundle.entry.map((entry: any) => `${entry.resource.resourceType}:${entry.search?.mode}`).sort();
    assert.deepEqual(modes, ['Observation:match', 'Observation:match', 'Patient:include', 'Patient:include']);
  });

  it('includes on every page the resources its own matches point to', async () => {
    const pages = await allPages(flint, '/fhir/Observation', '_id=ob1,ob2,ob5&_include=Observation:subject&_sort=_id&_count=1');
    assert.deepEqual(pages.map((page) => [...matchIds(page), ...includedIds(page)]), [
      ['ob1', 'Patient/p01'], ['ob2', 'Patient/p02'], ['ob5', 'Patient/p01'],
    ]);
  });
});

describe('_sort', () => {
  const cases: [string, string[]][] = [
    // Strings sort without regard to case: baker comes between Adams and Clark.
    ['_sort=family', allPatients],
    ['_sort=-family', [...allPatients].reverse()],
    ['_sort=birthdate,_id', ['p07', 'p10', 'p02', 'p05', 'p01', 'p03', 'p06', 'p09', 'p04', 'p08']],
    ['_sort=-birthdate,_id', ['p08', 'p04', 'p01', 'p03', 'p06', 'p09', 'p02', 'p05', 'p10', 'p07']],
    ['_sort=gender,-birthdate,_id', ['p03', 'p09', 'p02', 'p07', 'p08', 'p04', 'p01', 'p06', 'p10', 'p05']],
    ['_sort=-gender,family', ['p05', 'p01', 'p04', 'p06', 'p08', 'p10', 'p02', 'p03', 'p07', 'p09']],
    ['_sort=_id', allPatients],
    ['_sort=-_id', [...allPatients].reverse()],
    ['_sort=_lastUpdated', creationOrder],
    ['_sort=-_lastUpdated', [...creationOrder].reverse()],
    ['gender=female&_sort=-birthdate,-_id', ['p09', 'p03', 'p02', 'p07']],
    ['birthdate=1990-01-01&_sort=-_id', ['p09', 'p06', 'p03', 'p01']],
  ];
  for (const [query, expected] of cases) {
    it(`Patient?${query}`, async () => {
      assert.deepEqual(await ordered(query), expected);
    });
  }
});

describe('_summary and _elements', () => {
  const tags = (resource: any): string[] => (resource.meta?.tag ?? []).map((tag: any) => tag.code);
  const onlyMatch = async (query: string) => {
    const entries = matchEntries(await searchBundle(flint, '/fhir/Patient', query));
    assert.equal(entries.length, 1);
    return entries[0].resource;
  };

  it('_summary=count answers the total without entries', async () => {
    const bundle = await searchBundle(flint, '/fhir/Patient', '_summary=count');
    assert.equal(bundle.total, 10);
    assert.equal(matchEntries(bundle).length, 0);
  });

  it('_count=0 is treated as _summary=count', async () => {
    const bundle = await searchBundle(flint, '/fhir/Patient', 'gender=female&_count=0');
    assert.equal(bundle.total, 4);
    assert.equal(matchEntries(bundle).length, 0);
    assert.equal(link(bundle, 'next'), undefined);
  });

  it('_summary=true keeps the summary elements only, marked SUBSETTED', async () => {
    const resource = await onlyMatch('_id=p01&_summary=true');
    assert.equal(resource.id, 'p01');
    assert.deepEqual(resource.name, [{ family: 'Adams', given: ['Pat'] }]);
    assert.equal(resource.birthDate, '1990-01-01');
    assert.deepEqual(resource.managingOrganization, { reference: 'Organization/org1' });
    for (const element of ['text', 'contact', 'maritalStatus']) assert.equal(resource[element], undefined, element);
    assert.ok(tags(resource).includes(SUBSETTED));
  });

  it('_summary=text keeps text, id and meta', async () => {
    const resource = await onlyMatch('_id=p01&_summary=text');
    assert.equal(resource.id, 'p01');
    assert.equal(resource.text?.status, 'generated');
    for (const element of ['name', 'birthDate', 'contact']) assert.equal(resource[element], undefined, element);
    assert.ok(tags(resource).includes(SUBSETTED));
  });

  it('_summary=data removes the text only', async () => {
    const resource = await onlyMatch('_id=p01&_summary=data');
    assert.equal(resource.text, undefined);
    assert.equal(resource.contact?.length, 1);
    assert.equal(resource.maritalStatus?.text, 'married');
    // The spec asks for SUBSETTED whenever a part of the resource is left out.
    assert.ok(tags(resource).includes(SUBSETTED));
  });

  it('_summary=false returns the whole resource, not marked', async () => {
    const resource = await onlyMatch('_id=p01&_summary=false');
    assert.equal(resource.text?.status, 'generated');
    assert.equal(resource.contact?.length, 1);
    assert.ok(!tags(resource).includes(SUBSETTED));
  });

  it('_elements keeps the listed elements, marked SUBSETTED', async () => {
    const resource = await onlyMatch('_id=p01&_elements=name,gender');
    assert.equal(resource.id, 'p01');
    assert.equal(resource.gender, 'male');
    assert.equal(resource.name?.[0]?.family, 'Adams');
    for (const element of ['birthDate', 'address', 'contact', 'maritalStatus', 'text']) assert.equal(resource[element], undefined, element);
    assert.ok(tags(resource).includes(SUBSETTED));
  });

  it('_elements does not apply to included resources', async () => {
    const bundle = await searchBundle(flint, '/fhir/Observation', '_id=ob1&_elements=status&_include=Observation:subject');
    const [match] = matchEntries(bundle);
    assert.equal(match.resource.status, 'final');
    assert.equal(match.resource.subject, undefined);
    const included = bundle.entry.find((entry: any) => entry.search?.mode === 'include')?.resource;
    assert.equal(included?.birthDate, '1990-01-01');
    assert.ok(!tags(included).includes(SUBSETTED));
  });
});

describe('_total', () => {
  it('accurate counts every match, not the page', async () => {
    const bundle = await searchBundle(flint, '/fhir/Patient', '_count=2&_total=accurate');
    assert.equal(matchEntries(bundle).length, 2);
    assert.equal(bundle.total, 10);
  });

  it('none leaves the total out (the hint is honoured, as HAPI does)', async () => {
    const bundle = await searchBundle(flint, '/fhir/Patient', '_count=2&_total=none');
    assert.equal(matchEntries(bundle).length, 2);
    assert.equal(bundle.total, undefined);
  });

  it('estimate gives the planner\'s row estimate, which after ANALYZE is the table\'s row count', async () => {
    await flint.testDb.db.query(raw('ANALYZE patient, organization'));
    const bundle = await searchBundle(flint, '/fhir/Patient', '_count=2&_total=estimate');
    assert.equal(matchEntries(bundle).length, 2);
    assert.equal(bundle.total, 10);
    const both = await searchBundle(flint, '/fhir', '_type=Patient,Organization&_count=1&_total=estimate');
    assert.equal(both.total, 11);
  });
});

describe('paging', () => {
  it('following next visits every match once, in order, and the last page has no next', async () => {
    const pages = await allPages(flint, '/fhir/Patient', '_sort=_id&_count=3');
    assert.deepEqual(pages.map(orderedIds), [['p01', 'p02', 'p03'], ['p04', 'p05', 'p06'], ['p07', 'p08', 'p09'], ['p10']]);
    assert.equal(link(pages[3], 'next'), undefined);
  });

  it('pages through equal sort keys without losing or repeating a match', async () => {
    const pages = await allPages(flint, '/fhir/Patient', '_sort=birthdate&_count=3');
    const ids = pages.flatMap(orderedIds);
    assert.deepEqual([...ids].sort(), allPatients);
    const births = ids.map((id) => PEOPLE.find(([person]) => person === id)?.[2] ?? '');
    assert.deepEqual(births, [...births].sort());
  });

  it('pages in the default order and with a filter', async () => {
    assert.deepEqual((await allPages(flint, '/fhir/Patient', '_count=4')).flatMap(orderedIds).sort(), allPatients);
    assert.deepEqual((await allPages(flint, '/fhir/Patient', 'gender=female&_count=2')).flatMap(orderedIds).sort(),
      ['p02', 'p03', 'p07', 'p09']);
  });

  it('pages by _lastUpdated descending', async () => {
    const pages = await allPages(flint, '/fhir/Patient', '_sort=-_lastUpdated&_count=4');
    assert.deepEqual(pages.flatMap(orderedIds), [...creationOrder].reverse());
  });

  it('has a self link, and previous and first links that lead back to the first page', async () => {
    const first = await searchBundle(flint, '/fhir/Patient', 'gender=male&_sort=_id&_count=2');
    const self = link(first, 'self');
    assert.ok(self, 'self link');
    assert.ok(decodeURIComponent(self).includes('gender=male'), self);
    const nextUrl = link(first, 'next');
    assert.ok(nextUrl, 'next link');
    const second = (await flint.get(linkPath(nextUrl))).body;
    assert.deepEqual(orderedIds(second), ['p06', 'p08']);
    assert.ok(link(second, 'self'), 'self link on the second page');
    const previousUrl = link(second, 'previous', 'prev');
    const firstUrl = link(second, 'first');
    assert.ok(previousUrl, 'previous link');
    assert.ok(firstUrl, 'first link');
    assert.deepEqual(orderedIds((await flint.get(linkPath(previousUrl))).body), ['p01', 'p04']);
    assert.deepEqual(orderedIds((await flint.get(linkPath(firstUrl))).body), ['p01', 'p04']);
  });

  it('visits every match once and in order when resources are created and deleted between pages', async () => {
    const original = locations.map((location) => location.id);
    const pages = await allPages(flint, '/fhir/Location', '_sort=_id&_count=3', async (page) => {
      if (page !== 1) return;
      // Two matches already seen go away, and new ones appear before and between the pages.
      for (const id of ['loc02', 'loc03']) {
        const deleted = await flint.delete(`/fhir/Location/${id}`);
        assert.ok(deleted.status === 200 || deleted.status === 204, deleted.text);
      }
      await putAll(flint, [
        { resourceType: 'Location', id: 'loc00', name: 'Early' },
        { resourceType: 'Location', id: 'loc045', name: 'Between' },
      ]);
    });
    const visited = pages.flatMap(orderedIds);
    assert.deepEqual(visited.slice(0, 3), ['loc01', 'loc02', 'loc03']);
    assert.equal(new Set(visited).size, visited.length, `visited twice: ${visited.join(', ')}`);
    assert.deepEqual(visited, [...visited].sort(), 'in order');
    assert.deepEqual(visited.filter((id) => original.includes(id)), original);
    assert.ok(!visited.includes('loc00'), 'a resource created before the cursor is not visited');
  });
});

describe('_count with a configured default and maximum', () => {
  let small: TestFlint;
  const people: TestResource[] = Array.from({ length: 8 }, (_, i) => ({ resourceType: 'Patient', id: `q${i + 1}` }));
  before(async () => {
    small = await startTestFlint({ searchDefaultCount: 3, searchMaxCount: 5 });
    await putAll(small, people);
  });
  after(async () => { await small.stop(); });

  it('uses the default page size without _count', async () => {
    const bundle = await searchBundle(small, '/fhir/Patient', '');
    assert.equal(matchEntries(bundle).length, 3);
    assert.ok(link(bundle, 'next'));
  });

  it('honours a _count under the maximum', async () => {
    assert.equal(matchEntries(await searchBundle(small, '/fhir/Patient', '_count=4')).length, 4);
    assert.equal(matchEntries(await searchBundle(small, '/fhir/Patient', '_count=1')).length, 1);
  });

  it('never returns more than the maximum, and its pages still reach every match', async () => {
    const pages = await allPages(small, '/fhir/Patient', '_count=100&_sort=_id');
    assert.equal(matchEntries(pages[0]).length, 5);
    assert.deepEqual(pages.flatMap(orderedIds), people.map((person) => person.id).sort());
  });

  it('repeats the page size in its next link', async () => {
    const bundle = await searchBundle(small, '/fhir/Patient', '_count=2&_sort=_id');
    const next = link(bundle, 'next');
    assert.ok(next);
    assert.deepEqual(orderedIds((await small.get(linkPath(next))).body), ['q3', 'q4']);
  });
});
