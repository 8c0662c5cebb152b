/**
 * Terminology bindings (http://hl7.org/fhir/R4/terminologies.html#strength): required bindings
 * are errors when the code is not in the value set, extensible ones warnings; codes from systems
 * that cannot be checked here are reported as information, never as errors. Codes of a loaded
 * complete CodeSystem must exist in it, bound or not, and their displays should be its own; a
 * Coding's system is the absolute URL of a code system.
 */
import { isAbsoluteUri, isJsonObject, type JsonObject } from '../../core/index.js';
import type { BindingRule, ElementRule } from '../schema/element-rule.js';
import { displayKey } from '../terminology/code-system-index.js';
import type { Membership } from '../terminology/terminology.js';
import { VALIDATION_CODES as CODES } from '../validation-issues.js';
import { report, type WalkContext } from './walk-context.js';

export const CODED_TYPES = new Set(['code', 'Coding', 'CodeableConcept', 'Quantity', 'string', 'uri']);

interface CodeToCheck {
  system?: string;
  code: string;
  path: string;
}

function codingsOf(type: string, value: unknown, path: string): CodeToCheck[] | undefined {
  if (type === 'code' || type === 'string' || type === 'uri') return typeof value === 'string' ? [{ code: value, path }] : [];
  if (!isJsonObject(value)) return [];
  if (type === 'Coding' || type === 'Quantity') {
    return typeof value.code === 'string' ? [{ system: value.system as string | undefined, code: value.code, path }] : [];
  }
  if (type === 'CodeableConcept') {
    const codings = Array.isArray(value.coding) ? value.coding : [];
    return codings.flatMap((coding, index) => (isJsonObject(coding) && typeof coding.code === 'string'
      ? [{ system: coding.system as string | undefined, code: coding.code, path: `${path}.coding[${index}]` }] : []));
  }
  return undefined;
}

function valueSetName(valueSet: string): string {
  return valueSet.split('|')[0];
}

function checkOne(walk: WalkContext, binding: BindingRule, type: string, value: unknown, path: string): void {
  if ((binding.strength !== 'required' && binding.strength !== 'extensible') || !binding.valueSet) return;
  const codes = codingsOf(type, value, path);
  if (codes === undefined) return;
  if (codes.length === 0) {
    if (binding.strength === 'required' && type === 'CodeableConcept') {
      report(walk, 'error', 'code-invalid', CODES.bindingNoCode,
        `No code provided, and a code is required from the value set ${valueSetName(binding.valueSet)}`, path);
    }
    return;
  }
  if (!walk.terminology.isKnownValueSet(binding.valueSet)) {
    report(walk, 'information', 'informational', CODES.bindingUnchecked, `The value set ${binding.valueSet} is not known here, so the code was not checked`, path);
    return;
  }
  const results: Membership[] = codes.map((code) => walk.terminology.membership(binding.valueSet as string, code.system, code.code));
  if (results.includes('in')) return;
  const shown = codes.map((code) => (code.system ? `${code.system}#${code.code}` : code.code)).join(', ');
  if (results.includes('unknown')) {
    report(walk, 'information', 'informational', CODES.bindingUnchecked,
      `The code ${shown} is from a code system that is not available here, so its membership of ${valueSetName(binding.valueSet)} was not checked`, path);
    return;
  }
  if (binding.strength === 'required') {
    report(walk, 'error', 'code-invalid', CODES.bindingRequired,
      `The code ${shown} is not in the value set ${valueSetName(binding.valueSet)}, which is required`, codes.length === 1 ? codes[0].path : path);
  } else {
    report(walk, 'warning', 'code-invalid', CODES.bindingExtensible,
      `The code ${shown} is not in the value set ${valueSetName(binding.valueSet)} (extensible binding)`, path);
  }
}

/** Checks the bindings of the rules describing a value (each value set once). */
export function checkBindings(walk: WalkContext, rules: readonly ElementRule[], type: string, value: unknown, path: string): void {
  if (!CODED_TYPES.has(type)) return;
  let seen: string | undefined;
  for (const rule of rules) {
    const binding = rule.binding;
    if (!binding || binding.valueSet === seen) continue;
    seen = binding.valueSet;
    checkOne(walk, binding, type, value, path);
  }
}

/** Coding.system is the absolute URL of a code system (http://hl7.org/fhir/R4/terminologies.html), not of a value set. */
function checkCodingSystem(walk: WalkContext, system: string, path: string): boolean {
  if (!isAbsoluteUri(system)) {
    report(walk, 'error', 'invalid', CODES.codingSystem, `Coding.system must be an absolute URI, not '${system}'`, `${path}.system`);
    return false;
  }
  if (walk.terminology.namesValueSetOnly(system)) {
    report(walk, 'error', 'invalid', CODES.codingSystem, `Coding.system names the value set ${system}; it must name a code system`, `${path}.system`);
    return false;
  }
  return true;
}

/**
 * A Coding's system is a code system's absolute URL; a code of a loaded complete CodeSystem must
 * be one of its codes; its display, when given, should be one the code system gives the code (a
 * warning: displays are for people and may be in other languages than the code system's).
 */
export function checkCoding(walk: WalkContext, coding: JsonObject, path: string): void {
  const { system, code } = coding;
  if (typeof system !== 'string' || !checkCodingSystem(walk, system, path) || typeof code !== 'string') return;
  if (walk.terminology.codeExists(system, code) === 'out') {
    report(walk, 'error', 'code-invalid', CODES.codeUnknown, `Unknown code '${code}' in the CodeSystem '${system}'`, `${path}.code`);
    return;
  }
  if (typeof coding.display !== 'string') return;
  const displays = walk.terminology.displaysOf(system, code);
  const given = displayKey(coding.display);
  if (displays && !displays.some((display) => displayKey(display) === given)) {
    report(walk, 'warning', 'code-invalid', CODES.displayMismatch,
      `Wrong display '${coding.display}' for ${system}#${code}: the code system gives ${displays.map((display) => `'${display}'`).join(', ')} (compared without case)`, `${path}.display`);
  }
}
