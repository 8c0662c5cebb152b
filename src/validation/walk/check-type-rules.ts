/**
 * Rules of data types beyond their definitions: an Attachment's size agrees with its data
 * (http://hl7.org/fhir/R4/datatypes.html#Attachment), canonical references are absolute or
 * fragments (#id) (a warning: relative canonicals are common in published content), urn:uuid
 * values are valid lowercase UUIDs, strings stay within 1 MB
 * (http://hl7.org/fhir/R4/datatypes.html#string); and two checks a server may switch on: no URLs of
 * the example domains reserved by RFC 2606 (outside examples they point nowhere), and no HTML tags
 * in markdown (http://hl7.org/fhir/R4/datatypes.html#markdown: markdown is not HTML).
 */
import { isAbsoluteUri } from '../../core/index.js';
import type { JsonObject } from '../../core/index.js';
import { VALIDATION_CODES as CODES } from '../validation-issues.js';
import { report, type WalkContext } from './walk-context.js';

const MAX_STRING_BYTES = 1024 * 1024;
const UUID_URN = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function decodedLength(base64: string): number {
  const clean = base64.replace(/\s+/g, '');
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.floor((clean.length * 3) / 4) - padding;
}

export function checkAttachment(walk: WalkContext, value: JsonObject, path: string): void {
  if (typeof value.data !== 'string' || typeof value.size !== 'number') return;
  const actual = decodedLength(value.data);
  if (actual !== value.size) {
    report(walk, 'error', 'value', CODES.attachmentSize, `The stated Attachment size ${value.size} does not match the size of the data (${actual})`, path);
  }
}

/** example.org, example.com, example.net and their subdomains, and the .example top-level domain. */
const EXAMPLE_HOST = /^(?:[^.]+\.)*(?:example\.(?:org|com|net)|example)$/i;

function isExampleUrl(value: string): boolean {
  if (!/^https?:\/\//i.test(value)) return false;
  try {
    return EXAMPLE_HOST.test(new URL(value).hostname);
  } catch {
    return false;
  }
}

export function checkUriValue(walk: WalkContext, type: string, value: string, path: string): void {
  if (walk.settings.exampleUrls === 'error' && isExampleUrl(value)) {
    report(walk, 'error', 'invalid', CODES.exampleUrl, `Example URLs are not allowed here (${value})`, path);
  }
  if (type === 'canonical' && !value.startsWith('#') && !isAbsoluteUri(value)) {
    report(walk, 'warning', 'invalid', CODES.canonicalUrl, `Canonical URLs should be absolute URLs if they are not fragment references (${value})`, path);
  }
  if (value.startsWith('urn:uuid:') && !UUID_URN.test(value)) {
    report(walk, 'error', 'invalid', CODES.canonicalUrl, `UUIDs must be valid and lowercase (${value})`, path);
  }
}

export function checkStringSize(walk: WalkContext, value: string, path: string): void {
  if (value.length * 3 > MAX_STRING_BYTES && Buffer.byteLength(value, 'utf8') > MAX_STRING_BYTES) {
    report(walk, 'error', 'invalid', CODES.maxLength, 'The value is longer than the 1 MB a FHIR string may hold', path);
  }
}

/** An HTML start or end tag (<b>, </p>, <resource type>), not an autolink (<https://...>) or an e-mail address (<a@b.org>). */
const HTML_TAG = /<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>/;

export function checkMarkdown(walk: WalkContext, value: string, path: string): void {
  if (walk.settings.markdownHtml !== 'error') return;
  const tag = HTML_TAG.exec(value);
  if (tag) {
    report(walk, 'error', 'invalid', CODES.markdownHtml, `The markdown contains an HTML tag (${tag[0]}); markdown is not HTML`, path);
  }
}
