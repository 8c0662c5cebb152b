/**
 * The one broker connection of a channel object: opened lazily by the first send, shared by the
 * sends that follow, forgotten as soon as it breaks (so the next send opens a new one) and shut by
 * close(). A Link is one open connection with the sends waiting for its acknowledgements: when it
 * breaks, each of them rejects at once (retryable) instead of waiting for an answer that cannot
 * come, and each has its own deadline as well. Shutting a connection has a deadline too: a client
 * library asked to close a connection whose socket is dying may wait for its answer forever.
 */
import { DeliveryError, channelClosed, reasonOf } from './channel.js';

type Fail = (error: DeliveryError) => void;

/** Any thrown value as a DeliveryError (an unexpected one is retryable: the connection is suspect). */
export function asDeliveryError(error: unknown, context: string): DeliveryError {
  if (error instanceof DeliveryError) return error;
  return new DeliveryError(`${context}: ${reasonOf(error)}`, { retryable: true, failure: 'connection-lost', cause: error });
}

export class Link<T> {
  private readonly pending = new Set<Fail>();
  private brokenBy?: DeliveryError;
  /** The shutting of the connection, once it broke or was closed. */
  shutting?: Promise<void>;

  constructor(readonly value: T, private readonly onBreak: (link: Link<T>) => void) {}

  get broken(): boolean {
    return this.brokenBy !== undefined;
  }

  /**
   * Starts a send with `run`, which calls `ack` or `nack` once the broker answers. It rejects on
   * nack, when the link breaks first, or with `onTimeout()` after `timeoutMs`.
   */
  awaitAck(run: (ack: () => void, nack: Fail) => void, timeoutMs: number, onTimeout: () => DeliveryError): Promise<void> {
    if (this.brokenBy) return Promise.reject(this.brokenBy);
    return new Promise<void>((resolve, reject) => {
      const settle = (error?: DeliveryError) => {
        if (!this.pending.delete(fail)) return;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      const fail: Fail = (error) => settle(error);
      const timer = setTimeout(() => settle(onTimeout()), timeoutMs);
      this.pending.add(fail);
      try {
        run(() => settle(), fail);
      } catch (error) {
        settle(asDeliveryError(error, 'The publish failed'));
      }
    });
  }

  /** The connection is gone: every waiting send rejects with `error`, and the slot forgets the link. */
  break(error: DeliveryError): void {
    if (this.brokenBy) return;
    this.brokenBy = error;
    for (const fail of [...this.pending]) fail(error);
    this.onBreak(this);
  }
}

export interface SlotOptions<T> {
  /** The channel's kind, for messages ('amqp', 'nats', 'mqtt'). */
  kind: string;
  /** Where it connects, for messages (no password). */
  target: string;
  /** Opens a connection; rejects quickly when the broker cannot be reached. */
  open: () => Promise<T>;
  /** Attaches the connection's events, calling link.break when it closes or fails. */
  watch: (value: T, link: Link<T>) => void;
  /** Shuts a connection (best effort: errors are ignored). */
  shut: (value: T) => Promise<void>;
  /** How long a shut may take before it is given up (a client waiting for a dead socket's answer). Default 2 s. */
  shutTimeoutMs?: number;
}

const SHUT_TIMEOUT_MS = 2_000;

/** The shut, settled at the latest after `ms`: closing a channel never waits for a connection that cannot answer. */
function boundedShut(shutting: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return Promise.race([shutting.catch(() => undefined), deadline]).finally(() => clearTimeout(timer));
}

export class ConnectionSlot<T> {
  private current?: Promise<Link<T>>;
  private closed = false;

  constructor(private readonly options: SlotOptions<T>) {}

  /** The open link, opening one if there is none; rejects with a retryable DeliveryError. */
  get(): Promise<Link<T>> {
    if (this.closed) return Promise.reject(channelClosed(this.options.kind));
    this.current ??= this.connect();
    return this.current;
  }

  private connect(): Promise<Link<T>> {
    const { open, watch, shut, target } = this.options;
    const opening = open().then((value) => {
      const link = new Link(value, (broken) => {
        if (this.current === opening) this.current = undefined;
        broken.shutting ??= boundedShut(shut(value), this.options.shutTimeoutMs ?? SHUT_TIMEOUT_MS);
      });
      watch(value, link);
      if (this.closed) link.break(channelClosed(this.options.kind));
      return link;
    }, (error: unknown) => {
      if (this.current === opening) this.current = undefined;
      throw new DeliveryError(`Cannot connect to ${target}: ${reasonOf(error)}`, { retryable: true, failure: 'unreachable', cause: error });
    });
    return opening;
  }

  /** Shuts the connection; the sends waiting on it reject as closed, and so does every later send. */
  async close(): Promise<void> {
    this.closed = true;
    const current = this.current;
    this.current = undefined;
    const link = await current?.catch(() => undefined);
    if (!link) return;
    link.break(channelClosed(this.options.kind));
    await link.shutting;
  }
}
