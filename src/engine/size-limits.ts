/**
 * The size limits of what a client sends to be written: the longest array anywhere in a resource
 * (FLINT_MAX_ARRAY_LENGTH) and the most entries of a batch or transaction Bundle
 * (FLINT_BUNDLE_MAX_ENTRIES). Larger input is refused with 413 before anything is written or
 * indexed: its cost grows with its size, and real data stays far below the defaults.
 */
import { isJsonObject, type Bundle, type Resource } from '../core/index.js';
import type { EngineContext } from './engine-context.js';
import { engineErrors } from './engine-errors.js';

/** 413 (resource.array-too-long) when an array anywhere in the resource has more than max items; walked without recursion. */
export function rejectLongArrays(resource: Resource, max: number, where = resource.resourceType): void {
  const stack: [unknown, string][] = [[resource, where]];
  while (stack.length > 0) {
    const [node, name] = stack.pop()!;
    if (Array.isArray(node)) {
      if (node.length > max) {
        throw engineErrors['resource.array-too-long']({ name, length: node.length, max }, { expression: name });
      }
      for (const item of node) if (typeof item === 'object' && item !== null) stack.push([item, name]);
    } else if (typeof node === 'object' && node !== null) {
      for (const key of Object.keys(node)) {
        const child = (node as Record<string, unknown>)[key];
        if (typeof child === 'object' && child !== null) stack.push([child, `${name}.${key}`]);
      }
    }
  }
}

/** 413 (bundle.too-many-entries) when a batch or transaction Bundle has more entries than the setting allows. */
export function rejectLargeBundle(ctx: EngineContext, bundle: Bundle): void {
  const count = Array.isArray(bundle.entry) ? bundle.entry.length : 0;
  if (count > ctx.config.bundleMaxEntries) {
    throw engineErrors['bundle.too-many-entries']({ count, max: ctx.config.bundleMaxEntries }, { expression: 'Bundle.entry' });
  }
}

/** For a transaction, every entry's resource is checked before the transaction begins (so nothing runs in vain). */
export function rejectLongArraysInEntries(ctx: EngineContext, bundle: Bundle): void {
  if (!Array.isArray(bundle.entry)) return;
  bundle.entry.forEach((entry, index) => {
    const resource = isJsonObject(entry) ? entry.resource : undefined;
    if (isJsonObject(resource)) rejectLongArrays(resource as Resource, ctx.config.maxArrayLength, `Bundle.entry[${index}].resource`);
  });
}
