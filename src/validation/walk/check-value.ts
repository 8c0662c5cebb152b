/**
 * fixed[x], pattern[x] and maxLength of the rules describing a value.
 */
import type { ElementRule } from '../schema/element-rule.js';
import { VALIDATION_CODES as CODES } from '../validation-issues.js';
import { equalsFixed, matchesPattern } from './value-match.js';
import { report, type WalkContext } from './walk-context.js';

function shown(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

export function checkValueRules(walk: WalkContext, value: unknown, rules: readonly ElementRule[], path: string): void {
  for (const rule of rules) {
    if (rule.fixed !== undefined && !equalsFixed(value, rule.fixed)) {
      report(walk, 'error', 'value', CODES.fixedValue, `Value is ${shown(value)} but is fixed to ${shown(rule.fixed)} (from ${rule.source})`, path);
    }
    if (rule.pattern !== undefined && !matchesPattern(value, rule.pattern)) {
      report(walk, 'error', 'value', CODES.patternValue, `Value ${shown(value)} does not match the pattern ${shown(rule.pattern)} (from ${rule.source})`, path);
    }
  }
}

export function checkPrimitiveRules(walk: WalkContext, value: unknown, rules: readonly ElementRule[], type: string, path: string): void {
  checkValueRules(walk, value, rules, path);
  if (typeof value !== 'string') return;
  for (const rule of rules) {
    if (rule.maxLength !== undefined && value.length > rule.maxLength) {
      report(walk, 'error', 'value', CODES.maxLength, `The ${type} is ${value.length} characters long, more than the ${rule.maxLength} allowed (from ${rule.source})`, path);
    }
  }
}
