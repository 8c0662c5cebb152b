/**
 * The init bundle (FLINT_INIT_BUNDLE) runs at start, before the server takes requests: a batch or
 * transaction Bundle that sets the server up, written to be idempotent so every start may run it.
 * A failing transaction stops the start with the OperationOutcome's diagnostics in the message (and
 * the command line exits with a non-zero code); a batch with failed entries starts, with an error
 * line per failed entry (request, status, outcome text) and a warning that sums them up.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { readConfig } from '../../src/config.js';
import { createFlint, type Flint } from '../../src/server.js';
import { freshDataFolder, type DataFolder } from '../support/data-folder.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';
import { ROOT_BASIC, TEST_ROOT_SECRET, testConfig } from '../support/test-server.js';
import { apiParams, parameters, PATIENT, storageParams, string, tableExists, valueOf } from './platform-helpers.js';

let bundles: DataFolder;
let folder: string;
before(() => { bundles = freshDataFolder('init'); folder = bundles.path; });
after(() => bundles.remove());

async function bundleFile(name: string, content: unknown): Promise<string> {
  const file = join(folder, name);
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const operation = (name: string, params: object[]) => ({ resource: parameters(params as never), request: { method: 'POST', url: `$${name}` } });

const gizmoDefinition = {
  resourceType: 'StructureDefinition', id: 'gizmo', url: 'http://example.org/fhir/StructureDefinition/Gizmo', name: 'Gizmo', status: 'active',
  kind: 'resource', abstract: false, type: 'Gizmo', baseDefinition: 'http://hl7.org/fhir/StructureDefinition/DomainResource',
  derivation: 'specialization', differential: { element: [{ id: 'Gizmo', path: 'Gizmo' }, { id: 'Gizmo.label', path: 'Gizmo.label', type: [{ code: 'string' }] }] },
};

/** Sets up a custom type with its storage and API, then stores a resource of it: each entry after the one before. */
const setUpBatch = {
  resourceType: 'Bundle', type: 'batch', entry: [
    { resource: gizmoDefinition, request: { method: 'PUT', url: 'StructureDefinition/gizmo' } },
    operation('create-storage', storageParams({ sd: gizmoDefinition.url, table: 'gizmos', history: true, historyTable: 'gizmos_history', id: 'gizmo-storage', ifNoneExist: true })),
    operation('create-api', apiParams({ type: 'Gizmo', storageId: 'gizmo-storage', id: 'gizmo-api', ifNoneExist: true })),
    { resource: { resourceType: 'Gizmo', id: 'g1', label: 'first' }, request: { method: 'PUT', url: 'Gizmo/g1' } },
  ],
};

async function start(testDb: TestDatabase, initBundle: string, overrides: object = {}, logStream?: NodeJS.WritableStream): Promise<Flint> {
  return createFlint(testConfig({ enableApiAutoMount: false, initBundle, ...overrides }), { db: testDb.db, logStream });
}

