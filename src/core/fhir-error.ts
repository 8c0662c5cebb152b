/**
 * The one error type of Flint. Every failure a user can cause is a FhirError carrying a category
 * (what kind of failure, independent of HTTP) and a stable code (which rule was broken). Only the
 * http module maps a category to a status and builds the OperationOutcome.
 */

/** Failure categories; http maps each to one status code. */
export type ErrorCategory =
  | 'invalid' // 400: the request itself is malformed
  | 'unprocessable' // 422: the content parses but breaks the rules
  | 'not-found' // 404
  | 'gone' // 410: deleted
  | 'conflict' // 409
  | 'precondition-failed' // 412
  | 'forbidden' // 403
  | 'unauthorized' // 401
  | 'not-allowed' // 405
  | 'unsupported-media-type' // 415
  | 'not-acceptable' // 406
  | 'too-large' // 413
  | 'too-costly' // 400 with issue code too-costly (a query stopped by a limit)
  | 'unsupported' // 422 with issue code not-supported
  | 'busy' // 503
  | 'fault'; // 500

/** FHIR IssueType codes (http://hl7.org/fhir/valueset-issue-type.html). */
export type IssueType =
  | 'invalid' | 'structure' | 'required' | 'value' | 'invariant' | 'security' | 'login' | 'unknown'
  | 'expired' | 'forbidden' | 'suppressed' | 'processing' | 'not-supported' | 'duplicate'
  | 'multiple-matches' | 'not-found' | 'deleted' | 'too-long' | 'code-invalid' | 'extension'
  | 'too-costly' | 'business-rule' | 'conflict' | 'transient' | 'lock-error' | 'no-store'
  | 'exception' | 'timeout' | 'incomplete' | 'throttled' | 'informational';

export type IssueSeverity = 'fatal' | 'error' | 'warning' | 'information';

/** An extension of an issue: facts a client can read without parsing the diagnostics (an SQLSTATE, a position). */
export interface IssueExtension {
  url: string;
  valueCode?: string;
  valueInteger?: number;
  valueString?: string;
}

/** One problem, in the shape of an OperationOutcome.issue (code is the stable Flint code). */
export interface Issue {
  severity: IssueSeverity;
  type: IssueType;
  code: string;
  diagnostics: string;
  expression?: string[];
  extension?: IssueExtension[];
}

export interface FhirErrorOptions {
  expression?: string | string[];
  issueType?: IssueType;
  /** Extensions of the error's issue. */
  extension?: IssueExtension[];
  /** Further issues (for example every validation problem, not only the first). */
  issues?: Issue[];
  /** Extra response headers (for example Retry-After). */
  headers?: Record<string, string>;
  /** An id for the OperationOutcome resource itself (the seeds give "not-supported" for one case). */
  outcomeId?: string;
  severity?: IssueSeverity;
  /** Leave the stable code out of the OperationOutcome (where a documented outcome must match exactly). */
  plain?: boolean;
  cause?: unknown;
}

/** The issue type of each category, when an error does not name its own. */
export const defaultIssueType: Record<ErrorCategory, IssueType> = {
  invalid: 'invalid',
  unprocessable: 'processing',
  'not-found': 'not-found',
  gone: 'deleted',
  conflict: 'conflict',
  'precondition-failed': 'conflict',
  forbidden: 'forbidden',
  unauthorized: 'login',
  'not-allowed': 'not-supported',
  'unsupported-media-type': 'not-supported',
  'not-acceptable': 'not-supported',
  'too-large': 'too-long',
  'too-costly': 'too-costly',
  unsupported: 'not-supported',
  busy: 'transient',
  fault: 'exception',
};

export class FhirError extends Error {
  readonly category: ErrorCategory;
  readonly code: string;
  readonly issues: Issue[];
  readonly headers: Record<string, string>;
  readonly outcomeId?: string;
  readonly plain: boolean;

  constructor(category: ErrorCategory, code: string, diagnostics: string, options: FhirErrorOptions = {}) {
    super(diagnostics, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FhirError';
    this.category = category;
    this.code = code;
    this.headers = options.headers ?? {};
    this.outcomeId = options.outcomeId;
    this.plain = options.plain === true;
    const expression = options.expression === undefined ? undefined
      : Array.isArray(options.expression) ? options.expression : [options.expression];
    const first: Issue = {
      severity: options.severity ?? 'error',
      type: options.issueType ?? defaultIssueType[category],
      code,
      diagnostics,
      ...(expression ? { expression } : {}),
      ...(options.extension && options.extension.length > 0 ? { extension: options.extension } : {}),
    };
    this.issues = options.issues && options.issues.length > 0 ? options.issues : [first];
  }
}

export function isFhirError(error: unknown): error is FhirError {
  return error instanceof FhirError;
}

/** Shorthands for the categories thrown most often. */
export const invalid = (code: string, diagnostics: string, options?: FhirErrorOptions) =>
  new FhirError('invalid', code, diagnostics, options);
export const unprocessable = (code: string, diagnostics: string, options?: FhirErrorOptions) =>
  new FhirError('unprocessable', code, diagnostics, options);
export const notFound = (code: string, diagnostics: string, options?: FhirErrorOptions) =>
  new FhirError('not-found', code, diagnostics, options);
