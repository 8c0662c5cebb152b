/**
 * FHIRPath semantics SQL on FHIR views need beyond plain SQL (https://hl7.org/fhirpath/N1/):
 * - fhir.fp_singleton(collection, column): the single item of a jsonb array, NULL when empty, an
 *   error (SQLSTATE SOF01) when there are more (a column without collection: true, an operand);
 * - fhir.fp_compare(a, b): date, dateTime, instant or time order, -1/0/1, NULL when the values
 *   have different precisions and agree as far as both go (FHIRPath's "empty"); values with time
 *   zones are compared in UTC;
 * - fhir.fp_boundary_decimal / _date / _datetime / _time(value, low): lowBoundary() and
 *   highBoundary() (FHIRPath 3.0): a decimal widened by half a unit of its last digit, partial
 *   dates and times filled to the millisecond, a missing time zone taken as +14:00 (low) or -12:00
 *   (high).
 * The in-memory runner implements the same rules in TypeScript (src/sof/memory).
 */

const DATE_TIME = `'^(\\d{4})(?:-(\\d{2})(?:-(\\d{2}))?)?(?:T(\\d{2})(?::(\\d{2})(?::(\\d{2}(?:\\.\\d+)?))?)?)?(Z|[+-]\\d{2}:\\d{2})?$'`;
const TIME = `'^(\\d{2})(?::(\\d{2})(?::(\\d{2}(?:\\.\\d+)?))?)?$'`;