describe('an init bundle', () => {
  it('sets the server up before it starts, and runs again at the next start, keeping one storage and one API', async () => {
    const testDb = await openTestDatabase();
    try {
      const file = await bundleFile('set-up.json', setUpBatch);
      const first = await start(testDb, file);
      const gizmo = await first.app.inject({ method: 'GET', url: '/fhir/Gizmo/g1', headers: { authorization: ROOT_BASIC } });
      assert.equal(gizmo.statusCode, 200);
      const version = JSON.parse(gizmo.body).meta.versionId;
      await first.close();
      const second = await start(testDb, file);
      const storages = JSON.parse((await second.app.inject({ method: 'POST', url: '/fhir/$list-storage', headers: { authorization: ROOT_BASIC } })).body);
      assert.deepEqual(storages.entry.map((entry: any) => valueOf(entry.resource, 'storageId')), ['gizmo-storage']);
      const apis = JSON.parse((await second.app.inject({ method: 'POST', url: '/fhir/$list-api', headers: { authorization: ROOT_BASIC } })).body);
      assert.deepEqual(apis.entry.map((entry: any) => valueOf(entry.resource, 'apiId')), ['gizmo-api']);
      const again = JSON.parse((await second.app.inject({ method: 'GET', url: '/fhir/Gizmo/g1', headers: { authorization: ROOT_BASIC } })).body);
      assert.equal(again.label, 'first');
      assert.ok(Number(again.meta.versionId) > Number(version));
      await second.close();
    } finally {
      await testDb.close();
    }
  });

  it('can be a transaction that defines a type and its storage and API together', async () => {
    const testDb = await openTestDatabase();
    try {
      const file = await bundleFile('transaction.json', {
        resourceType: 'Bundle', type: 'transaction', entry: [
          { fullUrl: 'urn:uuid:0b7c1a4e-0000-4000-8000-000000000001', resource: { ...gizmoDefinition, id: undefined }, request: { method: 'POST', url: 'StructureDefinition' } },
          operation('create-storage', storageParams({ sd: gizmoDefinition.url, table: 'gizmos', id: 'gizmo-storage' })),
          operation('create-api', apiParams({ type: 'Gizmo', storageId: 'gizmo-storage', id: 'gizmo-api' })),
        ],
      });
      const flint = await start(testDb, file);
      const created = await flint.app.inject({
        method: 'POST', url: '/fhir/Gizmo', headers: { authorization: ROOT_BASIC, 'content-type': 'application/fhir+json' }, payload: JSON.stringify({ resourceType: 'Gizmo', label: 'x' }),
      });
      assert.equal(created.statusCode, 201);
      assert.equal(flint.ctx.storages.storageFor('Gizmo')?.table, 'gizmos');
      await flint.close();
    } finally {
      await testDb.close();
    }
  });

  it('stops the start when its transaction fails, with the diagnostics in the message, and changes nothing', async () => {
    const testDb = await openTestDatabase();
    try {
      const file = await bundleFile('failing.json', {
        resourceType: 'Bundle', type: 'transaction', entry: [
          operation('create-storage', storageParams({ sd: PATIENT, table: 'people', id: 'people' })),
          operation('create-storage', storageParams({ sd: PATIENT, table: 'Bad Name' })),
        ],
      });
      await assert.rejects(start(testDb, file), (error: Error) => error.name === 'InitBundleError'
        && error.message.includes(file) && error.message.includes('tableName "Bad Name" is not a valid identifier'));
      const flint = await start(testDb, '');
      assert.deepEqual(JSON.parse((await flint.app.inject({ method: 'POST', url: '/fhir/$list-storage', headers: { authorization: ROOT_BASIC } })).body).entry, []);
      assert.equal(await tableExists(testDb, 'people'), false);
      await flint.close();
    } finally {
      await testDb.close();
    }
  });

  it('stops the start when a resource of its transaction is invalid, and stores none of its entries', async () => {
    const testDb = await openTestDatabase();
    try {
      const file = await bundleFile('invalid-resource.json', {
        resourceType: 'Bundle', type: 'transaction', entry: [
          { resource: gizmoDefinition, request: { method: 'PUT', url: 'StructureDefinition/gizmo' } },
          { resource: { resourceType: 'StructureDefinition', id: 'no-url', name: 'NoUrl', status: 'draft', kind: 'resource', abstract: true, type: 'Patient', differential: { element: [] } },
            request: { method: 'PUT', url: 'StructureDefinition/no-url' } },
        ],
      });
      await assert.rejects(start(testDb, file), (error: Error) => error.name === 'InitBundleError' && error.message.includes('Bundle.entry[1]'));
      const flint = await start(testDb, '');
      assert.equal((await flint.app.inject({ method: 'GET', url: '/fhir/StructureDefinition/gizmo', headers: { authorization: ROOT_BASIC } })).statusCode, 404);
      assert.equal(flint.ctx.model.getType('Gizmo'), undefined);
      await flint.close();
    } finally {
      await testDb.close();
    }
  });

  it('says loudly which entries of a batch failed, with their status and text, sums them up, and starts', async () => {
    const testDb = await openTestDatabase();
    const lines: any[] = [];
    const stream = new PassThrough();
    stream.on('data', (chunk) => String(chunk).split('\n').filter(Boolean).forEach((line) => lines.push(JSON.parse(line))));
    try {
      const file = await bundleFile('batch.json', {
        resourceType: 'Bundle', type: 'batch', entry: [
          operation('create-storage', storageParams({ sd: PATIENT, table: 'Bad Name' })),
          operation('create-storage', storageParams({ sd: PATIENT, table: 'people', id: 'people' })),
          { resource: { resourceType: 'StructureDefinition', name: 'NoUrl', status: 'draft', kind: 'resource', abstract: false, type: 'Patient' }, request: { method: 'POST', url: 'StructureDefinition' } },
        ],
      });
      const flint = await start(testDb, file, { logLevel: 'warn' }, stream);
      const failed = lines.filter((line) => line.msg.includes('an entry of the init bundle failed'));
      assert.deepEqual(failed.map((line) => [line.level, line.entry, line.request, line.status]), [
        [50, 0, 'POST $create-storage', '422 Unprocessable Entity'],
        [50, 2, 'POST StructureDefinition', '422 Unprocessable Entity'],
      ]);
      assert.match(failed[0].diagnostics, /Bad Name/);
      assert.match(failed[1].diagnostics, /StructureDefinition\.url/);
      for (const line of failed) assert.ok(line.msg.endsWith(`${line.status}: ${line.diagnostics}`), line.msg);
      const summary = lines.filter((line) => line.msg.includes('entries of the init bundle failed'));
      assert.deepEqual(summary.map((line) => [line.level, line.failed, line.entries]), [[40, 2, 3]]);
      assert.match(summary[0].msg, /2 of 3/);
      assert.ok(flint.platform.registry.storage('people'));
      await flint.close();
    } finally {
      await testDb.close();
    }
  });

  it('sums up a batch whose entries all succeed as information', async () => {
    const testDb = await openTestDatabase();
    const lines: any[] = [];
    const stream = new PassThrough();
    stream.on('data', (chunk) => String(chunk).split('\n').filter(Boolean).forEach((line) => lines.push(JSON.parse(line))));
    try {
      const file = await bundleFile('fine-batch.json', {
        resourceType: 'Bundle', type: 'batch', entry: [{ resource: { resourceType: 'Patient', id: 'p1' }, request: { method: 'PUT', url: 'Patient/p1' } }],
      });
      const flint = await start(testDb, file, { logLevel: 'info', enableApiAutoMount: true }, stream);
      assert.deepEqual(lines.filter((line) => line.level >= 40 && line.file === file), []);
      assert.deepEqual(lines.filter((line) => line.msg === 'ran the init bundle').map((line) => [line.level, line.failed, line.entries]), [[30, 0, 1]]);
      await flint.close();
    } finally {
      await testDb.close();
    }
  });

  describe('that cannot be used', () => {
    // The start fails on reading the file, before it writes anything: one database serves all.
    let testDb: TestDatabase;
    before(async () => { testDb = await openTestDatabase(); });
    after(async () => { await testDb.close(); });

    const unusable: [string, string | object, RegExp][] = [
      ['a file that is not JSON', '{ not json', /is not valid JSON/],
      ['a resource that is not a Bundle', { resourceType: 'Patient' }, /must hold a Bundle of type transaction or batch/],
      ['a Bundle of another type', { resourceType: 'Bundle', type: 'collection' }, /must hold a Bundle of type transaction or batch/],
    ];
    for (const [title, content, message] of unusable) {
      it(`stops the start when it is ${title}`, async () => {
        const file = await bundleFile(`unusable-${title.length}.json`, content);
        await assert.rejects(start(testDb, file), message);
      });
    }

    it('stops the start when the file is missing', async () => {
      await assert.rejects(start(testDb, join(folder, 'missing.json')), /cannot be read/);
    });
  });
});

