/**
 * The search-key expressions the hand-written SQL shares with Flint, written out as Flint writes
 * them (read from `GET /fhir/<Type>/$explain` output; docs/search.md): the key functions of
 * src/search/sql-functions.ts over the same jsonpath literals, so PostgreSQL can serve the
 * hand-written queries with the same expression indexes. `--explain` checks that every key
 * expression of a hand-written query also appears in the server's SQL.
 */

/** `ARRAY['$."a"', '$."b"']::text[]`: the jsonpaths of a parameter, as Flint's index expressions spell them. */
const paths = (...list: string[]) => `ARRAY[${list.map((path) => `'$."${path}"'`).join(', ')}]::text[]`;

const EFFECTIVE = paths('effectiveDateTime', 'effectivePeriod', 'effectiveTiming', 'effectiveInstant');

/** The key expressions by parameter; `doc` is the resource column (resource, p.resource). */
export const keys = {
  patientName: (doc = 'resource') => `flint_string_text(${doc}, ${paths('name')})`,
  patientFamily: (doc = 'resource') => `flint_string_text(${doc}, ARRAY['$."name"."family"']::text[])`,
  patientBirthdate: { envelope: `flint_date_envelope(resource, ${paths('birthDate')})`, ranges: `flint_date_ranges(resource, ${paths('birthDate')})` },
  identifier: (doc = 'resource') => `flint_token_keys(${doc}, ${paths('identifier')})`,
  code: (doc = 'resource') => `flint_token_keys(${doc}, ${paths('code')})`,
  status: (doc = 'resource') => `flint_token_keys(${doc}, ${paths('status')})`,
  subject: (doc = 'resource') => `flint_reference_keys(${doc}, ${paths('subject')})`,
  /** The id the subject points to: what a search for one subject sorted by -date adds (reference-date-order.ts). */
  subjectId: (doc = 'resource') => `flint_reference_id(${doc}, ${paths('subject')})`,
  requester: (doc = 'resource') => `flint_reference_keys(${doc}, ${paths('requester')})`,
  valueQuantity: (doc = 'resource') => `flint_quantities(${doc}, ${paths('valueQuantity')})`,
  observationDate: { envelope: `flint_date_envelope(resource, ${EFFECTIVE})`, ranges: `flint_date_ranges(resource, ${EFFECTIVE})` },
  encounterDate: { envelope: `flint_date_envelope(resource, ${paths('period')})`, ranges: `flint_date_ranges(resource, ${paths('period')})` },
};

export interface DateKeys {
  envelope: string;
  ranges: string;
}

/**
 * `date=ge<start>` as Flint compiles it: the GiST-indexed envelope test alone, which is exact for
 * gt/ge/lt/le (some value ends after X exactly when the envelope does).
 */
export const dateGe = (date: DateKeys, start: string) => `${date.envelope} && tstzrange(${start}::timestamptz, NULL)`;

/**
 * `date=ge<start>&date=lt<end>` (the same parameter bounded on both sides), as Flint merges it: one
 * envelope test against [start, end), which PostgreSQL estimates from the range histogram.
 */
export const dateBetween = (date: DateKeys, start: string, end: string) =>
  `${date.envelope} && tstzrange(${start}::timestamptz, ${end}::timestamptz)`;

/** `date=<value>` (eq): every range inside the value's range [start, end). */
export const dateEq = (date: DateKeys, start: string, end: string) =>
  `(${date.envelope} && tstzrange(${start}::timestamptz, ${end}::timestamptz) AND EXISTS (SELECT 1 FROM unnest(${date.ranges}) AS r WHERE r <@ tstzrange(${start}::timestamptz, ${end}::timestamptz)))`;

/** Flint's `_sort=-date`: the end of the latest value, descending, nulls last, then id. */
export const newestFirst = (date: DateKeys) => `upper(${date.envelope}) DESC NULLS LAST, id`;

/** The separator flint_string_text puts before every value (src/search/string-condition.ts). */
const VALUE_SEPARATOR = '\u001f';

/** The LIKE pattern of a string search ("starts with", before flint_norm), as the server binds it. */
export function prefixPattern(value: string): string {
  return `%${VALUE_SEPARATOR}${value.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A date of the data (YYYY, YYYY-MM-DD) as the instant the server binds for the start of its range. */
export const instant = (date: string) => new Date(date.length === 4 ? `${date}-01-01T00:00:00Z` : `${date}T00:00:00Z`).toISOString();

/** The reference keys the server looks up for `Type/id`: relative, and absolute against its own base. */
export const referenceKeys = (fhirBase: string, reference: string) => [reference, `${fhirBase}${reference}`];

const KEY_EXPRESSION = /flint_\w+\((?:\w+\.)?resource, ARRAY\[[^\]]*\]::text\[\]\)/g;

/** The key expressions of some SQL, the document reduced to `resource` (aliases differ, expressions must not). */
export function keyExpressionsOf(text: string): string[] {
  return [...new Set([...text.matchAll(KEY_EXPRESSION)].map((match) => match[0].replace(/\((?:\w+\.)?resource,/, '(resource,')))];
}
