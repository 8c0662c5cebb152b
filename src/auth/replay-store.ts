/**
 * The memory of client assertion ids (jti) already used, which makes an assertion good for one token
 * request only (RFC 7523 section 3, SMART Backend Services
 * https://hl7.org/fhir/smart-app-launch/backend-services.html). The interface is what
 * verifyClientAssertion needs; the in-memory store here serves tests and a single process, a
 * database-backed one serves several.
 */

export interface ReplayStore {
  /**
   * Remembers a jti until expiresAt (seconds since the epoch: the last moment an assertion with
   * this jti could still be accepted). Answers false when the jti was remembered already.
   */
  remember(jti: string, expiresAt: number): Promise<boolean>;
}

/** The jtis of one process, each kept until it expires (expired ones are dropped on every call). */
export class MemoryReplayStore implements ReplayStore {
  private readonly seen = new Map<string, number>();
  private readonly now: () => Date;

  constructor(now: () => Date = () => new Date()) {
    this.now = now;
  }

  async remember(jti: string, expiresAt: number): Promise<boolean> {
    this.prune();
    if (this.seen.has(jti)) return false;
    this.seen.set(jti, expiresAt);
    return true;
  }

  /** How many jtis are remembered (those not yet expired at the last call). */
  get size(): number {
    return this.seen.size;
  }

  private prune(): void {
    const now = Math.floor(this.now().getTime() / 1000);
    for (const [jti, expiresAt] of this.seen) {
      if (expiresAt <= now) this.seen.delete(jti);
    }
  }
}
