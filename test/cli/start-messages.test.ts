/**
 * What `flint serve` prints while starting: each step through the progress callback of createFlint,
 * then the ready lines with the address a person types; nothing when the log level is warn or less.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readyLines, serverOrigin, startPrinter } from '../../src/cli/start-messages.js';
import { createFlint } from '../../src/server.js';
import { openTestDatabase } from '../support/test-database.js';
import { testConfig } from '../support/test-server.js';

describe('start-up messages', () => {
  it('name the address a person types', () => {
    const cases: [string, number, string | undefined, string][] = [
      ['0.0.0.0', 8080, undefined, 'http://localhost:8080'],
      ['::', 8080, undefined, 'http://localhost:8080'],
      ['127.0.0.1', 18400, undefined, 'http://127.0.0.1:18400'],
      ['::1', 8080, undefined, 'http://[::1]:8080'],
      ['0.0.0.0', 8080, 'https://fhir.example.org/fhir', 'https://fhir.example.org'],
    ];
    for (const [host, port, baseUrl, origin] of cases) assert.equal(serverOrigin({ host, port, baseUrl }), origin);
    const lines = readyLines({ host: '0.0.0.0', port: 8080 }, 'PostgreSQL at db:5432/flint', 1.25);
    assert.equal(lines[0], 'flint: ready in 1.3 s');
    assert.ok(lines.some((line) => line.includes('http://localhost:8080/fhir')));
    assert.ok(lines.some((line) => line.startsWith('  sign-in         every request needs credentials')));
    const open = readyLines({ host: '127.0.0.1', port: 8080, auth: 'off' }, 'the embedded database', 1);
    assert.ok(open.some((line) => line.startsWith('  sign-in         none (FLINT_AUTH=off)')));
  });

  it('are printed at info and more verbose levels only', () => {
    const printed: string[] = [];
    for (const logLevel of ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']) startPrinter({ logLevel }, (line) => printed.push(line))(logLevel);
    assert.deepEqual(printed, ['trace', 'debug', 'info']);
  });

  it('follow each step of the start', async () => {
    const testDb = await openTestDatabase();
    const steps: string[] = [];
    const flint = await createFlint(testConfig(), { db: testDb.db, progress: (message) => steps.push(message) });
    try {
      assert.deepEqual(steps, [
        'preparing the system schema and the search functions',
        'loading the FHIR R4 core definitions',
        'loading the stored definitions, storages and APIs',
      ]);
    } finally {
      await flint.close();
      await testDb.close();
    }
  });
});
