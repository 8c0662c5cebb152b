/**
 * Two server processes on one PostgreSQL database: a definition written through one takes effect on
 * the other within a second, without a restart (LISTEN/NOTIFY). Needs the real PostgreSQL; the
 * embedded database belongs to one process.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fetchAsRoot, startServerProcess, type ServerProcess } from '../support/server-process.js';
import { startTestFlint, type TestFlint } from '../support/test-server.js';
import { widgetDefinition } from '../support/custom-types.js';
import { sql } from '../../src/sql/index.js';
import { within } from '../support/eventually.js';

const onPostgres = Boolean(process.env.DATABASE_URL);
let flint: TestFlint;
let other: ServerProcess;

before(async () => {
  if (!onPostgres) return;
  flint = await startTestFlint();
  other = await startServerProcess({ DATABASE_URL: flint.testDb.url as string });
});
after(async () => {
  if (!onPostgres) return;
  await other.stop();
  await flint.stop();
});

describe('metadata across processes', { skip: onPostgres ? false : 'needs the real PostgreSQL (DATABASE_URL)' }, () => {
  it('a new resource type is served by the other process within a second', async () => {
    assert.equal((await flint.post('/fhir/StructureDefinition', widgetDefinition('Sprocket'))).status, 201);
    await within(1000, async () => (await fetchAsRoot(`${other.baseUrl}/fhir/Sprocket`, {
      method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify({ resourceType: 'Sprocket', name: 's' }),
    })).status === 201);
  });

  it('a new search parameter appears in the other process within a second, and goes away', async () => {
    const parameter = {
      resourceType: 'SearchParameter', url: 'http://example.org/fhir/SearchParameter/sprocket-name', name: 'name', status: 'active',
      description: 'name', code: 'name', base: ['Sprocket'], type: 'string', expression: 'Sprocket.name',
    };
    const created = (await flint.post('/fhir/SearchParameter', parameter)).body;
    const listed = async () => {
      const statement = await (await fetchAsRoot(`${other.baseUrl}/fhir/metadata`)).json() as any;
      const sprocket = statement.rest[0].resource.find((resource: any) => resource.type === 'Sprocket');
      return Boolean(sprocket?.searchParam?.some((param: any) => param.name === 'name'));
    };
    await within(1000, listed);
    const found = await fetchAsRoot(`${other.baseUrl}/fhir/Sprocket?name=s`, { headers: { prefer: 'handling=strict' } });
    assert.equal(found.status, 200);
    assert.ok(((await found.json()) as any).entry.length > 0);
    await flint.delete(`/fhir/SearchParameter/${created.id}`);
    await within(1000, async () => !(await listed()));
  });

  it('keeps following changes after the listening connection is lost', async () => {
    const { rows } = await flint.db.query<{ n: string }>(sql`
      SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity
      WHERE datname = current_database() AND query LIKE 'LISTEN%'`);
    assert.ok(Number(rows[0].n) >= 1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal((await flint.post('/fhir/StructureDefinition', widgetDefinition('Cog'))).status, 201);
    await within(5000, async () => (await fetchAsRoot(`${other.baseUrl}/fhir/Cog?_count=1`)).status === 200);
  });
});
