/**
 * The scope of one evaluation: a value the caller hands a compiled expression and its user
 * functions read (fhirpath-functions.ts, `this.scope`). It travels inside the environment object
 * the library gets for that evaluation, under a symbol, so no expression can name it as a
 * %variable and no other evaluation, earlier, later or nested, can see it.
 */

const SCOPE = Symbol('flint.fhirpath.scope');

/** The library calls a user function with its evaluation context as `this`; `vars` is our environment. */
export interface LibraryCallContext {
  vars?: Record<PropertyKey, unknown>;
}

/** The environment with the scope added (the same object when there is no scope). */
export function withScope(environment: Record<string, unknown>, scope: unknown): Record<string, unknown> {
  return scope === undefined ? environment : { ...environment, [SCOPE]: scope };
}

/** The scope of the evaluation that called a user function. */
export function scopeOf(context: LibraryCallContext | undefined): unknown {
  return context?.vars?.[SCOPE];
}
