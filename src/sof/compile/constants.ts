/**
 * View constants (ViewDefinition.constant) as typed SQL values: `%name` is the FHIR literal of the
 * constant's type, so a valueDate compares as a date and a valueInteger computes as a number.
 */
import { sql } from '../../sql/index.js';
import type { ViewConstant } from '../view/view-types.js';
import { valueClassOfPrimitive } from './fhir-types.js';
import { one, type One } from './values.js';

export function constantValue(constant: ViewConstant): One {
  const types = [{ name: constant.type }];
  switch (valueClassOfPrimitive(constant.type)) {
    case 'integer': case 'decimal': return one(sql`${String(constant.value)}::numeric`, 'numeric', types);
    case 'boolean': return one(sql`${String(constant.value)}::boolean`, 'boolean', types);
    default: return one(sql`${String(constant.value)}::text`, 'text', types);
  }
}
