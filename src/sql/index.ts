/**
 * sql: SQL as data (fragments, identifiers, parameters) and its compiler, the one quoting of names
 * and string constants for text that cannot take parameters, and isolation levels.
 * Every query Flint runs is built here; nothing else concatenates SQL text with values.
 */
export * from './fragment.js';
export * from './isolation.js';
export * from './quote.js';
