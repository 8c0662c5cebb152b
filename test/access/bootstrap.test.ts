/**
 * The identities a server has from its first start: FLINT_ROOT_CLIENT_SECRET creates the root
 * client, and a restart with the same secret adds no version while a changed one replaces it;
 * without it, a fresh database gets a generated secret, announced once (through createFlint's
 * progress, which the command line prints) and stored only as a hash; FLINT_ADMIN_PASSWORD
 * creates User admin with Role admin. The command line prints the generated secret (whatever the
 * log level), and it works.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { ADMIN_USER_ID, hasAdminRole, readCredential, ROOT_CLIENT_ID, verifySecret } from '../../src/access/index.js';
import { createFlint, type Flint } from '../../src/server.js';
import { freshDataFolder } from '../support/data-folder.js';
import { freePort } from '../support/server-process.js';
import { openTestDatabase, usingPostgres, type TestDatabase } from '../support/test-database.js';
import { testConfig } from '../support/test-server.js';
import { basic } from './access-helpers.js';

let testDb: TestDatabase;
before(async () => { testDb = await openTestDatabase(); });
after(async () => { await testDb.close(); });

/** Starts a server on the test database with these identity settings, runs fn, closes it. */
async function withServer<T>(settings: { rootClientSecret?: string; adminPassword?: string }, fn: (flint: Flint, heard: string[]) => Promise<T>): Promise<T> {
  const heard: string[] = [];
  const flint = await createFlint(testConfig({ rootClientSecret: undefined, ...settings }), { db: testDb.db, progress: (message) => heard.push(message) });
  try {
    return await fn(flint, heard);
  } finally {
    await flint.close();
  }
}

async function status(flint: Flint, authorization: string): Promise<number> {
  return (await flint.app.inject({ method: 'GET', url: '/fhir/Patient?_count=1', headers: { authorization } })).statusCode;
}

async function rootVersions(flint: Flint, authorization: string): Promise<number> {
  const history = await flint.app.inject({ method: 'GET', url: '/fhir/Client/root/_history', headers: { authorization } });
  assert.equal(history.statusCode, 200, history.body);
  return JSON.parse(history.body).total as number;
}

const GENERATED = /generated the root client's secret \(stored only as a hash, shown this once\): (\S+)/;

describe('the root client', () => {
  it('is created from a fresh database with a generated secret, announced once and stored as a hash only', async () => {
    const secret = await withServer({}, async (flint, heard) => {
      const announced = heard.map((message) => GENERATED.exec(message)?.[1]).filter((found) => found !== undefined);
      assert.equal(announced.length, 1, heard.join('\n'));
      const generated = announced[0]!;
      assert.ok(generated.length >= 32, 'a strong secret');
      assert.ok(heard.some((message) => message.includes(`curl -u root:${generated} `)), 'it says how to use it');
      assert.equal(await status(flint, basic(ROOT_CLIENT_ID, generated)), 200);
      const stored = await readCredential(testDb.db, 'Client', ROOT_CLIENT_ID);
      assert.match(stored ?? '', /^scrypt\$/);
      assert.equal(stored!.includes(generated), false);
      assert.equal(await verifySecret(generated, stored!), true);
      const read = await flint.app.inject({ method: 'GET', url: '/fhir/Client/root', headers: { authorization: basic(ROOT_CLIENT_ID, generated) } });
      assert.equal(read.body.includes(generated), false);
      assert.deepEqual(JSON.parse(read.body).grant_types, ['basic', 'client_credentials']);
      return generated;
    });
    await withServer({}, async (flint, heard) => {
      assert.deepEqual(heard.filter((message) => GENERATED.test(message)), [], 'a second start announces nothing');
      assert.equal(await status(flint, basic(ROOT_CLIENT_ID, secret)), 200, 'and keeps the secret');
    });
  });

  it('takes FLINT_ROOT_CLIENT_SECRET, adds no version when it is the same at the next start, and is replaced when it changes', async () => {
    const first = basic(ROOT_CLIENT_ID, 'chosen-secret-1');
    const versions = await withServer({ rootClientSecret: 'chosen-secret-1' }, async (flint, heard) => {
      assert.deepEqual(heard.filter((message) => GENERATED.test(message)), []);
      assert.equal(await status(flint, first), 200);
      return rootVersions(flint, first);
    });
    await withServer({ rootClientSecret: 'chosen-secret-1' }, async (flint) => {
      assert.equal(await rootVersions(flint, first), versions, 'a restart with the same secret adds no version');
    });
    await withServer({ rootClientSecret: 'chosen-secret-2' }, async (flint) => {
      const second = basic(ROOT_CLIENT_ID, 'chosen-secret-2');
      assert.equal(await status(flint, first), 401, 'the old secret stops working');
      assert.equal(await status(flint, second), 200);
      assert.equal(await rootVersions(flint, second), versions + 1);
    });
  });
});

describe('FLINT_ADMIN_PASSWORD', () => {
  it('creates User admin with Role admin, and a restart with the same password adds no version', async () => {
    const root = basic(ROOT_CLIENT_ID, 'chosen-secret-2');
    const versions = await withServer({ rootClientSecret: 'chosen-secret-2', adminPassword: 'admin-password-1' }, async (flint) => {
      const user = await flint.app.inject({ method: 'GET', url: `/fhir/User/${ADMIN_USER_ID}`, headers: { authorization: root } });
      assert.equal(user.statusCode, 200);
      assert.equal(user.body.includes('admin-password-1'), false);
      assert.equal(await hasAdminRole(flint.ctx, ADMIN_USER_ID), true);
      assert.equal(await verifySecret('admin-password-1', (await readCredential(testDb.db, 'User', ADMIN_USER_ID))!), true);
      return JSON.parse(user.body).meta.versionId as string;
    });
    await withServer({ rootClientSecret: 'chosen-secret-2', adminPassword: 'admin-password-1' }, async (flint) => {
      const user = await flint.app.inject({ method: 'GET', url: `/fhir/User/${ADMIN_USER_ID}`, headers: { authorization: root } });
      assert.equal(JSON.parse(user.body).meta.versionId, versions);
    });
  });
});

describe('the command line on a fresh database', () => {
  it('prints the generated secret once, even at LOG_LEVEL=warn, and requests with it are served', { timeout: 240_000 }, async () => {
    const data = freshDataFolder('bootstrap-cli');
    const fresh = usingPostgres() ? await openTestDatabase() : undefined;
    const port = await freePort();
    const env = {
      ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', FLINT_ROOT_CLIENT_SECRET: '',
      ...(fresh?.url ? { DATABASE_URL: fresh.url } : { DATABASE_URL: '', FLINT_DATA_DIR: data.path }),
    };
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)), env, stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += String(chunk); });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      const url = `http://127.0.0.1:${port}/fhir/Patient`;
      const healthy = () => fetch(`http://127.0.0.1:${port}/health`).then((answer) => answer.ok, () => false);
      while (child.exitCode === null && !(await healthy())) await new Promise((resolve) => setTimeout(resolve, 200));
      const secret = GENERATED.exec(stderr)?.[1];
      assert.ok(secret, stderr);
      assert.equal(stderr.split(secret).length - 1, 2, 'the secret is printed in the announcement and its curl line only');
      assert.equal(stderr.includes('flint: ready'), false, 'the other start-up lines are quiet at warn');
      assert.equal((await fetch(url)).status, 401);
      assert.equal((await fetch(url, { headers: { authorization: basic(ROOT_CLIENT_ID, secret) } })).status, 200);
    } finally {
      child.kill('SIGTERM');
      await exited;
      await fresh?.close();
      await data.remove();
    }
  });
});
