/**
 * An operation's input once read and checked against its definition: every value of every
 * parameter, by name, typed as the definition says (strings, numbers, booleans, objects for data
 * types and resources). Values keep their order: query string first, then the body.
 */
import { isResource, type Resource } from '../core/index.js';

export class OperationInput {
  constructor(private readonly values: ReadonlyMap<string, readonly unknown[]>) {}

  has(name: string): boolean {
    return (this.values.get(name)?.length ?? 0) > 0;
  }

  all(name: string): readonly unknown[] {
    return this.values.get(name) ?? [];
  }

  /** The value of a parameter of max 1 (the reader has checked there is at most one). */
  one(name: string): unknown {
    return this.all(name)[0];
  }

  string(name: string): string | undefined {
    const value = this.one(name);
    return typeof value === 'string' ? value : undefined;
  }

  strings(name: string): string[] {
    return this.all(name).filter((value): value is string => typeof value === 'string');
  }

  boolean(name: string): boolean | undefined {
    const value = this.one(name);
    return typeof value === 'boolean' ? value : undefined;
  }

  number(name: string): number | undefined {
    const value = this.one(name);
    return typeof value === 'number' ? value : undefined;
  }

  resource(name: string): Resource | undefined {
    const value = this.one(name);
    return isResource(value) ? value : undefined;
  }

  resources(name: string): Resource[] {
    return this.all(name).filter(isResource);
  }

  /** The names given, in the order of the definition's reading. */
  names(): string[] {
    return [...this.values.keys()];
  }
}
