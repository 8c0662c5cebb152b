/**
 * OperationOutcome builders (http://hl7.org/fhir/R4/operationoutcome.html). The stable Flint code of
 * each issue travels in issue.details.coding so clients and tests can rely on it, not on prose.
 */
import type { FhirError, Issue, IssueExtension, IssueSeverity, IssueType } from './fhir-error.js';
import type { Resource } from './resource.js';

export const FLINT_ISSUE_SYSTEM = 'urn:flint:issue-code';

export interface OperationOutcome extends Resource {
  resourceType: 'OperationOutcome';
  issue: OutcomeIssue[];
}

export interface OutcomeIssue {
  severity: IssueSeverity;
  code: IssueType;
  details?: { coding?: { system?: string; code?: string }[]; text?: string };
  diagnostics?: string;
  expression?: string[];
  extension?: IssueExtension[];
}

export function toOutcomeIssue(issue: Issue, plain = false): OutcomeIssue {
  return {
    severity: issue.severity,
    code: issue.type,
    ...(plain ? {} : { details: { coding: [{ system: FLINT_ISSUE_SYSTEM, code: issue.code }] } }),
    diagnostics: issue.diagnostics,
    ...(issue.expression ? { expression: issue.expression } : {}),
    ...(issue.extension ? { extension: issue.extension } : {}),
  };
}

export function operationOutcome(issues: Issue[], id?: string, plain = false): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    ...(id ? { id } : {}),
    issue: issues.map((issue) => toOutcomeIssue(issue, plain)),
  };
}

/** The OperationOutcome of an error. */
export function errorOutcome(error: FhirError): OperationOutcome {
  return operationOutcome(error.issues, error.outcomeId, error.plain);
}

/** An informational outcome, for example the answer to a successful delete. */
export function informationOutcome(code: string, diagnostics: string): OperationOutcome {
  return operationOutcome([{ severity: 'information', type: 'informational', code, diagnostics }]);
}

/** The stable codes of an outcome, for tests and logs. */
export function outcomeCodes(outcome: OperationOutcome): string[] {
  return outcome.issue.map((issue) => issue.details?.coding?.[0]?.code ?? issue.code);
}
