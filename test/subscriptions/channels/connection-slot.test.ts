/**
 * The connection slot every broker channel shares, on a made-up connection (no I/O): opened once
 * by concurrent sends, reopened after a break, waiting sends rejected at once by the break or by
 * their deadline, a failed open reported as retryable 'unreachable', and close, which ends even when
 * the connection's shut never does.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { DeliveryError } from '../../../src/subscriptions/channels/index.js';
import { ConnectionSlot, type Link } from '../../../src/subscriptions/channels/connection-slot.js';

class FakeConnection extends EventEmitter {
  shut = false;
  constructor(readonly n: number) {
    super();
  }
}

function fakeSlot(options: { failOpen?: () => boolean; shutHangs?: boolean } = {}) {
  const opened: FakeConnection[] = [];
  const slot = new ConnectionSlot<FakeConnection>({
    kind: 'fake',
    target: 'the fake broker',
    open: async () => {
      if (options.failOpen?.()) throw new Error('connect ECONNREFUSED');
      const connection = new FakeConnection(opened.length + 1);
      opened.push(connection);
      return connection;
    },
    watch: (connection, link) => connection.once('close', () => link.break(new DeliveryError('lost', { retryable: true, failure: 'connection-lost' }))),
    shut: async (connection) => {
      connection.shut = true;
      if (options.shutHangs) await new Promise(never);
    },
    shutTimeoutMs: 50,
  });
  return { slot, opened };
}

const never = () => undefined;
const timeout = () => new DeliveryError('no ack', { retryable: true, failure: 'timeout' });

async function failureOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof DeliveryError, `expected a DeliveryError, got ${String(error)}`);
  return `${error.failure}${error.retryable ? '' : ' (final)'}`;
}

describe('connection slot', () => {
  it('concurrent gets share one connection, opened lazily', async () => {
    const { slot, opened } = fakeSlot();
    assert.equal(opened.length, 0);
    const links = await Promise.all([slot.get(), slot.get(), slot.get()]);
    assert.equal(opened.length, 1);
    assert.ok(links.every((link) => link === links[0]));
  });

  it('a break rejects the waiting sends at once, shuts the connection, and the next get opens a new one', async () => {
    const { slot, opened } = fakeSlot();
    const link = await slot.get();
    const waiting = [link.awaitAck(never, 60_000, timeout), link.awaitAck(never, 60_000, timeout)];
    opened[0].emit('close');
    assert.deepEqual(await Promise.all(waiting.map(failureOf)), ['connection-lost', 'connection-lost']);
    assert.equal(opened[0].shut, true);
    assert.equal(await failureOf(link.awaitAck((ack) => ack(), 1000, timeout)), 'connection-lost', 'a broken link takes no more sends');
    const next = await slot.get();
    assert.notEqual(next, link);
    assert.equal((next as Link<FakeConnection>).value.n, 2);
  });

  it('ack resolves, nack rejects with its error, a send past its deadline rejects with the timeout error', async () => {
    const { slot } = fakeSlot();
    const link = await slot.get();
    await link.awaitAck((ack) => setImmediate(ack), 1000, timeout);
    assert.equal(await failureOf(link.awaitAck((_ack, nack) => nack(new DeliveryError('no', { retryable: false, failure: 'rejected' })), 1000, timeout)), 'rejected (final)');
    assert.equal(await failureOf(link.awaitAck(never, 20, timeout)), 'timeout');
    assert.equal(await failureOf(link.awaitAck(() => { throw new Error('boom'); }, 1000, timeout)), 'connection-lost');
  });

  it('a failed open is a retryable unreachable, and the next get tries again', async () => {
    let fail = true;
    const { slot, opened } = fakeSlot({ failOpen: () => fail });
    const error = await slot.get().then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof DeliveryError && error.failure === 'unreachable' && error.retryable);
    assert.match(error.message, /the fake broker.*ECONNREFUSED/);
    fail = false;
    await slot.get();
    assert.equal(opened.length, 1);
  });

  it('close shuts the connection and rejects the waiting sends and every later get as closed', async () => {
    const { slot, opened } = fakeSlot();
    const link = await slot.get();
    const waiting = link.awaitAck(never, 60_000, timeout);
    await slot.close();
    assert.equal(await failureOf(waiting), 'closed');
    assert.equal(opened[0].shut, true);
    assert.equal(await failureOf(slot.get()), 'closed');
  });

  it('close during the open shuts the connection once it is there', async () => {
    const { slot, opened } = fakeSlot();
    const getting = slot.get();
    await slot.close();
    const link = await getting;
    assert.equal(link.broken, true);
    assert.equal(opened[0].shut, true);
  });

  it('close ends even when shutting the connection never does (a client waiting on a dead socket)', async () => {
    const { slot, opened } = fakeSlot({ shutHangs: true });
    const link = await slot.get();
    const waiting = failureOf(link.awaitAck(never, 60_000, timeout));
    await slot.close();
    assert.equal(opened[0].shut, true);
    assert.equal(await waiting, 'closed');
    assert.equal(await failureOf(slot.get()), 'closed');
  });
});
