/**
 * SearchParameter expressions and topic criteria evaluated on one resource in memory. Their
 * `resolve()` (`subject.where(resolve() is Patient)`) cannot read the database here: it gives, for
 * each reference it can parse (Type/id, or an absolute URL ending in Type/id), a stub resource of
 * that type and id, which is what `is Type` and `ofType(Type)` need.
 */
import { parseReference } from '../../core/index.js';
import { compileTypedFhirPath, defineFhirPathFunctions, type CompiledTypedFhirPath } from '../../fhirpath/index.js';

function referenceText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) {
    const reference = (value as { reference?: unknown }).reference;
    if (typeof reference === 'string') return reference;
  }
  return undefined;
}

/** The stub a reference resolves to: `{ resourceType, id }`, or nothing for a reference without a type. */
function referenceStub(value: unknown): object[] {
  const text = referenceText(value);
  const parsed = text === undefined ? undefined : parseReference(text);
  if (!parsed?.resourceType) return [];
  return [{ resourceType: parsed.resourceType, id: parsed.id }];
}

/** The FHIRPath functions of in-memory evaluation: resolve() to stubs. */
export const IN_MEMORY_FUNCTIONS = defineFhirPathFunctions({
  resolve: {
    arity: { 0: [] },
    returnsResources: true,
    fn: (input) => input.flatMap(referenceStub),
  },
});

/** Compiles an expression for in-memory evaluation (cached by the FHIRPath module). */
export function compileInMemory(expression: string): CompiledTypedFhirPath {
  return compileTypedFhirPath(expression, { functions: IN_MEMORY_FUNCTIONS });
}
