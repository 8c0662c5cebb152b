/**
 * The fields of a posted form (application/x-www-form-urlencoded, kept as text by the body parser)
 * or of a JSON object, as plain strings: the first value of a repeated field, nothing else.
 */

/** The string fields of a form body or a JSON object body. */
export function formFields(body: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  if (typeof body === 'string') {
    for (const [name, value] of new URLSearchParams(body)) if (!(name in fields)) fields[name] = value;
  } else if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    for (const [name, value] of Object.entries(body)) if (typeof value === 'string') fields[name] = value;
  }
  return fields;
}
