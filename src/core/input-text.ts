/**
 * What text from a request may hold: PostgreSQL stores neither the NUL character (in text or jsonb)
 * nor an unpaired UTF-16 surrogate (in jsonb), so such text is refused as it comes in (400) instead
 * of failing in the database. One check for URL segments, query parameters and JSON strings.
 */
import { coreErrors } from './core-errors.js';

const LONE_SURROGATE = /\p{Cs}/u;

/** Throws 400 (request.nul-character) when the text holds a NUL character. */
export function rejectNulCharacter(text: string, where: string): void {
  if (text.includes('\u0000')) {
    throw coreErrors['request.nul-character']({ where });
  }
}

/** Throws 400 (request.nul-character, request.lone-surrogate) for text that cannot be stored. */
export function rejectUnstorableText(text: string, where: string): void {
  rejectNulCharacter(text, where);
  if (LONE_SURROGATE.test(text)) {
    throw coreErrors['request.lone-surrogate']({ where });
  }
}

/** A URL path segment decoded; 400 (request.bad-escape) for a malformed %-escape. */
export function decodePathSegment(segment: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    throw coreErrors['request.bad-escape']({ detail: `The path segment "${segment}" has a malformed %-escape` });
  }
  rejectNulCharacter(decoded, 'The URL path');
  return decoded;
}
