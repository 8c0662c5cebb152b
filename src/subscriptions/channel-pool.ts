/**
 * The open channels of this process, one per target, made from the target's channel settings and
 * made again when those change (the old one closed); a target that is gone (deleted, off, a
 * Subscription in error) has its channel closed, so no broker connection outlives its destination; all closed with
 * the server.
 */
import { createChannel, type Channel, type ChannelConfig } from './channels/index.js';
import type { DeliveryTarget } from './delivery-target.js';

export class ChannelPool {
  private readonly open = new Map<string, { settings: string; channel: Channel }>();

  channelOf(target: DeliveryTarget): Channel {
    const settings = JSON.stringify(target.channel);
    const current = this.open.get(target.key);
    if (current?.settings === settings) return current.channel;
    if (current) void current.channel.close().catch(() => undefined);
    const channel = createChannel(target.channel as ChannelConfig);
    this.open.set(target.key, { settings, channel });
    return channel;
  }

  /** Closes the channels of targets not among `keys`. */
  retain(keys: ReadonlySet<string>): void {
    for (const [key, entry] of this.open) {
      if (keys.has(key)) continue;
      this.open.delete(key);
      void entry.channel.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    const channels = [...this.open.values()].map((entry) => entry.channel);
    this.open.clear();
    await Promise.all(channels.map((channel) => channel.close().catch(() => undefined)));
  }
}
