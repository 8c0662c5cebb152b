/**
 * The sign-in and consent pages: plain HTML forms posted back to /auth, each with the pending
 * authorization's id and CSRF token in hidden fields. Every value shown is escaped.
 */
import { escapeHtml, htmlPage } from './html-page.js';
import type { PendingAuthorization } from './pending-authorizations.js';
import type { PatientChoices, PatientOption } from './patient-choices.js';
import { scopeWords } from './scope-words.js';

function hidden(pending: PendingAuthorization): string {
  return `<input type="hidden" name="pending" value="${escapeHtml(pending.id)}">`
    + `<input type="hidden" name="csrf" value="${escapeHtml(pending.csrf)}">`;
}

/** The sign-in form (login and password), with a message after a failure. */
export function signInPage(pending: PendingAuthorization, message?: string, login = ''): string {
  const error = message ? `<p class="error" role="alert">${escapeHtml(message)}</p>` : '';
  return htmlPage('Sign in', `<p>Sign in to continue to <strong>${escapeHtml(pending.request.clientName)}</strong>.</p>${error}`
    + `<form method="post" action="/auth/sign-in">${hidden(pending)}`
    + `<label for="login">Email or user name</label><input type="text" id="login" name="login" value="${escapeHtml(login)}" autocomplete="username" required autofocus>`
    + '<label for="password">Password</label><input type="password" id="password" name="password" autocomplete="current-password" required>'
    + '<button type="submit">Sign in</button></form>');
}

export interface ConsentView {
  pending: PendingAuthorization;
  userName: string;
  /** Asked when a patient must be chosen (standalone launch with launch/patient). */
  choices?: PatientChoices;
  /** The patients an administrator's search found. */
  found?: PatientOption[];
  search?: string;
  message?: string;
}

function radio(option: PatientOption, checked: boolean): string {
  return `<label><input type="radio" name="patient" value="${escapeHtml(option.id)}"${checked ? ' checked' : ''}> ${escapeHtml(option.label)}</label>`;
}

function patientPicker(view: ConsentView): string {
  const choices = view.choices;
  if (!choices) return '';
  if (choices.fixed) return `<p>Patient: <strong>${escapeHtml(choices.fixed.label)}</strong></p>`;
  const options = [...choices.options, ...(view.found ?? []).filter((found) => !choices.options.some((option) => option.id === found.id))];
  const list = options.map((option, index) => radio(option, index === 0)).join('');
  const none = options.length === 0 ? '<p>No patient to choose yet.</p>' : '';
  const search = choices.searchable
    ? `<label for="patient_search">Find a patient by name</label><input type="search" id="patient_search" name="patient_search" value="${escapeHtml(view.search ?? '')}">`
      + '<button type="submit" name="decision" value="search">Search</button>'
    : '';
  return `<fieldset><legend>Choose the patient</legend>${list}${none}${search}</fieldset>`;
}

/** The consent page: the application, the scopes in plain words, a patient picker when needed, approve or deny. */
export function consentPage(view: ConsentView): string {
  const request = view.pending.request;
  const scopes = request.scopes.map((scope) => `<li>${escapeHtml(scopeWords(scope))} <code>${escapeHtml(scope)}</code></li>`).join('');
  const error = view.message ? `<p class="error" role="alert">${escapeHtml(view.message)}</p>` : '';
  return htmlPage('Allow access?', `<p>Signed in as <strong>${escapeHtml(view.userName)}</strong>.</p>${error}`
    + `<p><strong>${escapeHtml(request.clientName)}</strong> asks to:</p><ul>${scopes}</ul>`
    + `<form method="post" action="/auth/consent">${hidden(view.pending)}${patientPicker(view)}`
    + '<button type="submit" name="decision" value="approve">Allow</button>'
    + '<button type="submit" name="decision" value="deny">Deny</button></form>');
}
