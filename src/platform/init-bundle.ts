/**
 * The init bundle (FLINT_INIT_BUNDLE): a transaction or batch Bundle in a JSON file, run through the
 * engine at start, before the server accepts requests, so set-up is reproducible. It runs at every
 * start, so its entries should be idempotent (PUT with ids, conditional creates, ifNoneExist=true).
 * A transaction that fails, or a file that is not such a Bundle, stops the start with an error
 * carrying the OperationOutcome's diagnostics. A batch goes on past failed entries, and so does the
 * start, but loudly: an error line per failed entry (its request, status and outcome text) and a
 * warning that sums them up.
 */
import { readFile } from 'node:fs/promises';
import { FhirError, isResource, parseFhirJson, type Bundle, type BundleEntry, type Resource } from '../core/index.js';
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

/** The text of an entry's OperationOutcome: its issues' diagnostics (or details.text, or code). */
function outcomeText(outcome: Resource | undefined): string {
  const issues = (outcome?.issue ?? []) as { diagnostics?: string; details?: { text?: string }; code?: string }[];
  return issues.map((issue) => issue.diagnostics ?? issue.details?.text ?? issue.code ?? '').filter(Boolean).join('; ');
}

/** Logs each failed entry of a batch as an error, with its request, status and outcome text; returns how many failed. */
function logFailedEntries(log: EngineContext['log'], file: string, bundle: Bundle, entries: BundleEntry[]): number {
  let failed = 0;
  entries.forEach((entry, index) => {
    const status = entry.response?.status ?? '';
    if (!status.startsWith('4') && !status.startsWith('5')) return;
    failed++;
    const sent = bundle.entry?.[index]?.request;
    const request = `${sent?.method ?? ''} ${sent?.url ?? ''}`.trim();
    const text = outcomeText(entry.response?.outcome);
    log.error({ file, entry: index, request, status, diagnostics: text },
      `an entry of the init bundle failed: Bundle.entry[${index}] (${request}) answered ${status}${text ? `: ${text}` : ''}`);
  });
  return failed;
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
  const failed = logFailedEntries(ctx.log, file, bundle, entries);
  const summary = { file, type: bundle.type, entries: entries.length, failed };
  if (failed === 0) ctx.log.info(summary, 'ran the init bundle');
  else ctx.log.warn(summary, `${failed} of ${entries.length} entries of the init bundle failed (see the errors above); the server starts without them`);
  return failed;
}
