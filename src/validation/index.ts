/**
 * validation: checks of resources against the model and profiles. Today: the structural checks
 * every write passes (known elements, arrays, primitive forms).
 */
export * from './structure-issues.js';
export * from './primitive-check.js';
export * from './extension-check.js';
export { checkStructure } from './structure-check.js';
