/**
 * GET / without search parameters: a short page about the server (name, version, FHIR version and
 * where things are) instead of a search of every type. JSON by default; HTML when the client
 * prefers text/html (a browser). GET / with parameters stays the native API's system search.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SOFTWARE } from '../engine/index.js';
import { acceptRanges, JSON_TYPE } from './media-types.js';

export interface HomeLinks {
  /** The FHIR API's base, e.g. https://fhir.example.org/fhir. */
  fhir: string;
  /** The native API's base (Aidbox format), e.g. https://fhir.example.org. */
  native: string;
}

const HTTP_ONLY_PARAMS = new Set(['_format', '_pretty']);
const SPECIFICATION = 'https://hl7.org/fhir/R4/';

/** A GET / is for the home page when it carries no search parameter (_format and _pretty aside). */
export function isHomeRequest(request: FastifyRequest): boolean {
  const question = request.url.indexOf('?');
  if (question < 0) return true;
  const names = [...new URLSearchParams(request.url.slice(question + 1)).keys()];
  return names.every((name) => HTTP_ONLY_PARAMS.has(name));
}

export function homeDocument(links: HomeLinks) {
  return {
    name: SOFTWARE.name,
    description: 'A FHIR R4 backend on PostgreSQL',
    version: SOFTWARE.version,
    fhirVersion: '4.0.1',
    links: {
      fhir: links.fhir,
      metadata: `${links.fhir}/metadata`,
      native: links.native,
      health: `${links.native}/health`,
      specification: SPECIFICATION,
    },
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function homeHtml(home: ReturnType<typeof homeDocument>): string {
  const item = (label: string, url: string) => `<li>${label}: <a href="${escapeHtml(url)}">${escapeHtml(url)}</a></li>`;
  return [
    '<!doctype html>', '<html lang="en">', '<head><meta charset="utf-8">',
    `<title>${escapeHtml(home.name)} ${escapeHtml(home.version)}</title></head>`, '<body>',
    `<h1>${escapeHtml(home.name)} ${escapeHtml(home.version)}</h1>`,
    `<p>${escapeHtml(home.description)}, FHIR ${escapeHtml(home.fhirVersion)}.</p>`, '<ul>',
    item('FHIR API', home.links.fhir), item('CapabilityStatement', home.links.metadata),
    item('Native API (Aidbox format)', home.links.native), item('Health', home.links.health),
    item('FHIR R4 specification', home.links.specification),
    '</ul>', '</body>', '</html>', '',
  ].join('\n');
}

/** Whether the client's most preferred media type is HTML (it is listed before any JSON type). */
function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const first = acceptRanges(accept).find(({ type }) => type === 'text/html' || type.includes('json') || type === '*/*');
  return first?.type === 'text/html';
}

export function sendHomePage(request: FastifyRequest, reply: FastifyReply, links: HomeLinks): FastifyReply {
  const home = homeDocument(links);
  reply.header('vary', 'accept');
  if (prefersHtml(request.headers.accept)) return reply.code(200).header('content-type', 'text/html; charset=utf-8').send(homeHtml(home));
  return reply.code(200).header('content-type', `${JSON_TYPE}; charset=utf-8`).send(JSON.stringify(home, null, 2));
}
