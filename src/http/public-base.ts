/**
 * The public origin of a request, for links (Location, Bundle links, fullUrl): scheme, host and
 * path prefix as the client saw them. Behind trusted proxies (FLINT_TRUSTED_PROXIES) Fastify reads
 * X-Forwarded-Proto and X-Forwarded-Host; X-Forwarded-Prefix (a path the proxy mounts Flint under)
 * is read here, from the same trusted peers only. A configured FLINT_BASE_URL wins over all of it.
 */
import proxyAddr from '@fastify/proxy-addr';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export type ProxyTrust = (address: string, hop: number) => boolean;

declare module 'fastify' {
  interface FastifyInstance {
    /** Whether a peer is a trusted proxy (set by buildHttpApp; trusts none when absent). */
    proxyTrust?: ProxyTrust;
  }
}

const TRUST_NONE: ProxyTrust = () => false;
const TRUST_ALL: ProxyTrust = () => true;

/** The trust function of the setting: false trusts no proxy, true any, a list its addresses and CIDRs. */
export function proxyTrust(setting: boolean | string[] | undefined): ProxyTrust {
  if (setting === true) return TRUST_ALL;
  if (!setting || setting.length === 0) return TRUST_NONE;
  return proxyAddr.compile(setting);
}

/** Gives the app's requests the trust function, so that forwardedPrefix can ask it. */
export function decorateProxyTrust(app: FastifyInstance, trust: ProxyTrust): void {
  app.decorate('proxyTrust', trust);
}

/** A prefix is a path: segments of URL path characters, no dot segments, no query or fragment. */
const PREFIX_PATTERN = /^(\/[A-Za-z0-9\-._~!$&'()*+,;=:@%]+)*\/?$/;

/** X-Forwarded-Prefix from a trusted proxy (the last value when several), without trailing slash; else ''. */
export function forwardedPrefix(request: FastifyRequest): string {
  const header = request.headers['x-forwarded-prefix'];
  if (header === undefined) return '';
  const remote = request.socket?.remoteAddress;
  const trust = request.server.proxyTrust ?? TRUST_NONE;
  if (remote === undefined || !trust(remote, 0)) return '';
  const value = (Array.isArray(header) ? header.join(',') : header).split(',').pop()?.trim() ?? '';
  if (!PREFIX_PATTERN.test(value) || value.split('/').some((segment) => segment === '.' || segment === '..')) return '';
  return value.replace(/\/+$/, '');
}

/** scheme://host[/prefix] of the request as the client addressed it. */
export function requestOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}${forwardedPrefix(request)}`;
}