describe('the command line with a failing init bundle', () => {
  it('exits with a non-zero code and the diagnostics on stderr', async () => {
    const file = await bundleFile('cli-failing.json', {
      resourceType: 'Bundle', type: 'transaction',
      entry: [operation('create-api', [string('resourceType', 'Patient'), string('storageId', 'nothing-here'), string('apiTemplate', 'pre-2604')])],
    });
    const data = freshDataFolder('init-cli');
    const testDb = process.env.DATABASE_URL ? await openTestDatabase() : undefined;
    try {
      // Default settings, so a new embedded data folder starts from the prepared template instead of
      // being created (which takes most of a first start); the bundle fails the same way either way.
      const env = {
        ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', FLINT_INIT_BUNDLE: file, FLINT_ROOT_CLIENT_SECRET: TEST_ROOT_SECRET,
        ...(testDb?.url ? { DATABASE_URL: testDb.url } : { DATABASE_URL: '', FLINT_DATA_DIR: data.path }),
      };
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
        cwd: fileURLToPath(new URL('../..', import.meta.url)), env, stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk) => { stderr += String(chunk); });
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      assert.equal(code, 1);
      assert.match(stderr, /flint failed to start: FLINT_INIT_BUNDLE .*cli-failing\.json: the transaction failed: .*No storage has the storageId nothing-here/);
    } finally {
      await testDb?.close();
      await data.remove();
    }
  });
});

describe('settings', () => {
  it('read FLINT_ENABLE_API_AUTO_MOUNT (default true) and FLINT_INIT_BUNDLE', () => {
    assert.equal(readConfig({}).enableApiAutoMount, true);
    assert.equal(readConfig({ FLINT_ENABLE_API_AUTO_MOUNT: 'false' }).enableApiAutoMount, false);
    assert.equal(readConfig({ FLINT_ENABLE_API_AUTO_MOUNT: 'true' }).enableApiAutoMount, true);
    assert.throws(() => readConfig({ FLINT_ENABLE_API_AUTO_MOUNT: 'yes' }), /FLINT_ENABLE_API_AUTO_MOUNT/);
    assert.equal(readConfig({}).initBundle, undefined);
    assert.equal(readConfig({ FLINT_INIT_BUNDLE: '/etc/flint/init.json' }).initBundle, '/etc/flint/init.json');
  });
});
