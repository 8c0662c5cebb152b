/**
 * The access matrix (docs/access-control.md): every caller of matrix-callers.ts through every
 * interaction that reads or writes rows (read, vread, search with paging and totals, _include,
 * _revinclude, chains, _has, history, batch, conditional update, transaction, $run, $sql,
 * $validate) over the Synthea fixture. Each answer is compared with the oracle, computed from the
 * fixture without the server's compiler, and every resource any answer shows must be one the
 * caller may see: zero rows seen or written that the caller may not. Every request of the matrix
 * is also expected in the audit log: one AuditEvent naming the caller per request and per batch
 * entry, with the outcome of its answer.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestFlint, type FhirAnswer, type TestFlint } from '../support/test-server.js';
import { buildMatrixWorld, MATRIX_TYPES, type MatrixCaller, type MatrixWorld } from './matrix-callers.js';
import type { StoredFixture, Visible } from './matrix-oracle.js';
import { storedEvents, type AuditEvent } from '../audit/audit-support.js';

let flint: TestFlint;
let world: MatrixWorld;

before(async () => {
  flint = await startTestFlint();
  world = await buildMatrixWorld(flint);
});
after(async () => { await flint?.stop(); });

/** Every resource an answer shows, as Type/id (Bundle entries, nested Bundles, the resource itself). */
function shownRefs(body: any, into: string[] = []): string[] {
  if (!body || typeof body !== 'object') return into;
  if (body.resourceType === 'Bundle') {
    for (const entry of body.entry ?? []) {
      shownRefs(entry.resource, into);
      shownRefs(entry.response?.outcome, into);
    }
  } else if (body.resourceType && body.resourceType !== 'OperationOutcome' && body.id) {
    into.push(`${body.resourceType}/${body.id}`);
  }
  return into;
}

/** Whether the caller may see a stored resource through any interaction. */
function mayRead(caller: MatrixCaller, ref: string): boolean {
  const type = ref.split('/')[0];
  const visible = caller.visible(type, 'read');
  return !visible.refused && visible.refs.has(ref);
}

/** The outcome code of an AuditEvent for an HTTP status (0 success, 4 minor failure, 8 serious failure). */
function outcomeOf(status: number): string {
  return status < 400 ? '0' : status < 500 ? '4' : '8';
}

/** The AuditEvents each caller's requests must have produced: their outcomes, by caller name. */
const expectedEvents = new Map<string, string[]>();

function expectEvents(caller: MatrixCaller, answer: FhirAnswer, body: any): void {
  const outcomes = expectedEvents.get(caller.name) ?? [];
  outcomes.push(outcomeOf(answer.status));
  if (body?.resourceType === 'Bundle' && body.type === 'batch' && answer.status === 200) {
    for (const entry of answer.body.entry) outcomes.push(outcomeOf(Number.parseInt(entry.response.status, 10)));
  }
  expectedEvents.set(caller.name, outcomes);
}

