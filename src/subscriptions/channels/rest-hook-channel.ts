/**
 * The rest-hook channel of FHIR Subscriptions (R4 Backport IG,
 * http://hl7.org/fhir/uv/subscriptions-backport/STU1.1/channels.html#rest-hook): each notification
 * is POSTed to the endpoint with the channel's headers, X-Flint-Event-Id and the X-Flint-Signature
 * HMAC (webhook-signature.ts). A 2xx answer is the acknowledgement. 408, 429, 5xx, network
 * failures and timeouts may pass: retryable. Any other answer (a 3xx, since redirects are not
 * followed, or a 4xx) is the receiver refusing: not retryable.
 */
import { DeliveryError, channelClosed, reasonOf, type Channel, type Delivery } from './channel.js';
import { parseChannelHeaders } from './channel-headers.js';
import { badConfig, configObject, optionalMs, requireString } from './config-checks.js';
import { checkEndpoint } from './endpoint-check.js';
import { SIGNATURE_HEADER, signatureHeader } from './webhook-signature.js';

export interface RestHookConfig {
  kind?: 'rest-hook';
  /** Subscription.channel.endpoint: an http: or https: URL. */
  endpoint: string;
  /** Subscription.channel.header: "Name: value" strings sent with every notification. */
  headers?: string[];
  /** The subscription's secret for X-Flint-Signature (at least 16 characters); no signature without it. */
  secret?: string;
  /** How long one POST may take, answer included. Default 10 s. */
  timeoutMs?: number;
  /** The server's own origins, which the endpoint may not point at (see checkEndpoint). */
  selfOrigins?: string[];
}

export const DEFAULT_REST_HOOK_TIMEOUT_MS = 10_000;
const KIND = 'rest-hook';
const RETRYABLE_STATUS = new Set([408, 429]);

function checkConfig(input: RestHookConfig): Required<Omit<RestHookConfig, 'kind' | 'secret' | 'selfOrigins'>> & { secret?: string } {
  const config = configObject(KIND, input);
  const selfOrigins = config.selfOrigins ?? [];
  if (!Array.isArray(selfOrigins)) badConfig(KIND, 'selfOrigins', 'must be an array of origins');
  const endpoint = checkEndpoint(requireString(KIND, 'endpoint', config.endpoint), selfOrigins).href;
  const headerList = config.headers ?? [];
  if (!Array.isArray(headerList)) badConfig(KIND, 'headers', 'must be an array of "Name: value" strings');
  const secret = config.secret === undefined ? undefined : requireString(KIND, 'secret', config.secret);
  if (secret !== undefined && secret.length < 16) badConfig(KIND, 'secret', 'must have at least 16 characters');
  const timeoutMs = optionalMs(KIND, 'timeoutMs', config.timeoutMs, DEFAULT_REST_HOOK_TIMEOUT_MS);
  return { endpoint, headers: headerList, secret, timeoutMs };
}

/** Retry-After as milliseconds (seconds or an HTTP date), when the answer has one. */
function retryAfterOf(response: Response): number | undefined {
  const value = response.headers.get('retry-after');
  if (value === null) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** The first bytes of an answer's body (at most 1 KiB is read), for the error message. */
async function excerptOf(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < 1024) {
      const read = await reader.read();
      if (read.done) break;
      chunks.push(read.value);
      size += read.value.length;
    }
  } catch {
    // the answer broke off: what arrived is the excerpt
  } finally {
    reader.cancel().catch(() => undefined);
  }
  const line = Buffer.concat(chunks).subarray(0, 1024).toString('utf8').replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}...` : line;
}

async function refusal(response: Response, endpoint: string): Promise<DeliveryError> {
  const status = response.status;
  const retryable = RETRYABLE_STATUS.has(status) || status >= 500;
  const excerpt = await excerptOf(response);
  const location = status >= 300 && status < 400 ? ` (redirects are not followed; Location: ${response.headers.get('location') ?? 'none'})` : '';
  return new DeliveryError(`${endpoint} answered ${status}${location}${excerpt ? `: ${excerpt}` : ''}`, {
    retryable, failure: 'rejected', status, retryAfterMs: retryAfterOf(response),
  });
}

function failureOf(error: unknown, endpoint: string, timeoutMs: number): DeliveryError {
  if (error instanceof DOMException && error.name === 'TimeoutError') {
    return new DeliveryError(`${endpoint} did not answer within ${timeoutMs} ms`, { retryable: true, failure: 'timeout', cause: error });
  }
  if (error instanceof TypeError && error.message !== 'fetch failed') {
    return new DeliveryError(`The notification cannot be sent to ${endpoint}: ${error.message}`, { retryable: false, failure: 'bad-delivery', cause: error });
  }
  const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
  return new DeliveryError(`${endpoint} could not be reached: ${reasonOf(cause)}`, { retryable: true, failure: 'unreachable', cause: error });
}

export class RestHookChannel implements Channel {
  readonly endpoint: string;
  private readonly headers: Record<string, string>;
  private readonly secret?: string;
  private readonly timeoutMs: number;
  private readonly inFlight = new Set<AbortController>();
  private closed = false;

  /** Checks the configuration: a bad one throws a FhirError (subscription.*) here. */
  constructor(config: RestHookConfig) {
    const checked = checkConfig(config);
    this.endpoint = checked.endpoint;
    this.headers = parseChannelHeaders(checked.headers);
    this.secret = checked.secret;
    this.timeoutMs = checked.timeoutMs;
  }

  private requestHeaders(delivery: Delivery): Record<string, string> {
    const headers: Record<string, string> = { ...this.headers, ...delivery.headers };
    headers['Content-Type'] = delivery.contentType;
    headers['X-Flint-Event-Id'] = delivery.eventId;
    if (this.secret !== undefined) headers[SIGNATURE_HEADER] = signatureHeader(this.secret, delivery.body);
    return headers;
  }

  async send(delivery: Delivery): Promise<void> {
    if (this.closed) throw channelClosed(KIND);
    const controller = new AbortController();
    this.inFlight.add(controller);
    const signal = AbortSignal.any([controller.signal, AbortSignal.timeout(this.timeoutMs)]);
    try {
      const response = await fetch(this.endpoint, { method: 'POST', body: delivery.body, headers: this.requestHeaders(delivery), redirect: 'manual', signal });
      if (response.status < 200 || response.status > 299) throw await refusal(response, this.endpoint);
      await response.body?.cancel();
    } catch (error) {
      if (error instanceof DeliveryError) throw error;
      if (controller.signal.aborted) throw channelClosed(KIND);
      throw failureOf(error, this.endpoint, this.timeoutMs);
    } finally {
      this.inFlight.delete(controller);
    }
  }

  /** Stops the POSTs under way (they reject as closed); later sends reject too. */
  async close(): Promise<void> {
    this.closed = true;
    for (const controller of this.inFlight) controller.abort();
  }
}
