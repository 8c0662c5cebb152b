/**
 * The signature of rest-hook notifications, so a receiver can tell Flint's notifications from
 * forged ones and refuse replays. Each POST carries
 *
 *   X-Flint-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>
 *
 * where the body is the exact bytes sent (UTF-8). A receiver recomputes the HMAC over the t it got
 * and the raw body, compares in constant time, and refuses a t further than its tolerance from its
 * clock. Several v1 values may appear (one per secret while a secret is being rotated); one match
 * is enough. verifySignature does all of that.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Flint-Signature';

function hmacHex(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

/** The X-Flint-Signature value of a body sent at `nowSeconds` (unix seconds). */
export function signatureHeader(secret: string, body: string, nowSeconds = Math.floor(Date.now() / 1000)): string {
  const t = String(Math.floor(nowSeconds));
  return `t=${t},v1=${hmacHex(secret, t, body)}`;
}

function parseHeader(header: string): { t?: string; v1: string[] } {
  const parsed: { t?: string; v1: string[] } = { v1: [] };
  for (const part of header.split(',')) {
    const at = part.indexOf('=');
    const name = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (at < 0) continue;
    if (name === 't') parsed.t = value;
    else if (name === 'v1') parsed.v1.push(value);
  }
  return parsed;
}

function sameHex(a: string, b: string): boolean {
  if (!/^[0-9a-f]+$/.test(a) || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
}

/**
 * Whether `header` (an X-Flint-Signature value) signs `body` with `secret`, at a time no further
 * than `toleranceSeconds` from `nowSeconds` (the receiver's clock, unix seconds).
 */
export function verifySignature(secret: string, header: string, body: string, toleranceSeconds: number, nowSeconds = Date.now() / 1000): boolean {
  const { t, v1 } = parseHeader(header);
  if (t === undefined || !/^\d{1,15}$/.test(t)) return false;
  if (Math.abs(nowSeconds - Number(t)) > toleranceSeconds) return false;
  const expected = hmacHex(secret, t, body);
  return v1.some((candidate) => sameHex(candidate, expected));
}
