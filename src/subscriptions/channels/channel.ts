/**
 * The contract every delivery channel keeps: a Delivery (one notification body, ready to go) is
 * handed to Channel.send, which resolves only once the receiver has acknowledged it (an HTTP 2xx,
 * a broker's confirm, a PubAck, a PUBACK), so delivery is at least once; or rejects with a
 * DeliveryError saying what went wrong and whether sending the same delivery again may help. The
 * queue of deliveries and their retries lives elsewhere; a channel sends one delivery and reports.
 */

/** One notification, ready to send. */
export interface Delivery {
  /** The body as sent (a JSON text). */
  body: string;
  /** The media type of the body, e.g. 'application/fhir+json'. */
  contentType: string;
  /** Unique per event and subscription/destination, stable across retries (receivers dedupe on it). */
  eventId: string;
  /** Orders events of one resource (e.g. 'Patient/123'); brokers may use it as a routing key/subject suffix. */
  key?: string;
  /** Extra headers (HTTP headers, AMQP, NATS or MQTT user properties). */
  headers?: Record<string, string>;
}

/** A way to a receiver: send one delivery at a time or many at once, then close. */
export interface Channel {
  /** Resolves once the receiver acknowledged the delivery; rejects with a DeliveryError. */
  send(delivery: Delivery): Promise<void>;
  /** Releases the connection; sends under way and later ones reject as 'closed' (retryable elsewhere). */
  close(): Promise<void>;
}

/** What kind of failure a DeliveryError is, as a stable word the delivery queue can record. */
export type DeliveryFailure =
  | 'unreachable' // no connection to the receiver or broker (refused, DNS, connect timeout)
  | 'timeout' // connected, but no acknowledgement in time
  | 'rejected' // the receiver answered no (an HTTP status, a broker nack)
  | 'unroutable' // the broker took it but nothing would store it (no queue bound, no stream)
  | 'connection-lost' // the connection closed with the delivery unacknowledged
  | 'bad-delivery' // the delivery itself cannot be sent this way (a key the template needs is missing)
  | 'closed'; // Flint closed the channel (shutting down, the destination changed): not the receiver's doing

export interface DeliveryErrorOptions {
  retryable: boolean;
  failure: DeliveryFailure;
  /** The HTTP status of a rest-hook answer. */
  status?: number;
  /** How long the receiver asked to wait (an HTTP Retry-After), in milliseconds. */
  retryAfterMs?: number;
  cause?: unknown;
}

/** A delivery that did not arrive: why, and whether a retry may help. */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  readonly retryable: boolean;
  readonly failure: DeliveryFailure;
  readonly status?: number;
  readonly retryAfterMs?: number;

  constructor(message: string, options: DeliveryErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = options.retryable;
    this.failure = options.failure;
    if (options.status !== undefined) this.status = options.status;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * The error of a send on a closed channel, or cut short by close(). Retryable: the receiver did
 * not refuse anything, and the delivery can go through a channel opened anew.
 */
export function channelClosed(kind: string): DeliveryError {
  return new DeliveryError(`The ${kind} channel was closed before the delivery was acknowledged`, { retryable: true, failure: 'closed' });
}

/** The text of any thrown value, for messages. */
export function reasonOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return code !== undefined && !error.message.includes(String(code)) ? `${error.message} (${String(code)})` : error.message;
  }
  return String(error);
}
