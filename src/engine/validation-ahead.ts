/**
 * Validation ahead of the writes of a transaction Bundle: while one entry's write is on its way to
 * the database, the next entry's body is validated, so the validator's CPU time overlaps the
 * database's work instead of adding to it. A validation is scheduled for the next turn of the event
 * loop (after the current write's query has been sent); the write that needs it claims it, and runs
 * it at once if the turn has not come yet. Verdicts are the same as validating in order: each body
 * is validated once, in the mode of its write, and an invalid entry still fails the transaction
 * when its turn comes.
 */
import type { Issue, Resource } from '../core/index.js';
import type { ValidationMode } from './engine-context.js';

interface Slot {
  mode: ValidationMode;
  run: () => Promise<Issue[]>;
  result?: Promise<Issue[]>;
}

export class ValidationsAhead {
  private readonly slots = new WeakMap<Resource, Slot>();
  private closed = false;

  /** Validates `resource` soon, with `run`, unless its write claims it first. */
  schedule(resource: Resource, mode: ValidationMode, run: () => Promise<Issue[]>): void {
    if (this.closed || this.slots.has(resource)) return;
    const slot: Slot = { mode, run };
    this.slots.set(resource, slot);
    setImmediate(() => {
      if (!this.closed) this.begin(slot);
    });
  }

  /** The validation of `resource` in `mode` (started now if it has not started), or undefined if none was scheduled. */
  claim(resource: Resource, mode: ValidationMode): Promise<Issue[]> | undefined {
    const slot = this.slots.get(resource);
    if (!slot || slot.mode !== mode) return undefined;
    this.slots.delete(resource);
    return this.begin(slot);
  }

  /** No validation starts after this (the transaction has ended). */
  close(): void {
    this.closed = true;
  }

  private begin(slot: Slot): Promise<Issue[]> {
    if (!slot.result) {
      try {
        slot.result = slot.run();
      } catch (error) {
        slot.result = Promise.reject(error);
      }
      // The write that claims it sees the failure; until then it must not count as unhandled.
      slot.result.catch(() => undefined);
    }
    return slot.result;
  }
}