export const FHIRPATH_FUNCTIONS: readonly string[] = [
  `CREATE OR REPLACE FUNCTION fhir.fp_singleton(collection jsonb, column_name text DEFAULT NULL) RETURNS jsonb
     LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
   BEGIN
     IF collection IS NULL OR jsonb_array_length(collection) = 0 THEN RETURN NULL; END IF;
     IF jsonb_array_length(collection) = 1 THEN RETURN collection -> 0; END IF;
     IF column_name IS NULL THEN
       RAISE EXCEPTION USING ERRCODE = 'SOF01', MESSAGE = format('an operand has %s values where FHIRPath expects one', jsonb_array_length(collection));
     END IF;
     RAISE EXCEPTION USING ERRCODE = 'SOF01', MESSAGE = format('column %s found %s values but is not a collection', column_name, jsonb_array_length(collection));
   END $$`,
  // Components of a temporal value: year, month, day, hour, minute, seconds (a time: hour, minute,
  // seconds), and the zone offset in minutes (NULL when absent).
  `CREATE OR REPLACE FUNCTION fhir.fp_temporal(value text, OUT parts numeric[], OUT zone integer)
     LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
   DECLARE m text[];
   BEGIN
     m := regexp_match(value, ${TIME});
     IF m IS NOT NULL THEN parts := ARRAY[m[1]::numeric, m[2]::numeric, m[3]::numeric]; RETURN; END IF;
     m := regexp_match(value, ${DATE_TIME});
     IF m IS NULL THEN RETURN; END IF;
     parts := ARRAY[m[1]::numeric, m[2]::numeric, m[3]::numeric, m[4]::numeric, m[5]::numeric, m[6]::numeric];
     IF m[7] = 'Z' THEN zone := 0;
     ELSIF m[7] IS NOT NULL THEN zone := (CASE WHEN left(m[7], 1) = '-' THEN -1 ELSE 1 END) * (substr(m[7], 2, 2)::integer * 60 + substr(m[7], 5, 2)::integer);
     END IF;
   END $$`,
  `CREATE OR REPLACE FUNCTION fhir.fp_in_utc(parts numeric[], zone integer) RETURNS numeric[]
     LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
   DECLARE t timestamp; seconds numeric := coalesce(parts[6], 0);
   BEGIN
     t := make_timestamp(parts[1]::integer, coalesce(parts[2], 1)::integer, coalesce(parts[3], 1)::integer,
                         parts[4]::integer, coalesce(parts[5], 0)::integer, 0) - make_interval(mins => zone);
     RETURN ARRAY[extract(year FROM t), extract(month FROM t), extract(day FROM t), extract(hour FROM t),
                  CASE WHEN parts[5] IS NULL THEN NULL ELSE extract(minute FROM t) END,
                  CASE WHEN parts[6] IS NULL THEN NULL ELSE seconds END];
   END $$`,
  `CREATE OR REPLACE FUNCTION fhir.fp_compare(a text, b text) RETURNS integer
     LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
   DECLARE x record; y record; pa numeric[]; pb numeric[];
   BEGIN
     IF a IS NULL OR b IS NULL THEN RETURN NULL; END IF;
     SELECT * INTO x FROM fhir.fp_temporal(a);
     SELECT * INTO y FROM fhir.fp_temporal(b);
     pa := x.parts; pb := y.parts;
     IF pa IS NULL OR pb IS NULL OR array_length(pa, 1) <> array_length(pb, 1) THEN RETURN NULL; END IF;
     IF x.zone IS NOT NULL AND y.zone IS NOT NULL AND pa[4] IS NOT NULL AND pb[4] IS NOT NULL AND x.zone <> y.zone THEN
       pa := fhir.fp_in_utc(pa, x.zone); pb := fhir.fp_in_utc(pb, y.zone);
     END IF;
     FOR i IN 1 .. array_length(pa, 1) LOOP
       IF pa[i] IS NULL AND pb[i] IS NULL THEN RETURN 0; END IF;
       IF pa[i] IS NULL OR pb[i] IS NULL THEN RETURN NULL; END IF;
       IF pa[i] < pb[i] THEN RETURN -1; END IF;
       IF pa[i] > pb[i] THEN RETURN 1; END IF;
     END LOOP;
     RETURN 0;
   END $$`,
  `CREATE OR REPLACE FUNCTION fhir.fp_boundary_decimal(value numeric, low boolean) RETURNS numeric
     LANGUAGE sql IMMUTABLE PARALLEL SAFE
     AS $$ SELECT round(value + (CASE WHEN low THEN -5 ELSE 5 END) * (10::numeric ^ (-(scale(value) + 1))), scale(value) + 1) $$`,
  `CREATE OR REPLACE FUNCTION fhir.fp_fraction(fraction text, low boolean) RETURNS text
     LANGUAGE sql IMMUTABLE PARALLEL SAFE
     AS $$ SELECT CASE WHEN fraction IS NULL THEN CASE WHEN low THEN '.000' ELSE '.999' END
                       WHEN length(fraction) >= 4 THEN fraction
                       ELSE rpad(fraction, 4, CASE WHEN low THEN '0' ELSE '9' END) END $$`,
  `CREATE OR REPLACE FUNCTION fhir.fp_boundary_date(value text, low boolean) RETURNS text
     LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
   DECLARE m text[];
   BEGIN
     m := regexp_match(value, '^(\\d{4})(?:-(\\d{2})(?:-(\\d{2}))?)?$');
     IF m IS NULL THEN RETURN NULL; END IF;
     IF m[3] IS NOT NULL THEN RETURN value; END IF;
     IF low THEN RETURN m[1] || '-' || coalesce(m[2], '01') || '-01'; END IF;
     RETURN to_char((make_date(m[1]::integer, coalesce(m[2], '12')::integer, 1) + interval '1 month' - interval '1 day')::date, 'YYYY-MM-DD');
   END $$`,
  `CREATE OR REPLACE FUNCTION fhir.fp_boundary_time(value text, low boolean) RETURNS text
     LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
   DECLARE m text[];
   BEGIN
     m := regexp_match(value, '^(\\d{2})(?::(\\d{2})(?::(\\d{2})(\\.\\d+)?)?)?$');
     IF m IS NULL THEN RETURN NULL; END IF;
     RETURN m[1] || ':' || coalesce(m[2], CASE WHEN low THEN '00' ELSE '59' END) || ':'
       || coalesce(m[3], CASE WHEN low THEN '00' ELSE '59' END) || fhir.fp_fraction(m[4], low);
   END $$`,
  `CREATE OR REPLACE FUNCTION fhir.fp_boundary_datetime(value text, low boolean) RETURNS text
     LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
   DECLARE m text[];
   BEGIN
     m := regexp_match(value, '^(\\d{4}(?:-\\d{2}(?:-\\d{2})?)?)(?:T(\\d{2}(?::\\d{2}(?::\\d{2}(?:\\.\\d+)?)?)?))?(Z|[+-]\\d{2}:\\d{2})?$');
     IF m IS NULL THEN RETURN NULL; END IF;
     RETURN fhir.fp_boundary_date(m[1], low) || 'T' || fhir.fp_boundary_time(coalesce(m[2], CASE WHEN low THEN '00' ELSE '23' END), low)
       || coalesce(m[3], CASE WHEN low THEN '+14:00' ELSE '-12:00' END);
   END $$`,
];
