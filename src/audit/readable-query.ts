/**
 * A query as people read it: BALP keeps the raw request base64 in entity.query, and a cleaned
 * text in entity.description; Flint's description is the query with its parameters decoded.
 */
export function readableQuery(query: string): string {
  try {
    return decodeURIComponent(query.replace(/\+/g, ' '));
  } catch {
    return query;
  }
}
