/**
 * The SQL functions that turn FHIR date, dateTime, instant, Period and Timing values into
 * tstzranges (https://hl7.org/fhir/R4/search.html#date): every value stands for the range its
 * precision implies ('2024' is the whole year), half-open '[)'. A value without a time zone is UTC:
 * text is only ever read as a timestamptz with an explicit offset, and precision steps are added in
 * UTC (timestamp without time zone), so results never depend on TimeZone or DateStyle and the
 * functions can be IMMUTABLE (index expressions). Invalid text gives NULL, never an error.
 *
 * A regular expression without capture groups checks the shape and the digits' ranges
 * (regexp_match with capture groups costs tens of microseconds a call); the day of the month is
 * checked apart.
 */
import { KEY_FUNCTION, PLPGSQL } from './key-function-sql.js';

/** The shape of a FHIR date, dateTime or instant (also hh:mm without seconds); 60 seconds only without a fraction. */
const DATE_PATTERN = String.raw`^\d\d\d\d(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01])` +
  String.raw`(?:T(?:[01]\d|2[0-3]):[0-5]\d(?::(?:[0-5]\d(?:\.\d+)?|60(?:\.0+)?))?(?:Z|[+-](?:0\d|1[0-4]):[0-5]\d)?)?)?)?$`;

/** Day 29-31 past the end of its month (the pattern allows 01-31 in any month). */
const DAY_PAST_MONTH_END = `length(value) >= 10 AND substr(value, 9, 2) > '28'
  AND substr(value, 9, 2)::integer > extract(day FROM make_date(left(value, 4)::integer, substr(value, 6, 2)::integer, 1) + interval '1 month - 1 day')`;

/** The value completed to a full instant with an offset (no offset means UTC). */
const AS_INSTANT = `CASE length(value) WHEN 4 THEN value || '-01-01T00:00:00Z' WHEN 7 THEN value || '-01T00:00:00Z'
  WHEN 10 THEN value || 'T00:00:00Z'
  ELSE CASE WHEN right(value, 1) = 'Z' OR substr(value, length(value) - 5, 1) IN ('+', '-') THEN value ELSE value || 'Z' END END`;

/** The length of the implied range: the value's precision (any fraction of a second counts as milliseconds). */
const STEP = `CASE length(value) WHEN 4 THEN interval '1 year' WHEN 7 THEN interval '1 month' WHEN 10 THEN interval '1 day'
  ELSE CASE WHEN substr(value, 17, 1) <> ':' THEN interval '1 minute'
    WHEN substr(value, 20, 1) = '.' THEN interval '1 millisecond' ELSE interval '1 second' END END`;

export const DATE_FUNCTIONS_DDL: readonly string[] = [
  // The implicit range of one date, dateTime or instant.
  `CREATE OR REPLACE FUNCTION flint_date_range(value text) RETURNS tstzrange
     ${PLPGSQL} STRICT AS $$
   DECLARE
     start timestamp;
   BEGIN
     IF value !~ '${DATE_PATTERN}' OR left(value, 4) = '0000' THEN RETURN NULL; END IF;
     IF ${DAY_PAST_MONTH_END} THEN RETURN NULL; END IF;
     start := timezone('UTC', (${AS_INSTANT})::timestamptz);
     RETURN tstzrange(timezone('UTC', start), timezone('UTC', start + ${STEP}), '[)');
   END $$`,
  // A Period: from the start of start to the end of end; an absent bound is -infinity or infinity.
  `CREATE OR REPLACE FUNCTION flint_period_range(period jsonb) RETURNS tstzrange
     ${PLPGSQL} AS $$
   DECLARE
     low timestamptz := '-infinity';
     high timestamptz := 'infinity';
   BEGIN
     IF jsonb_typeof(period) IS DISTINCT FROM 'object' OR NOT (period ? 'start' OR period ? 'end') THEN RETURN NULL; END IF;
     IF period ? 'start' THEN low := lower(public.flint_date_range(period ->> 'start')); END IF;
     IF period ? 'end' THEN high := upper(public.flint_date_range(period ->> 'end')); END IF;
     IF low < high THEN RETURN tstzrange(low, high, '[)'); END IF;
     RETURN NULL;
   END $$`,
  // Every range along the paths: dates, Periods, a Timing's events (one range from the first to the last) and repeat.boundsPeriod.
  `CREATE OR REPLACE FUNCTION flint_date_ranges(doc jsonb, paths text[]) RETURNS tstzrange[]
     ${KEY_FUNCTION} AS $$
   DECLARE
     items jsonb := public.flint_path_items(doc, paths);
     item jsonb;
     found tstzrange;
     span tstzrange;
     ranges tstzrange[] := '{}';
   BEGIN
     FOR i IN 0 .. jsonb_array_length(items) - 1 LOOP
       item := items -> i;
       IF jsonb_typeof(item) = 'string' THEN
         found := public.flint_date_range(item #>> '{}');
         IF found IS NOT NULL THEN ranges := ranges || found; END IF;
       ELSIF jsonb_typeof(item) = 'object' THEN
         found := public.flint_period_range(item);
         IF found IS NOT NULL THEN ranges := ranges || found; END IF;
         IF jsonb_typeof(item -> 'event') = 'array' THEN
           span := NULL;
           FOR j IN 0 .. jsonb_array_length(item -> 'event') - 1 LOOP
             found := public.flint_date_range(item -> 'event' ->> j);
             IF found IS NOT NULL THEN span := CASE WHEN span IS NULL THEN found ELSE range_merge(span, found) END; END IF;
           END LOOP;
           IF span IS NOT NULL THEN ranges := ranges || span; END IF;
         END IF;
         IF item -> 'repeat' ? 'boundsPeriod' THEN
           found := public.flint_period_range(item -> 'repeat' -> 'boundsPeriod');
           IF found IS NOT NULL THEN ranges := ranges || found; END IF;
         END IF;
       END IF;
     END LOOP;
     RETURN ranges;
   END $$`,
  // The smallest range covering all of flint_date_ranges (the key of the GiST index).
  `CREATE OR REPLACE FUNCTION flint_date_envelope(doc jsonb, paths text[]) RETURNS tstzrange
     ${KEY_FUNCTION} AS $$
   DECLARE
     found tstzrange;
     low timestamptz;
     high timestamptz;
   BEGIN
     FOREACH found IN ARRAY public.flint_date_ranges(doc, paths) LOOP
       low := least(low, lower(found));
       high := greatest(high, upper(found));
     END LOOP;
     IF low IS NULL THEN RETURN NULL; END IF;
     RETURN tstzrange(low, high, '[)');
   END $$`,
];
