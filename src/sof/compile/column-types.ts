/**
 * The type of each column: the declared select.column.type, checked against what the path yields,
 * or the type inferred from the path (https://sql-on-fhir.org/ig/StructureDefinition-ViewDefinition.html#column-types),
 * and the SQL type it is stored as. Strings, codes, uris and dates, dateTimes and times are text
 * (FHIR dates may be partial), integers are integer (integer64 bigint), decimals numeric, booleans
 * boolean; complex values, values of several possible types and collections are jsonb.
 */
import type { FhirModel } from '../../model/index.js';
import { raw, sql, type Sql } from '../../sql/index.js';
import { viewError } from '../sof-errors.js';
import type { ViewColumn } from '../view/view-types.js';
import { isSubtype, namedType, valueClassOfPrimitive, valueClasses, type FhirType, type ValueClass } from './fhir-types.js';
import { settle } from './navigation.js';
import { single } from './singletons.js';
import { oneAs, toArray, type Value } from './values.js';

export type SqlColumnType = 'text' | 'integer' | 'bigint' | 'numeric' | 'boolean' | 'jsonb';

export interface ColumnType {
  sqlType: SqlColumnType;
  /** The FHIR type of the values (declared, or inferred when there is exactly one). */
  fhirType?: string;
}

/** The FHIR name of an inferred type (System.String is reported as string). */
function fhirName(type: FhirType): string {
  return type.name.startsWith('System.') ? type.name.charAt(7).toLowerCase() + type.name.slice(8) : type.name;
}

function sqlTypeOf(valueClass: ValueClass, typeName: string): SqlColumnType {
  switch (valueClass) {
    case 'string': case 'date': case 'dateTime': case 'time': return 'text';
    case 'integer': return typeName === 'integer64' ? 'bigint' : 'integer';
    case 'decimal': return 'numeric';
    case 'boolean': return 'boolean';
    default: return 'jsonb';
  }
}

function compatible(model: FhirModel, declared: FhirType, declaredClass: ValueClass, inferred: FhirType, inferredClass: ValueClass): boolean {
  if (declaredClass === 'object' || declaredClass === 'quantity' || declaredClass === 'resource') {
    return inferred.name === declared.name || isSubtype(model, inferred.name, declared.name);
  }
  if (declaredClass === inferredClass) return true;
  return (declaredClass === 'decimal' && inferredClass === 'integer') || (declaredClass === 'dateTime' && inferredClass === 'date');
}

function declaredType(model: FhirModel, column: ViewColumn): { type: FhirType; valueClass: ValueClass } | undefined {
  if (column.type === undefined) return undefined;
  const primitive = valueClassOfPrimitive(column.type);
  if (primitive) return { type: { name: column.type }, valueClass: primitive };
  const named = namedType(model, column.type) ?? (model.elementAtPath(column.type) ? { name: column.type } : undefined);
  if (!named) throw viewError('sof.type-mismatch', `unknown column type ${column.type}`, `${column.location}.type`);
  const classes = valueClasses(model, [named]);
  return { type: named, valueClass: classes[0] };
}

export function columnType(model: FhirModel, column: ViewColumn, value: Value): ColumnType {
  const inferred = settle(value).types;
  const classes = valueClasses(model, inferred);
  const declared = declaredType(model, column);
  if (declared && inferred.length > 0) {
    const fits = inferred.some((type, i) => compatible(model, declared.type, declared.valueClass, type, valueClasses(model, [inferred[i]])[0]));
    if (!fits) {
      const found = inferred.map((type) => type.name).join(' | ');
      throw viewError('sof.type-mismatch', `column ${column.name} is declared ${column.type} but its path yields ${found}`, `${column.location}.type`);
    }
  }
  if (column.collection) return { sqlType: 'jsonb', fhirType: declared?.type.name ?? (inferred.length === 1 ? fhirName(inferred[0]) : undefined) };
  if (classes.length > 1) return { sqlType: 'jsonb', fhirType: declared?.type.name };
  if (declared) return { sqlType: sqlTypeOf(declared.valueClass, declared.type.name), fhirType: declared.type.name };
  if (inferred.length === 0) return { sqlType: 'text' };
  return { sqlType: sqlTypeOf(classes[0], inferred[0].name), fhirType: fhirName(inferred[0]) };
}

/** The SQL of a column: the value as the column's SQL type (a jsonb array for a collection). */
export function columnSql(value: Value, type: ColumnType, column: ViewColumn): Sql {
  if (column.collection) return toArray(settle(value));
  const item = single(value, column.name);
  switch (type.sqlType) {
    case 'text': return oneAs(item, 'text');
    case 'integer': case 'bigint': return sql`(${oneAs(item, 'numeric')})::${raw(type.sqlType)}`;
    case 'numeric': return oneAs(item, 'numeric');
    case 'boolean': return oneAs(item, 'boolean');
    case 'jsonb': return oneAs(item, 'jsonb');
  }
}
