/**
 * $materialize, $refresh and $drop: ViewDefinitions as views, materialized views and tables in
 * schema sof, queried with plain SQL; a failure leaves schema sof as it was; an object of another
 * ViewDefinition is never replaced.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from '../../src/sql/index.js';
import { issueCodes, startTestFlint, type TestFlint } from '../support/test-server.js';

let flint: TestFlint;
before(async () => { flint = await startTestFlint(); });
after(async () => { await flint.stop(); });

const patientView = (name: string, extra: Record<string, unknown> = {}) => ({
  resourceType: 'ViewDefinition', name, status: 'active', resource: 'Patient',
  select: [{ column: [{ name: 'id', path: 'getResourceKey()' }, { name: 'gender', path: 'gender' }, { name: 'born', path: 'birthDate' }] }],
  ...extra,
});

async function createView(view: unknown): Promise<string> {
  const answer = await flint.post('/fhir/ViewDefinition', view);
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body.id;
}

const materialize = (id: string, kind?: string) =>
  flint.post(`/fhir/ViewDefinition/${id}/$materialize`, { resourceType: 'Parameters', parameter: kind ? [{ name: 'kind', valueCode: kind }] : [] });

async function count(relation: string): Promise<number> {
  const answer = await flint.post('/$sql', undefined, { raw: `SELECT count(*) AS n FROM ${relation}`, contentType: 'text/plain' });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body[0].n;
}

async function sofObjects(): Promise<{ relname: string; relkind: string }[]> {
  const { rows } = await flint.db.query<{ relname: string; relkind: string }>(sql`
    SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'sof' AND c.relkind IN ('v', 'm', 'r') ORDER BY c.relname`);
  return rows;
}

const addPatient = (gender: string) => flint.post('/fhir/Patient', { resourceType: 'Patient', gender, birthDate: '1990-01-02' });

describe('kinds', () => {
  it('a view (the default) always reflects the current data', async () => {
    const id = await createView(patientView('patients_now'));
    const answer = await materialize(id);
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.parameter.slice(0, 2), [{ name: 'name', valueString: 'sof.patients_now' }, { name: 'kind', valueCode: 'view' }]);
    const before = await count('sof.patients_now');
    await addPatient('female');
    assert.equal(await count('sof.patients_now'), before + 1);
    const rows = await flint.post('/$sql', undefined, { raw: "SELECT gender, born FROM sof.patients_now WHERE gender = 'female' LIMIT 1", contentType: 'text/plain' });
    assert.deepEqual(rows.body, [{ gender: 'female', born: '1990-01-02' }]);
  });

  it('a materialized view is a snapshot until $refresh', async () => {
    const id = await createView(patientView('patients_snapshot'));
    assert.equal((await materialize(id, 'materialized-view')).status, 200);
    const before = await count('sof.patients_snapshot');
    await addPatient('male');
    assert.equal(await count('sof.patients_snapshot'), before);
    const refreshed = await flint.post(`/fhir/ViewDefinition/${id}/$refresh`, { resourceType: 'Parameters' });
    assert.equal(refreshed.status, 200);
    assert.equal(await count('sof.patients_snapshot'), before + 1);
  });

  it('a table is a snapshot until $refresh, keeping what was added to it', async () => {
    const id = await createView(patientView('patients_table'));
    assert.equal((await materialize(id, 'table')).status, 200);
    await flint.db.query(sql`CREATE INDEX patients_table_gender ON sof.patients_table (gender)`);
    const before = await count('sof.patients_table');
    await addPatient('other');
    assert.equal(await count('sof.patients_table'), before);
    await flint.post(`/fhir/ViewDefinition/${id}/$refresh`, { resourceType: 'Parameters' });
    assert.equal(await count('sof.patients_table'), before + 1);
    const { rows } = await flint.db.query(sql`SELECT 1 FROM pg_indexes WHERE schemaname = 'sof' AND indexname = 'patients_table_gender'`);
    assert.equal(rows.length, 1);
  });

  it('materializing again replaces the object, also with another kind', async () => {
    const id = await createView(patientView('patients_again'));
    await materialize(id, 'table');
    assert.equal((await materialize(id, 'view')).status, 200);
    assert.deepEqual((await sofObjects()).filter((o) => o.relname === 'patients_again'), [{ relname: 'patients_again', relkind: 'v' }]);
  });

  it('follows a renamed ViewDefinition, and $drop removes what it made', async () => {
    const id = await createView(patientView('patients_old'));
    await materialize(id);
    const renamed = await flint.put(`/fhir/ViewDefinition/${id}`, { ...patientView('patients_new'), id });
    assert.equal(renamed.status, 200);
    await materialize(id);
    const names = (await sofObjects()).map((o) => o.relname);
    assert.ok(names.includes('patients_new') && !names.includes('patients_old'));
    const dropped = await flint.post(`/fhir/ViewDefinition/${id}/$drop`, { resourceType: 'Parameters' });
    assert.deepEqual(dropped.body.parameter, [{ name: 'dropped', valueString: 'sof.patients_new' }]);
    assert.ok(!(await sofObjects()).some((o) => o.relname === 'patients_new'));
  });
});

describe('failures leave schema sof as it was', () => {
  it('an object of another ViewDefinition is not replaced (409)', async () => {
    const first = await createView(patientView('patients_shared'));
    const second = await createView(patientView('patients_shared'));
    await materialize(first, 'table');
    const answer = await materialize(second);
    assert.equal(answer.status, 409);
    assert.deepEqual(issueCodes(answer.body), ['sof.name-taken']);
    assert.deepEqual((await sofObjects()).filter((o) => o.relname === 'patients_shared'), [{ relname: 'patients_shared', relkind: 'r' }]);
  });

  it('a view failing on the data creates nothing and keeps the previous object', async () => {
    const id = await createView(patientView('patients_failing'));
    await materialize(id, 'view');
    await flint.post('/fhir/Patient', { resourceType: 'Patient', name: [{ family: 'a' }, { family: 'b' }] });
    const changed = patientView('patients_failing', { select: [{ column: [{ name: 'family', path: 'name.family' }] }] });
    assert.equal((await flint.put(`/fhir/ViewDefinition/${id}`, { ...changed, id })).status, 200);
    const answer = await materialize(id, 'table');
    assert.equal(answer.status, 422);
    assert.deepEqual(issueCodes(answer.body), ['sof.multiple-values']);
    assert.deepEqual((await sofObjects()).filter((o) => o.relname === 'patients_failing'), [{ relname: 'patients_failing', relkind: 'v' }]);
  });

  it('a view without a name cannot be materialized (422)', async () => {
    const { name: _name, ...unnamed } = patientView('x');
    const id = await createView(unnamed);
    const before = await sofObjects();
    const answer = await materialize(id);
    assert.equal(answer.status, 422);
    assert.deepEqual(issueCodes(answer.body), ['sof.missing-name']);
    assert.deepEqual(await sofObjects(), before);
  });

  it('refuses an unknown kind, GET, and $refresh of what was never materialized', async () => {
    const id = await createView(patientView('patients_never'));
    assert.equal((await materialize(id, 'index')).status, 400);
    assert.equal((await flint.get(`/fhir/ViewDefinition/${id}/$materialize`)).status, 405);
    const refresh = await flint.post(`/fhir/ViewDefinition/${id}/$refresh`, { resourceType: 'Parameters' });
    assert.equal(refresh.status, 404);
  });
});