/** Sends a request as the caller and checks it shows nothing the caller may not see. */
async function as(caller: MatrixCaller, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<FhirAnswer> {
  const answer = await flint.request(method, url, body, { headers: { authorization: caller.authorization, ...headers } });
  expectEvents(caller, answer, body);
  const leaked = shownRefs(answer.body).filter((ref) => ref.startsWith('OperationOutcome/') === false && isStoredRef(ref) && !mayRead(caller, ref));
  assert.deepEqual(leaked, [], `${caller.name} ${method} ${url} showed rows it may not see`);
  return answer;
}

function isStoredRef(ref: string): boolean {
  return world.stored.some((item) => item.ref === ref);
}

function refsOf(visible: Visible): string[] {
  return visible.refused ? [] : [...visible.refs].sort();
}

function assertRefused(answer: FhirAnswer, what: string): void {
  assert.equal(answer.status, 403, `${what}: ${answer.status} ${answer.text.slice(0, 300)}`);
  assert.equal(answer.body?.resourceType, 'OperationOutcome');
}

/** Walks every page of a search as the caller; returns the matches' refs and the reported total. */
async function searchAll(caller: MatrixCaller, url: string): Promise<{ refs: string[]; total?: number } | FhirAnswer> {
  const refs: string[] = [];
  let next: string | undefined = url;
  let total: number | undefined;
  while (next) {
    const answer = await as(caller, 'GET', next);
    if (answer.status !== 200) return answer;
    total ??= answer.body.total;
    for (const entry of answer.body.entry ?? []) if (entry.search?.mode === 'match') refs.push(`${entry.resource.resourceType}/${entry.resource.id}`);
    const link = (answer.body.link ?? []).find((item: any) => item.relation === 'next')?.url;
    next = link ? link.slice(link.indexOf('/fhir/')) : undefined;
  }
  return { refs, total };
}

/** A deterministic sample of the stored resources of a type: visible and hidden ones alike. */
function sample(type: string, size: number): StoredFixture[] {
  const items = world.stored.filter((item) => item.type === type);
  const step = Math.max(1, Math.floor(items.length / size));
  return items.filter((_, index) => index % step === 0);
}

describe('the access matrix', () => {
  it('search: exactly the visible rows of each type, over every page, with an exact total', async () => {
    for (const caller of world.callers) {
      for (const type of MATRIX_TYPES) {
        const expected = caller.visible(type, 'search');
        const result = await searchAll(caller, `/fhir/${type}?_count=7&_total=accurate`);
        const what = `${caller.name} searching ${type}`;
        if (expected.refused) { assertRefused(result as FhirAnswer, what); continue; }
        assert.ok(!('status' in result), `${what}: ${(result as FhirAnswer).status} ${(result as FhirAnswer).text?.slice(0, 300)}`);
        assert.deepEqual([...result.refs].sort(), refsOf(expected), what);
        assert.equal(result.total, expected.refs.size, `${what}: total`);
      }
    }
  });

  it('read and vread: 200 for a visible row, 404 (as for a missing one) for a hidden row, 403 for a refused type', async () => {
    for (const caller of world.callers) {
      for (const type of MATRIX_TYPES) {
        const expected = caller.visible(type, 'read');
        for (const item of sample(type, 12)) {
          for (const url of [`/fhir/${item.ref}`, `/fhir/${item.ref}/_history/${item.versionId}`]) {
            const answer = await as(caller, 'GET', url);
            const what = `${caller.name} GET ${url}`;
            if (expected.refused) assertRefused(answer, what);
            else if (expected.refs.has(item.ref)) assert.equal(answer.status, 200, `${what}: ${answer.text.slice(0, 300)}`);
            else assert.equal(answer.status, 404, `${what}: ${answer.status}`);
          }
        }
      }
    }
  });

  it('a hidden row answers the same OperationOutcome code as a missing one', async () => {
    const doctor = world.callers.find((caller) => caller.name === 'practitioner') as MatrixCaller;
    const hidden = world.patients.find((item) => !mayRead(doctor, item.ref)) as StoredFixture;
    const hiddenAnswer = await as(doctor, 'GET', `/fhir/${hidden.ref}`);
    const missingAnswer = await as(doctor, 'GET', '/fhir/Patient/no-such-patient');
    assert.equal(hiddenAnswer.status, 404);
    assert.deepEqual(hiddenAnswer.body.issue.map((issue: any) => issue.code), missingAnswer.body.issue.map((issue: any) => issue.code));
  });

  it('_include and _revinclude show only rows of the included type the caller may see', async () => {
    for (const caller of world.callers) {
      const observations = caller.visible('Observation', 'search');
      if (!observations.refused) {
        const answer = await as(caller, 'GET', '/fhir/Observation?_include=Observation:subject&_count=1000');
        assert.equal(answer.status, 200, `${caller.name}: ${answer.text.slice(0, 300)}`);
        const subjects = new Set([...observations.refs].map((ref) => world.stored.find((item) => item.ref === ref)?.resource.subject?.reference));
        const expected = [...subjects].filter((ref): ref is string => ref !== undefined && mayRead(caller, ref)).sort();
        const included = (answer.body.entry ?? []).filter((entry: any) => entry.search?.mode === 'include').map((entry: any) => `${entry.resource.resourceType}/${entry.resource.id}`).sort();
        assert.deepEqual(included, expected, `${caller.name} _include`);
      }
      const patients = caller.visible('Patient', 'search');
      if (patients.refused) continue;
      const answer = await as(caller, 'GET', '/fhir/Patient?_revinclude=Observation:subject&_count=1000');
      assert.equal(answer.status, 200, `${caller.name}: ${answer.text.slice(0, 300)}`);
      const expected = world.stored.filter((item) => item.type === 'Observation' && patients.refs.has(item.resource.subject?.reference) && mayRead(caller, item.ref)).map((item) => item.ref).sort();
      const included = (answer.body.entry ?? []).filter((entry: any) => entry.search?.mode === 'include').map((entry: any) => `${entry.resource.resourceType}/${entry.resource.id}`).sort();
      assert.deepEqual(included, expected, `${caller.name} _revinclude`);
    }
  });

  it('chains and _has go only through rows of the joined type the caller may see', async () => {
    for (const caller of world.callers) {
      const observations = caller.visible('Observation', 'search');
      if (observations.refused) continue;
      for (const patient of world.patients) {
        const family = patient.resource.name[0].family as string;
        const result = await searchAll(caller, `/fhir/Observation?subject:Patient.family=${encodeURIComponent(family)}&_count=50`);
        assert.ok(!('status' in result), `${caller.name} chain: ${(result as FhirAnswer).status}`);
        const expected = [...observations.refs].filter((ref) => mayRead(caller, patient.ref)
          && world.stored.find((item) => item.ref === ref)?.resource.subject?.reference === patient.ref).sort();
        assert.deepEqual([...result.refs].sort(), expected, `${caller.name} chain through ${patient.ref}`);
      }
      const patients = caller.visible('Patient', 'search');
      if (patients.refused) continue;
      const result = await searchAll(caller, '/fhir/Patient?_has:Observation:subject:_id=' + [...observations.refs].map((ref) => ref.split('/')[1]).concat('none').join(','));
      assert.ok(!('status' in result), `${caller.name} _has`);
      const expected = [...patients.refs].filter((ref) => [...observations.refs].some((obs) => world.stored.find((item) => item.ref === obs)?.resource.subject?.reference === ref)).sort();
      assert.deepEqual([...result.refs].sort(), expected, `${caller.name} _has`);
    }
  });

  it('history of an instance and of a type shows only visible versions', async () => {
    for (const caller of world.callers) {
      const expected = caller.visible('Observation', 'search');
      const answer = await as(caller, 'GET', '/fhir/Observation/_history?_count=1000');
      if (expected.refused) { assertRefused(answer, `${caller.name} type history`); continue; }
      assert.equal(answer.status, 200, `${caller.name}: ${answer.text.slice(0, 300)}`);
      const seen = (answer.body.entry ?? []).map((entry: any) => `Observation/${entry.resource?.id ?? entry.request?.url?.split('/')[1]}`).sort();
      assert.deepEqual(seen, refsOf(expected), `${caller.name} type history`);
      for (const item of sample('Observation', 4)) {
        const instance = await as(caller, 'GET', `/fhir/${item.ref}/_history`);
        if (expected.refs.has(item.ref)) assert.equal(instance.body?.entry?.length, 1, `${caller.name} history of ${item.ref}`);
        else assert.equal(instance.status, 404, `${caller.name} history of hidden ${item.ref}: ${instance.status}`);
      }
    }
  });

  it('batch entries are each checked', async () => {
    for (const caller of world.callers) {
      const entries = sample('Observation', 6).map((item) => ({ request: { method: 'GET', url: item.ref } }));
      const answer = await as(caller, 'POST', '/fhir', { resourceType: 'Bundle', type: 'batch', entry: entries });
      if (!caller.bundles) { assertRefused(answer, `${caller.name} batch`); continue; }
      assert.equal(answer.status, 200, `${caller.name} batch: ${answer.text.slice(0, 300)}`);
      const expected = caller.visible('Observation', 'read');
      answer.body.entry.forEach((entry: any, index: number) => {
        const ref = entries[index].request.url;
        const status = Number.parseInt(entry.response.status, 10);
        const want = expected.refused ? 403 : expected.refs.has(ref) ? 200 : 404;
        assert.equal(status, want, `${caller.name} batch entry ${ref}`);
      });
    }
  });
});

describe('writes under the matrix policies', () => {
  async function countAsRoot(type: string): Promise<number> {
    const answer = await flint.get(`/fhir/${type}?_summary=count`);
    return answer.body.total as number;
  }

  it('a patient creates an Observation about themselves, never about another patient, in a transaction too', async () => {
    const patient = world.callers.find((caller) => caller.name === 'patient') as MatrixCaller;
    const [chet, geoff] = world.patients;
    const observation = (subject: string) => ({ resourceType: 'Observation', status: 'final', code: { text: 'steps' }, subject: { reference: subject } });
    const own = await as(patient, 'POST', '/fhir/Observation', observation(chet.ref));
    assert.equal(own.status, 201, own.text.slice(0, 300));
    // The oracle knows it from now on (later interactions of the matrix see it).
    world.stored.push({ ref: `Observation/${own.body.id}`, type: 'Observation', id: own.body.id, versionId: own.body.meta.versionId, resource: own.body });
    const before = await countAsRoot('Observation');
    const other = await as(patient, 'POST', '/fhir/Observation', observation(geoff.ref));
    assert.equal(other.status, 403, other.text.slice(0, 300));
    const bundle = { resourceType: 'Bundle', type: 'transaction', entry: [chet.ref, geoff.ref].map((ref) => ({ request: { method: 'POST', url: 'Observation' }, resource: observation(ref) })) };
    const transaction = await as(patient, 'POST', '/fhir', bundle);
    assert.equal(transaction.status, 403, transaction.text.slice(0, 300));
    assert.equal(await countAsRoot('Observation'), before, 'nothing written');
  });

  it('a conditional update matches only visible rows, and a create outside the rows is refused', async () => {
    const patient = world.callers.find((caller) => caller.name === 'patient') as MatrixCaller;
    const geoff = world.patients[1];
    const before = await countAsRoot('Patient');
    const family = geoff.resource.name[0].family as string;
    const answer = await as(patient, 'PUT', `/fhir/Patient?family=${encodeURIComponent(family)}`, { resourceType: 'Patient', name: [{ family }] });
    assert.equal(answer.status, 403, answer.text.slice(0, 300));
    assert.equal(await countAsRoot('Patient'), before, 'nothing written');
    const history = await flint.get(`/fhir/${geoff.ref}/_history`);
    assert.equal(history.body.entry.length, 1, 'the hidden patient was not updated');
  });

  it('the practitioner may not write at all (the policy allows GET only)', async () => {
    const doctor = world.callers.find((caller) => caller.name === 'practitioner') as MatrixCaller;
    const answer = await as(doctor, 'POST', '/fhir/Observation', { resourceType: 'Observation', status: 'final', code: { text: 'x' } });
    assertRefused(answer, 'practitioner create');
  });
});

describe('operations under the matrix policies', () => {
  it('$run of a ViewDefinition returns only the rows the caller may see', async () => {
    const view = { resourceType: 'ViewDefinition', id: 'observation-ids', name: 'ids', status: 'active', resource: 'Observation', select: [{ column: [{ name: 'id', path: 'getResourceKey()' }] }] };
    assert.equal((await flint.put('/fhir/ViewDefinition/observation-ids', view)).status, 201);
    const runners = new Set(['patient', 'practitioner']);
    for (const caller of world.callers) {
      const answer = await as(caller, 'GET', '/fhir/ViewDefinition/observation-ids/$run');
      const expected = caller.visible('Observation', 'search');
      if (expected.refused || !runners.has(caller.name)) { assertRefused(answer, `${caller.name} $run`); continue; }
      assert.equal(answer.status, 200, `${caller.name} $run: ${answer.text.slice(0, 300)}`);
      const ids = (answer.body as { id: string }[]).map((row) => `Observation/${row.id}`).sort();
      assert.deepEqual(ids, refsOf(expected), `${caller.name} $run`);
    }
  });

  it('$sql is refused to every caller but the administrators', async () => {
    for (const caller of world.callers) {
      const answer = await as(caller, 'POST', '/$sql', ['SELECT count(*) FROM observation']);
      assertRefused(answer, `${caller.name} $sql`);
    }
  });

  it('$validate with stored references treats a hidden row as missing', async () => {
    const patient = world.callers.find((caller) => caller.name === 'patient') as MatrixCaller;
    const visible = world.patients.find((item) => mayRead(patient, item.ref)) as StoredFixture;
    const hidden = world.patients.find((item) => !mayRead(patient, item.ref)) as StoredFixture;
    const check = async (subject: string) => {
      const resource = { resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: subject } };
      const answer = await as(patient, 'POST', '/fhir/Observation/$validate', { resourceType: 'Parameters', parameter: [{ name: 'resource', resource }] }, { 'x-validate-references': 'true' });
      assert.equal(answer.status, 200, answer.text.slice(0, 300));
      return (answer.body.issue ?? []).filter((issue: any) => issue.severity === 'error').map((issue: any) => issue.diagnostics ?? '');
    };
    assert.deepEqual(await check(visible.ref), []);
    const errors = await check(hidden.ref);
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.match(errors[0], new RegExp(hidden.id));
  });
});

describe('the audit log of the matrix', () => {
  function namesCaller(event: AuditEvent, caller: MatrixCaller): boolean {
    return (event.agent ?? []).some((agent) => agent.who?.identifier?.system === caller.agent.system && agent.who?.identifier?.value === caller.agent.value);
  }

  it('every request of every caller, and every batch entry, has exactly one AuditEvent with its outcome', async () => {
    await flint.audit?.flush();
    const events = await storedEvents(flint.db);
    for (const caller of world.callers) {
      const expected = [...(expectedEvents.get(caller.name) ?? [])].sort();
      const recorded = events.filter((event) => namesCaller(event, caller)).map((event) => event.outcome as string).sort();
      assert.ok(expected.length > 0, `${caller.name} made requests`);
      assert.deepEqual(recorded, expected, `${caller.name}: the outcomes of its AuditEvents`);
    }
  });
});
