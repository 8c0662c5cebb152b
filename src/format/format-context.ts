/**
 * What both converters need from the model, looked up once per model: the registry of first-class
 * fields and the Extension and Element types (extensions, and the objects of _name keys).
 */
import type { FhirModel, JsonKeyBinding, TypeSchema } from '../model/index.js';
import { firstClassRegistry, type FirstClassRegistry } from './first-class-registry.js';

export interface FormatContext {
  model: FhirModel;
  registry: FirstClassRegistry;
  extensionType: TypeSchema;
  elementType: TypeSchema;
}

const contexts = new WeakMap<FhirModel, FormatContext>();

export function formatContext(model: FhirModel): FormatContext {
  let ctx = contexts.get(model);
  if (!ctx) {
    const extensionType = model.getType('Extension');
    const elementType = model.getType('Element');
    if (!extensionType || !elementType) throw new Error('The model has no Extension or Element type');
    ctx = { model, registry: firstClassRegistry(model), extensionType, elementType };
    contexts.set(model, ctx);
  }
  return ctx;
}

export function isPrimitiveType(ctx: FormatContext, code: string): boolean {
  return ctx.model.getType(code)?.kind === 'primitive-type';
}

/** Types whose values are whole resources (contained, Bundle.entry.resource, Parameters). */
export function isResourceSlot(ctx: FormatContext, binding: JsonKeyBinding): boolean {
  return binding.type === 'Resource' || binding.type === 'DomainResource' || ctx.model.getType(binding.type)?.kind === 'resource';
}

/** The binding of valueX of an extension (undefined when X is not a value type). */
export function extensionValueBinding(ctx: FormatContext, key: string): JsonKeyBinding | undefined {
  const binding = ctx.extensionType.keys.get(key);
  return binding?.element.name === 'value' ? binding : undefined;
}

/** Sets a key that came from the input as it is; __proto__ becomes a plain property too. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
