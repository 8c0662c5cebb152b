/**
 * sql: SQL as data (fragments, identifiers, parameters) and its compiler, plus isolation levels.
 * Every query Flint runs is built here; nothing else concatenates SQL text with values.
 */
export * from './fragment.js';
export * from './isolation.js';
