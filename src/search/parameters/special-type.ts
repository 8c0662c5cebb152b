/**
 * Parameters of type special (http://hl7.org/fhir/R4/search.html#special, such as Location.near):
 * each needs its own implementation, and Flint has none yet, so such a parameter cannot be searched
 * by value, sorted by or indexed; only :missing (the compiler's) applies. The common parameters
 * that are not paths (_id, _lastUpdated, _text, ...) are special/special-conditions.ts.
 */
import type { ParameterType } from './parameter-type.js';

export const specialType: ParameterType = {
  code: 'special',
  functions: [],
};
