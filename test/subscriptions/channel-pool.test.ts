/**
 * The channel pool: one channel per target, the same while its settings stay, a new one (the old
 * closed) when they change, and the channel of a target that is gone closed, so that a deleted
 * destination's broker connection does not stay open until the server stops.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChannelPool } from '../../src/subscriptions/channel-pool.js';
import { DeliveryError } from '../../src/subscriptions/channels/index.js';
import type { DeliveryTarget } from '../../src/subscriptions/delivery-target.js';

function target(key: string, endpoint = 'http://127.0.0.1:9/hook'): DeliveryTarget {
  return { key, channel: { kind: 'rest-hook', endpoint, headers: [], selfOrigins: [] } } as unknown as DeliveryTarget;
}

async function closedRejection(promise: Promise<unknown>): Promise<void> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof DeliveryError && error.failure === 'closed', `expected a closed channel, got ${String(error)}`);
}

const delivery = { body: '{}', contentType: 'application/fhir+json', eventId: 'e-1' };

describe('ChannelPool', () => {
  it('keeps one channel per target while its settings stay, and makes a new one when they change', async () => {
    const pool = new ChannelPool();
    const first = pool.channelOf(target('TopicDestination/a'));
    assert.equal(pool.channelOf(target('TopicDestination/a')), first);
    const changed = pool.channelOf(target('TopicDestination/a', 'http://127.0.0.1:9/other'));
    assert.notEqual(changed, first);
    await closedRejection(first.send(delivery));
    await pool.close();
  });

  it('closes the channels of targets that are gone, and keeps the others', async () => {
    const pool = new ChannelPool();
    const gone = pool.channelOf(target('TopicDestination/gone'));
    const kept = pool.channelOf(target('TopicDestination/kept'));
    pool.retain(new Set(['TopicDestination/kept']));
    await closedRejection(gone.send(delivery));
    assert.equal(pool.channelOf(target('TopicDestination/kept')), kept);
    assert.notEqual(pool.channelOf(target('TopicDestination/gone')), gone, 'a target that comes back gets a new channel');
    await pool.close();
    await closedRejection(kept.send(delivery));
  });
});
