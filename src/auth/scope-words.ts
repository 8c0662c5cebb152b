/**
 * SMART scopes in plain words for the consent page
 * (https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html): what each granted scope
 * lets the application do, as a sentence a person can approve or refuse.
 */
import { parseScope, type ResourceScope, type ScopeInteraction } from '../access/index.js';

const NAMED_WORDS: Record<string, string> = {
  openid: 'Know who you are (your user id)',
  fhirUser: 'Know which FHIR record is you (Patient, Practitioner, ...)',
  profile: 'Know who you are (your profile)',
  launch: 'Receive the context it was launched in (patient, encounter)',
  'launch/patient': 'Ask you to choose a patient to work with',
  'launch/encounter': 'Ask you to choose an encounter to work with',
  offline_access: 'Keep access when you are not using it, until you revoke it',
  online_access: 'Keep access while you are signed in',
};

const VERBS: Record<ScopeInteraction, string> = { c: 'create', r: 'read', u: 'update', d: 'delete', s: 'search' };

const WHOSE: Record<ResourceScope['context'], string> = {
  patient: "of the patient in context",
  user: 'that you may access',
  system: 'on the whole server',
};

function resourceWords(scope: ResourceScope): string {
  const verbs = (['c', 'r', 'u', 'd', 's'] as const).filter((letter) => scope.interactions.has(letter)).map((letter) => VERBS[letter]);
  const what = scope.resourceType === '*' ? 'all kinds of records' : `${scope.resourceType} records`;
  const filter = scope.query ? ` (only ${scope.query.map(([name, value]) => `${name} ${value}`).join(', ')})` : '';
  const first = verbs.join(', ');
  return `${first.charAt(0).toUpperCase()}${first.slice(1)} ${what} ${WHOSE[scope.context]}${filter}`;
}

/** One scope as a sentence; a scope this server does not know stays as written. */
export function scopeWords(text: string): string {
  try {
    const scope = parseScope(text);
    return scope.kind === 'named' ? NAMED_WORDS[scope.name] ?? scope.name : resourceWords(scope);
  } catch {
    return text;
  }
}
