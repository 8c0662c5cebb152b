/**
 * The Prefer header (http://hl7.org/fhir/R4/http.html#ops): return=minimal | representation |
 * OperationOutcome for writes, handling=strict | lenient for search.
 */

export type ReturnPreference = 'minimal' | 'representation' | 'OperationOutcome';

function preferValues(header: string | undefined): Map<string, string> {
  const values = new Map<string, string>();
  for (const part of (header ?? '').split(/[,;]/)) {
    const [key, value] = part.split('=').map((text) => text.trim());
    if (key) values.set(key.toLowerCase(), (value ?? '').replace(/^"(.*)"$/, '$1'));
  }
  return values;
}

export function returnPreference(headers: Record<string, string | undefined>): ReturnPreference {
  const value = preferValues(headers.prefer).get('return');
  if (value === 'minimal' || value === 'OperationOutcome') return value;
  return 'representation';
}

export function handlingPreference(headers: Record<string, string | undefined>): 'strict' | 'lenient' {
  return preferValues(headers.prefer).get('handling') === 'strict' ? 'strict' : 'lenient';
}
