/**
 * Response compression (RFC 9110 section 8.4, Accept-Encoding): brotli, gzip or deflate, as the
 * client prefers, for answers of at least `threshold` bytes (smaller ones are not worth it).
 * Streamed answers ($run) are compressed as they stream. Request bodies are not decompressed.
 */
import compress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';

export interface CompressionSettings {
  /** Off: every answer goes as it is (FLINT_COMPRESSION=false). */
  enabled: boolean;
  /** The smallest answer, in bytes, that is compressed. */
  threshold: number;
}

/** What is worth compressing: text (csv), JSON and FHIR JSON, NDJSON ($run), YAML ($sql), health+json. */
const COMPRESSIBLE = /^text\/(?!event-stream)|[+/](?:json|x-ndjson|ndjson|yaml|xml)(?:;|$)/u;

/** Registers the compression hook for the routes declared after it (in a later plugin). */
export function registerCompression(app: FastifyInstance, settings: CompressionSettings): void {
  if (!settings.enabled) return;
  app.register(compress, {
    global: true,
    globalDecompression: false,
    encodings: ['br', 'gzip', 'deflate'],
    threshold: settings.threshold,
    customTypes: COMPRESSIBLE,
  });
}
