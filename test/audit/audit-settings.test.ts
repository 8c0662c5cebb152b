/**
 * The settings of the audit log: FLINT_AUDIT_READS=off records writes and refusals but no reads,
 * searches or history; queued events reach the table within FLINT_AUDIT_FLUSH_MS without an
 * explicit flush; FLINT_AUDIT=off records nothing (and still keeps AuditEvents append-only);
 * FLINT_AUDIT_FORWARD_URL posts each batch to an external repository as a transaction Bundle,
 * with its Authorization header, and retries a batch the repository first refused with 500.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { describe, it } from 'node:test';
import { readConfig } from '../../src/config.js';
import { startTestFlint, usingPostgresNote } from '../support/test-server.js';
import { basic, putClient } from '../access/access-helpers.js';
import { eventsAbout, storedEvents, subtypeOf } from './audit-support.js';

describe(`audit settings (${usingPostgresNote()})`, () => {
  it('reads the settings with their defaults, and refuses bad values', () => {
    const defaults = readConfig({});
    assert.deepEqual([defaults.audit, defaults.auditReads, defaults.auditFlushMs, defaults.auditForwardUrl], ['on', 'on', 1000, undefined]);
    assert.throws(() => readConfig({ FLINT_AUDIT: 'maybe' }), /FLINT_AUDIT/);
    assert.throws(() => readConfig({ FLINT_AUDIT_FORWARD_URL: 'ftp://x' }), /FLINT_AUDIT_FORWARD_URL/);
  });

  it('reads off: writes and refusals recorded, reads and searches not; queued events reach the table within the flush interval', async () => {
    const flint = await startTestFlint({ auditReads: 'off', auditFlushMs: 200 });
    try {
      const created = await flint.post('/fhir/Patient', { resourceType: 'Patient' });
      const id = created.body.id as string;
      assert.equal((await flint.get(`/fhir/Patient/${id}`)).status, 200);
      assert.equal((await flint.get('/fhir/Patient?name=x')).status, 200);
      await putClient(flint, 'reads-off-app', { secret: 'reads-off-secret', scope: ['system/*.rs'] });
      assert.equal((await flint.get('/fhir/User', { headers: { authorization: basic('reads-off-app', 'reads-off-secret') } })).status, 403);
      await new Promise((resolve) => setTimeout(resolve, 600));
      const events = await storedEvents(flint.db);
      assert.equal(eventsAbout(events, 'create', `Patient/${id}`).length, 1);
      assert.equal(eventsAbout(events, 'read', `Patient/${id}`).length, 0);
      assert.equal(events.filter((event) => subtypeOf(event) === 'search-type' && event.outcome === '0').length, 0);
      assert.equal(events.filter((event) => subtypeOf(event) === 'search-type' && event.outcome === '4').length, 1, 'the refusal is recorded without a flush call');
    } finally {
      await flint.stop();
    }
  });

  it('audit off: nothing recorded, AuditEvents still append-only', async () => {
    const flint = await startTestFlint({ audit: 'off' });
    try {
      assert.equal(flint.audit, undefined);
      assert.equal((await flint.post('/fhir/Patient', { resourceType: 'Patient' })).status, 201);
      assert.equal((await storedEvents(flint.db)).length, 0);
      const own = await flint.put('/fhir/AuditEvent/own', {
        resourceType: 'AuditEvent', id: 'own', type: { code: 'x' }, recorded: '2026-01-01T00:00:00Z', agent: [{ requestor: true }], source: { observer: { display: 'app' } },
      });
      assert.equal(own.status, 201, 'a client may record an event of its own');
      assert.equal((await flint.delete('/fhir/AuditEvent/own')).status, 405);
    } finally {
      await flint.stop();
    }
  });
});

interface Received {
  authorization?: string;
  bundle: any;
}

/** A local audit repository: answers 500 to the first `failures` posts, then 200; keeps what it received. */
async function repository(failures: number): Promise<{ server: Server; url: string; received: Received[]; attempts: () => number }> {
  const received: Received[] = [];
  let attempts = 0;
  const server = createServer((request: IncomingMessage, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => { text += chunk.toString('utf8'); });
    request.on('end', () => {
      attempts++;
      if (attempts <= failures) {
        response.writeHead(500).end();
        return;
      }
      received.push({ authorization: request.headers.authorization, bundle: JSON.parse(text) });
      response.writeHead(200, { 'content-type': 'application/fhir+json' }).end('{"resourceType":"Bundle","type":"transaction-response"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${address.port}/fhir`, received, attempts: () => attempts };
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}

describe(`audit forwarding (${usingPostgresNote()})`, () => {
  it('posts the events of writes and of queued batches as transaction Bundles, retrying after a 500', async () => {
    const repo = await repository(1);
    const flint = await startTestFlint({ auditForwardUrl: repo.url, auditForwardAuth: 'Bearer repo-token', auditFlushMs: 100 });
    try {
      const created = await flint.post('/fhir/Patient', { resourceType: 'Patient' });
      const id = created.body.id as string;
      assert.equal((await flint.get(`/fhir/Patient/${id}`)).status, 200);
      const forwarded = () => repo.received.flatMap((item) => item.bundle.entry.map((entry: any) => entry.resource));
      await until(() => forwarded().length >= 2, 10_000);
      assert.ok(repo.attempts() >= 2, 'the first post was refused and retried');
      const events = forwarded();
      assert.equal(eventsAbout(events, 'create', `Patient/${id}`).length, 1);
      assert.equal(eventsAbout(events, 'read', `Patient/${id}`).length, 1);
      assert.ok(repo.received.every((item) => item.authorization === 'Bearer repo-token' && item.bundle.type === 'transaction'));
      assert.ok(repo.received.every((item) => item.bundle.entry.every((entry: any) => entry.request.method === 'POST' && entry.request.url === 'AuditEvent')));
      const stored = await storedEvents(flint.db);
      assert.ok(events.every((event: any) => stored.some((row) => row.id === event.id)), 'every forwarded event is stored too');
    } finally {
      await flint.stop();
      repo.server.close();
    }
  });
});
