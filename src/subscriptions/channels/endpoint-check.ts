/**
 * Which rest-hook endpoints Flint may call: http: or https: only, no credentials in the URL (they
 * would end up in logs and resources; use a channel header), and never the server itself, which
 * would let a subscription make Flint call its own API (a loop, or requests from a trusted
 * address). "Itself" is any of the server's origins compared by host and port (whatever the
 * scheme: a port is one server) after normalisation (default ports, case, IPv6 brackets, numeric
 * IPv4 forms), and any loopback address (localhost, 127.0.0.0/8, ::1, 0.0.0.0) on a port of one
 * of those origins. The check reads the URL only: a public name that resolves to a loopback
 * address is not caught here.
 */
import { channelErrors } from './channel-errors.js';

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

interface Origin {
  protocol: string;
  host: string;
  port: string;
}

function originOf(url: URL): Origin {
  const host = url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  return { protocol: url.protocol, host, port: url.port || DEFAULT_PORTS[url.protocol] || '' };
}

/** Whether a host name or address means this machine. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (/^127\.\d+\.\d+\.\d+$/.test(host) || host === '0.0.0.0') return true;
  if (host === '::1' || host === '::' || /^::ffff:(127\.|7f)/.test(host)) return true;
  return host === '0:0:0:0:0:0:0:1';
}

/** The server's origins; one given without a scheme ('fhir.example.org:8080') is read as http:. */
function selfOriginsOf(selfOrigins: readonly string[]): Origin[] {
  return selfOrigins.flatMap((text) => {
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
    return URL.canParse(withScheme) ? [originOf(new URL(withScheme))] : [];
  });
}

/** The same host and port as one of the server's origins, or a loopback address on one of its ports. */
function pointsAtSelf(target: Origin, selves: readonly Origin[]): boolean {
  return selves.some((self) => self.port === target.port && (self.host === target.host || isLoopbackHost(target.host)));
}

function refuse(endpoint: string, reason: string): never {
  throw channelErrors['subscription.bad-endpoint']({ endpoint, reason }, { expression: 'Subscription.channel.endpoint' });
}

/**
 * Throws subscription.bad-endpoint unless `endpoint` may receive notifications; returns the
 * parsed URL. `selfOrigins` are the server's own origins ('http://fhir.example.org', and the
 * address it listens on, such as 'http://0.0.0.0:8080').
 */
export function checkEndpoint(endpoint: string, selfOrigins: readonly string[]): URL {
  const url = URL.canParse(endpoint) ? new URL(endpoint) : undefined;
  if (!url) refuse(endpoint, 'it is not an absolute URL');
  const shown = url.username || url.password ? `${url.protocol}//***@${url.host}${url.pathname}` : url.href;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') refuse(shown, `only http: and https: are allowed, not ${url.protocol}`);
  if (url.username || url.password) refuse(shown, 'credentials in the URL are not allowed (send them in a channel header)');
  if (pointsAtSelf(originOf(url), selfOriginsOf(selfOrigins))) refuse(shown, 'it points at this server');
  return url;
}
