/**
 * parseFhirJson: JSON text -> plain JS values, with the text of every number that a JS number would
 * change (105.00, 1.0, 66.899999999999991, 12345678901234567890.123) recorded beside it (see
 * number-texts.ts). JSON.parse does the parsing and reports malformed text; one scan over the text
 * then proves that every number token round-trips, and only when one does not does a second scan
 * walk the structure to record the texts. Text nested deeper than MAX_JSON_DEPTH, or with a string
 * the database cannot store, is refused (json-limits.ts).
 */
import { rejectDeepJsonText, rejectUnstorableStrings, stringEnd } from './json-limits.js';
import { isLossyNumberText, setNumberText } from './number-texts.js';

const QUOTE = 0x22;

function isNumberStart(code: number): boolean {
  return code === 0x2d || (code >= 0x30 && code <= 0x39);
}

function isNumberPart(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || code === 0x2e || code === 0x2d || code === 0x2b || code === 0x65 || code === 0x45;
}

function numberEnd(text: string, start: number): number {
  let end = start + 1;
  while (end < text.length && isNumberPart(text.charCodeAt(end))) end++;
  return end;
}

/** A number token JS would write differently: a fraction, an exponent, -0 or more than 15 digits. */
function isLossyToken(token: string): boolean {
  if (token.length < 16 && !token.includes('.') && !token.includes('e') && !token.includes('E') && token !== '-0') return false;
  return isLossyNumberText(token);
}

/**
 * Number tokens that may be lossy: after a colon, comma or bracket, with a fraction, an exponent,
 * 16 digits or more, or -0. The pattern also matches inside strings ("at 10:1.5"); such a match
 * only sends the text to the exact scan, which finds nothing to record.
 */
const CANDIDATE = /[:,[]\s*(-?\d+[.eE][\d.eE+-]*|-?\d{16,}|-0(?![\d.eE]))/g;

/** Whether the (valid) JSON text may have a number token whose text a JS number would not reproduce. */
export function hasLossyNumber(text: string): boolean {
  CANDIDATE.lastIndex = 0;
  for (let match = CANDIDATE.exec(text); match; match = CANDIDATE.exec(text)) {
    if (isLossyNumberText(match[1])) return true;
  }
  return false;
}

interface Frame {
  node: unknown;
  array: boolean;
  key: string | number;
}

function decodeKey(text: string, start: number, end: number): string {
  const raw = text.slice(start + 1, end - 1);
  return raw.includes('\\') ? (JSON.parse(text.slice(start, end)) as string) : raw;
}

function childOf(frame: Frame | undefined, root: unknown): unknown {
  if (!frame) return root;
  const node = frame.node;
  return typeof node === 'object' && node !== null ? (node as Record<string | number, unknown>)[frame.key] : undefined;
}

/** Walks the structure of the (valid) JSON text beside its parsed value and records lossy number texts. */
function recordNumberTexts(text: string, root: unknown): void {
  const frames: Frame[] = [];
  let expectKey = false;
  for (let index = 0; index < text.length;) {
    const code = text.charCodeAt(index);
    const top = frames[frames.length - 1];
    if (code === QUOTE) {
      const end = stringEnd(text, index);
      if (expectKey) top.key = decodeKey(text, index, end);
      expectKey = false;
      index = end;
      continue;
    }
    if (isNumberStart(code)) {
      const end = numberEnd(text, index);
      const token = text.slice(index, end);
      if (top && typeof top.node === 'object' && top.node !== null && isLossyToken(token)) setNumberText(top.node, top.key, token);
      index = end;
      continue;
    }
    if (code === 0x7b || code === 0x5b) {
      frames.push({ node: childOf(top, root), array: code === 0x5b, key: 0 });
      expectKey = code === 0x7b;
    } else if (code === 0x7d || code === 0x5d) frames.pop();
    else if (code === 0x2c) {
      if (top.array) (top.key as number)++;
      else expectKey = true;
    }
    index++;
  }
}

/**
 * Parses JSON text as FHIR JSON: JS values, with the texts of numbers a JS number cannot reproduce
 * recorded beside them. Malformed text throws JSON.parse's SyntaxError; text too deep or with a
 * string that cannot be stored throws a FhirError (400).
 */
export function parseFhirJson(text: string): unknown {
  const value: unknown = JSON.parse(text);
  if (typeof value === 'string') rejectUnstorableStrings(text, value);
  if (typeof value !== 'object' || value === null) return value;
  rejectDeepJsonText(text);
  rejectUnstorableStrings(text, value);
  if (hasLossyNumber(text)) recordNumberTexts(text, value);
  return value;
}
