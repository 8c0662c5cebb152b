/**
 * The registry of search parameter types: SearchParameter.type -> the module that implements it
 * (parameter-type.ts). The compiler, _sort, index management, _filter and the installation of the
 * key functions find a type here; a new type is one module and one line below. The list's order is
 * the order the key functions are installed in.
 */
import { compositeType } from './composite-type.js';
import { dateType } from './date-type.js';
import { numberType } from './number-type.js';
import type { ParameterType } from './parameter-type.js';
import { quantityType } from './quantity-type.js';
import { referenceType } from './reference-type.js';
import { specialType } from './special-type.js';
import { stringType } from './string-type.js';
import { tokenType } from './token-type.js';
import { uriType } from './uri-type.js';

export const parameterTypeList: readonly ParameterType[] = [
  stringType, tokenType, referenceType, numberType, quantityType, dateType, uriType, compositeType, specialType,
];

/** The types by their code. */
export const parameterTypes: ReadonlyMap<string, ParameterType> = new Map(parameterTypeList.map((type) => [type.code, type]));

/** The module of a SearchParameter.type; undefined for a type Flint does not know. */
export function parameterTypeOf(code: string): ParameterType | undefined {
  return parameterTypes.get(code);
}
