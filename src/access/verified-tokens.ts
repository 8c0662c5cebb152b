/**
 * Bearer tokens verified lately, by their exact text, until they expire: a client sends the same
 * token with every request for its lifetime, and checking an RS256 signature costs far more than
 * the read it guards. The entry ends with the token's expiry (so a cached token is refused from the
 * same moment a verified one would be), and the cache is bounded: when full, the oldest entries go.
 */
import type { Caller } from '../core/index.js';

export interface VerifiedToken {
  caller: Caller;
  /** The token's expiry, in milliseconds since the epoch. */
  expiresAt: number;
}

const MAX_ENTRIES = 10_000;

export class VerifiedTokens {
  private readonly entries = new Map<string, VerifiedToken>();

  /** The caller of a token verified earlier and not yet expired. */
  get(token: string, now = Date.now()): Caller | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.expiresAt > now) return entry.caller;
    this.entries.delete(token);
    return undefined;
  }

  remember(token: string, verified: VerifiedToken): void {
    if (this.entries.size >= MAX_ENTRIES) {
      // Maps keep insertion order: the first keys are the oldest.
      for (const key of [...this.entries.keys()].slice(0, MAX_ENTRIES / 10)) this.entries.delete(key);
    }
    this.entries.set(token, verified);
  }
}
