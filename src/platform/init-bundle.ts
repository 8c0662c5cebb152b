/**
 * The init bundle (FLINT_INIT_BUNDLE): a transaction or batch Bundle in a JSON file, run through the
 * engine at start, before the server accepts requests, so set-up is reproducible. It runs at every
 * start, so its entries should be idempotent (PUT with ids, conditional creates, ifNoneExist=true).
 * A transaction that fails, or a file that is not such a Bundle, stops the start with an error
 * carrying the OperationOutcome's diagnostics; failed entries of a batch are logged.
 */
import { readFile } from 'node:fs/promises';
import { FhirError, isResource, parseFhirJson, type Bundle } from '../core/index.js';
import { handleRequest, type EngineContext } from '../engine/index.js';

export class InitBundleError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InitBundleError';
  }
}

export interface InitBundleOptions {
  /** The base URL the entries' references and locations are relative to. */
  baseUrl: string;
}

async function readBundle(file: string): Promise<Bundle> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InitBundleError(`FLINT_INIT_BUNDLE ${file} cannot be read: ${(error as Error).message}`, { cause: error });
  }
  let bundle: unknown;
  try {
    bundle = parseFhirJson(text);
  } catch (error) {
    throw new InitBundleError(`FLINT_INIT_BUNDLE ${file} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!isResource(bundle) || bundle.resourceType !== 'Bundle' || (bundle.type !== 'transaction' && bundle.type !== 'batch')) {
    throw new InitBundleError(`FLINT_INIT_BUNDLE ${file} must hold a Bundle of type transaction or batch`);
  }
  return bundle as Bundle;
}

function diagnostics(error: unknown): string {
  if (error instanceof FhirError) return error.issues.map((issue) => issue.diagnostics).join('; ');
  return error instanceof Error ? error.message : String(error);
}

/** Runs the bundle; returns how many entries failed (a batch only: a failed transaction throws). */
export async function runInitBundle(ctx: EngineContext, file: string, options: InitBundleOptions): Promise<number> {
  const bundle = await readBundle(file);
  let response;
  try {
    response = await handleRequest(ctx, {
      method: 'POST', path: '', query: [], headers: {}, body: bundle, contentType: 'application/fhir+json', baseUrl: options.baseUrl,
    });
  } catch (error) {
    throw new InitBundleError(`FLINT_INIT_BUNDLE ${file}: the ${bundle.type} failed: ${diagnostics(error)}`, { cause: error });
  }
  const entries = (response.body as Bundle | undefined)?.entry ?? [];
  let failed = 0;
  entries.forEach((entry, index) => {
    if (!entry.response?.status.startsWith('4') && !entry.response?.status.startsWith('5')) return;
    failed++;
    const outcome = entry.response.outcome as { issue?: { diagnostics?: string }[] } | undefined;
    ctx.log.warn({ file, entry: index, status: entry.response.status, diagnostics: outcome?.issue?.map((issue) => issue.diagnostics) },
      'an entry of the init bundle failed');
  });
  ctx.log.info({ file, type: bundle.type, entries: entries.length, failed }, 'ran the init bundle');
  return failed;
}
