/**
 * The HTML pages of the authorization server (sign-in, consent, errors): one plain layout without
 * scripts, every value HTML-escaped, and the security headers every such page carries
 * (Content-Security-Policy, no framing, no sniffing, no referrer, no caching).
 */
import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for HTML content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (character) => ESCAPES[character]);
}

/** The origin of a URL, or undefined when it is not an absolute http(s) URL. */
function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The headers of an HTML page (OWASP secure headers): scripts and frames refused, forms posted only
 * to this server and to `formTarget` (the client's redirect URI, where an answer may go).
 */
export function pageHeaders(formTarget?: string): Record<string, string> {
  const target = originOf(formTarget);
  const formAction = target ? `'self' ${target}` : "'self'";
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': `default-src 'self'; style-src ${STYLE_SOURCE}; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'; object-src 'none'`,
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    pragma: 'no-cache',
  };
}

const STYLE = 'body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#222}'
  + 'label{display:block;margin:.8rem 0 .2rem}input[type=text],input[type=password],input[type=search]{width:100%;padding:.4rem}'
  + 'button{margin:1rem .5rem 0 0;padding:.5rem 1.2rem}.error{color:#a00}ul{padding-left:1.2rem}';

/** The page style is allowed by its hash (CSP level 2), so no inline style other than it runs. */
const STYLE_SOURCE = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

/** A whole page: the title (escaped) and a body that the caller built from escaped parts. */
export function htmlPage(title: string, body: string): string {
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`
    + `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>`
    + `<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>\n`;
}

/** Sends a page with its status, the security headers and any more headers. */
export function sendPage(reply: FastifyReply, status: number, html: string, options: { formTarget?: string; headers?: Record<string, string> } = {}): FastifyReply {
  return reply.code(status).headers({ ...pageHeaders(options.formTarget), ...options.headers }).send(html);
}

/** An error page: what went wrong, in words; never a redirect (RFC 6749 section 4.1.2.1). */
export function errorPage(reply: FastifyReply, status: number, message: string, headers?: Record<string, string>): FastifyReply {
  return sendPage(reply, status, htmlPage('Sign-in error', `<p class="error">${escapeHtml(message)}</p>`), { headers });
}
