/**
 * A ViewDefinition after its shape was checked (parse-view.ts): the parts both runners read, each
 * with its location in the ViewDefinition for error messages.
 * https://sql-on-fhir.org/ig/StructureDefinition-ViewDefinition.html
 */

export interface ViewColumn {
  location: string;
  name: string;
  path: string;
  /** collection: true keeps every value (an array); otherwise more than one value is an error. */
  collection: boolean;
  /** The declared FHIR type (select.column.type), without the StructureDefinition prefix. */
  type?: string;
  tags: { name: string; value: string }[];
}

export interface ViewSelect {
  location: string;
  columns: ViewColumn[];
  select: ViewSelect[];
  unionAll: ViewSelect[];
  forEach?: string;
  forEachOrNull?: string;
  repeat?: string[];
}

export interface ViewConstant {
  location: string;
  name: string;
  /** The FHIR type of the value (string, date, integer...), from value[x]. */
  type: string;
  value: string | number | boolean;
}

export interface ViewWhere {
  location: string;
  path: string;
}

export interface View {
  resource: string;
  name?: string;
  constants: ViewConstant[];
  select: ViewSelect[];
  where: ViewWhere[];
}
