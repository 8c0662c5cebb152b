/**
 * FLINT_AUTH=off, for local development only, turns authentication off on purpose (this file is
 * about that setting): requests without credentials are served, the start logs a warning and so
 * does every 1000th request; a server that would listen on an address other than loopback refuses
 * to start unless FLINT_AUTH_OFF_I_UNDERSTAND=1 says so.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { readConfig } from '../../src/config.js';
import { createFlint } from '../../src/server.js';
import { openTestDatabase } from '../support/test-database.js';
import { startTestFlint, testConfig, type TestFlint } from '../support/test-server.js';

let flint: TestFlint;
const lines: { level: number; msg: string }[] = [];

before(async () => {
  const stream = new PassThrough();
  stream.on('data', (chunk) => String(chunk).split('\n').filter(Boolean).forEach((line) => lines.push(JSON.parse(line))));
  flint = await startTestFlint({ auth: 'off', host: '127.0.0.1', logLevel: 'warn' }, stream);
});
after(async () => { await flint.stop(); });

const PER_REQUEST_WARNING = 'authentication is off (FLINT_AUTH=off): every request has full access';
const warnings = (text: string) => lines.filter((line) => line.level === 40 && line.msg.startsWith(text));

describe('FLINT_AUTH=off', () => {
  it('is read from the environment: on by default, off, and nothing else', () => {
    assert.equal(readConfig({}).auth, 'on');
    assert.equal(readConfig({ FLINT_AUTH: 'off' }).auth, 'off');
    assert.throws(() => readConfig({ FLINT_AUTH: 'no' }), /FLINT_AUTH/);
    assert.equal(readConfig({}).authOffUnderstood, false);
    assert.equal(readConfig({ FLINT_AUTH_OFF_I_UNDERSTAND: '1' }).authOffUnderstood, true);
  });

  it('serves requests without credentials, administrative ones too', async () => {
    const created = await flint.post('/fhir/Patient', { resourceType: 'Patient', active: true }, { anonymous: true });
    assert.equal(created.status, 201);
    assert.equal((await flint.get(`/fhir/Patient/${created.body.id}`, { anonymous: true })).status, 200);
    assert.equal((await flint.post('/$sql', undefined, { anonymous: true, raw: 'SELECT 1', contentType: 'text/plain' })).status, 200);
  });

  it('logs a warning at start', () => {
    assert.equal(warnings('authentication is off (FLINT_AUTH=off): anyone who reaches the port has full access').length, 1);
  });

  it('logs a warning on every 1000th request', async () => {
    const count = () => warnings(PER_REQUEST_WARNING).length;
    const send = () => flint.app.inject({ method: 'GET', url: '/no-such-path' });
    // Up to the next warning (the requests above counted too), then exactly one per 1000 requests.
    const first = count();
    let sent = 0;
    while (count() === first && sent < 1000) { await send(); sent++; }
    assert.equal(count(), first + 1, 'a warning within 1000 requests');
    for (let i = 1; i < 1000; i++) await send();
    assert.equal(count(), first + 1, 'none for the next 999');
    await send();
    assert.equal(count(), first + 2, 'one at the 1000th');
  });
});

describe('FLINT_AUTH=off on an address other than loopback', () => {
  it('refuses to start without FLINT_AUTH_OFF_I_UNDERSTAND=1, and starts with it or on 127.0.0.1', async () => {
    const testDb = await openTestDatabase();
    try {
      for (const host of ['0.0.0.0', '::', '10.1.2.3']) {
        await assert.rejects(createFlint(testConfig({ auth: 'off', host }), { db: testDb.db }), /FLINT_AUTH_OFF_I_UNDERSTAND=1/, host);
      }
      for (const overrides of [{ host: '0.0.0.0', authOffUnderstood: true }, { host: '127.0.0.1' }, { host: '::1' }, { host: '0.0.0.0', auth: 'on' as const }]) {
        const started = await createFlint(testConfig({ auth: 'off', ...overrides }), { db: testDb.db });
        await started.close();
      }
    } finally {
      await testDb.close();
    }
  });
});
