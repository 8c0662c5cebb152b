/**
 * The rest-hook channel against a real HTTP receiver on 127.0.0.1: what arrives (body, headers, a
 * signature that verifies), how each answer is classed (2xx delivered, 5xx/408/429 and timeouts and
 * refused connections retryable, other 4xx and redirects not), and its configuration checks.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { FhirError } from '../../../src/core/index.js';
import { DeliveryError, RestHookChannel, verifySignature, type Delivery } from '../../../src/subscriptions/channels/index.js';

interface Received { method: string; url: string; headers: IncomingMessage['headers']; body: string }
type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const SECRET = 'a-secret-of-at-least-16-chars';
const delivery: Delivery = {
  body: '{"resourceType":"Bundle","type":"history","entry":[{"fullUrl":"Patient/1"}],"note":"é"}',
  contentType: 'application/fhir+json',
  eventId: 'evt-1',
  key: 'Patient/1',
  headers: { 'X-Flint-Topic': 'http://example.org/topic' },
};

async function rejection(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof DeliveryError, `expected a DeliveryError, got ${String(error)}`);
  return error;
}

describe('rest-hook channel', () => {
  let server: Server;
  let endpoint: string;
  let received: Received[];
  let handler: Handler;

  before(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        handler(request, response);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook?x=1`;
  });
  beforeEach(() => {
    received = [];
    handler = (_request, response) => response.writeHead(200).end('ok');
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const channel = (extra: Partial<ConstructorParameters<typeof RestHookChannel>[0]> = {}) =>
    new RestHookChannel({ endpoint, secret: SECRET, headers: ['Authorization: Bearer abc', 'X-Custom:  two words '], ...extra });

  it('POSTs the body with the channel headers, the event id, the content type and a signature that verifies', async () => {
    await channel().send(delivery);
    assert.equal(received.length, 1);
    const [got] = received;
    assert.equal(got.method, 'POST');
    assert.equal(got.url, '/hook?x=1');
    assert.equal(got.body, delivery.body);
    assert.equal(got.headers['content-type'], 'application/fhir+json');
    assert.equal(got.headers.authorization, 'Bearer abc');
    assert.equal(got.headers['x-custom'], 'two words');
    assert.equal(got.headers['x-flint-topic'], 'http://example.org/topic');
    assert.equal(got.headers['x-flint-event-id'], 'evt-1');
    const signature = got.headers['x-flint-signature'] as string;
    assert.match(signature, /^t=\d+,v1=[0-9a-f]{64}$/);
    assert.equal(verifySignature(SECRET, signature, got.body, 300), true);
    assert.equal(verifySignature(SECRET, signature, got.body.replace('Patient/1', 'Patient/2'), 300), false, 'a tampered body');
    assert.equal(verifySignature('another-secret-of-16-chars', signature, got.body, 300), false, 'another secret');
  });

  it('sends no signature when the channel has no secret', async () => {
    await new RestHookChannel({ endpoint }).send(delivery);
    assert.equal(received[0].headers['x-flint-signature'], undefined);
    assert.equal(received[0].headers['x-flint-event-id'], 'evt-1');
  });

  it('a delivery header HTTP cannot carry is refused, not retryable', async () => {
    const error = await rejection(channel().send({ ...delivery, headers: { 'Bad Name': 'x' } }));
    assert.deepEqual([error.failure, error.retryable], ['bad-delivery', false]);
    assert.equal(received.length, 0);
  });

  it('a delivery header cannot replace the signature or the event id', async () => {
    await channel().send({ ...delivery, headers: { 'X-Flint-Event-Id': 'forged', 'X-Flint-Signature': 'forged' } });
    assert.equal(received[0].headers['x-flint-event-id'], 'evt-1');
    assert.notEqual(received[0].headers['x-flint-signature'], 'forged');
  });

  const answers: [string, number, boolean][] = [
    ['204 is delivered', 204, true],
    ['500 is retryable', 500, false],
    ['503 is retryable', 503, false],
    ['429 is retryable', 429, false],
    ['408 is retryable', 408, false],
    ['400 is not retryable', 400, false],
    ['410 is not retryable', 410, false],
    ['302 is not followed and not retryable', 302, false],
  ];
  for (const [name, status, delivered] of answers) {
    it(name, async () => {
      handler = (_request, response) => response.writeHead(status, status === 302 ? { location: '/elsewhere' } : {}).end(`answer ${status}`);
      const sending = channel().send(delivery);
      if (delivered) return sending;
      const error = await rejection(sending);
      assert.equal(error.status, status);
      assert.equal(error.failure, 'rejected');
      assert.equal(error.retryable, status >= 500 || status === 408 || status === 429);
      assert.match(error.message, new RegExp(`answered ${status}.*answer ${status}`));
      assert.equal(received.length, 1, 'sent once, redirect not followed');
    });
  }

  it('passes Retry-After on', async () => {
    handler = (_request, response) => response.writeHead(503, { 'retry-after': '120' }).end();
    const error = await rejection(channel().send(delivery));
    assert.equal(error.retryAfterMs, 120_000);
  });

  it('a receiver that does not answer in time is a retryable timeout', async () => {
    handler = () => undefined;
    const error = await rejection(channel({ timeoutMs: 200 }).send(delivery));
    assert.equal(error.failure, 'timeout');
    assert.equal(error.retryable, true);
  });

  it('a refused connection is retryable', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const error = await rejection(new RestHookChannel({ endpoint: `http://127.0.0.1:${port}/` }).send(delivery));
    assert.equal(error.failure, 'unreachable');
    assert.equal(error.retryable, true);
    assert.match(error.message, /ECONNREFUSED/);
  });

  it('close stops a POST under way, and a send after close rejects as closed (retryable through a new channel)', async () => {
    handler = () => undefined;
    const closing = channel();
    const sending = closing.send(delivery);
    while (received.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await closing.close();
    const error = await rejection(sending);
    assert.equal(error.failure, 'closed');
    const later = await rejection(closing.send(delivery));
    assert.deepEqual([later.failure, later.retryable], ['closed', true]);
  });

  it('refuses a bad configuration at creation, with a stable code', () => {
    const cases: [object, string][] = [
      [{ endpoint: 'ftp://example.org/' }, 'subscription.bad-endpoint'],
      [{ endpoint: 'https://user:pass@example.org/' }, 'subscription.bad-endpoint'],
      [{ endpoint: 'https://fhir.example.org/hook', selfOrigins: ['https://fhir.example.org'] }, 'subscription.bad-endpoint'],
      [{ endpoint: 'https://example.org/', headers: ['no colon'] }, 'subscription.bad-header'],
      [{ endpoint: 'https://example.org/', headers: ['Bad Name: x'] }, 'subscription.bad-header'],
      [{ endpoint: 'https://example.org/', headers: ['Content-Type: text/plain'] }, 'subscription.bad-header'],
      [{ endpoint: 'https://example.org/', headers: ['X-Flint-Signature: t=1,v1=00'] }, 'subscription.bad-header'],
      [{ endpoint: 'https://example.org/', secret: 'short' }, 'subscription.bad-channel-config'],
      [{ endpoint: 'https://example.org/', timeoutMs: 0 }, 'subscription.bad-channel-config'],
      [{ endpoint: 42 }, 'subscription.bad-channel-config'],
    ];
    for (const [config, code] of cases) {
      assert.throws(() => new RestHookChannel(config as never), (e: unknown) => e instanceof FhirError && e.code === code && e.category === 'invalid', JSON.stringify(config));
    }
  });
});
