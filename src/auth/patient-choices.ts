/**
 * The patients a user may choose for a standalone launch with launch/patient
 * (https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html#launchpatient): a user who is
 * a Patient gets that patient and no picker; otherwise the patients its Roles act for
 * (Role.links.patient); an administrator may also search patients by name, through the engine.
 */
import type { Caller, Resource } from '../core/index.js';
import { handleRequest, type EngineContext } from '../engine/index.js';
import { hasAdminRole, readIdentity } from '../access/index.js';
import { ident, sql } from '../sql/index.js';

export interface PatientOption {
  id: string;
  label: string;
}

export interface PatientChoices {
  /** The one patient, chosen without asking (the user is that patient). */
  fixed?: PatientOption;
  options: PatientOption[];
  /** The user is an administrator: may search any patient by name. */
  searchable: boolean;
}

/** A patient's name for the picker: given and family names of its first name, or its id. */
export function patientLabel(patient: Resource): string {
  const names = Array.isArray(patient.name) ? patient.name as { given?: string[]; family?: string; text?: string }[] : [];
  const name = names[0];
  const text = name?.text ?? [...(name?.given ?? []), name?.family ?? ''].join(' ').trim();
  const birth = typeof patient.birthDate === 'string' ? ` (born ${patient.birthDate})` : '';
  return `${text || `Patient ${patient.id as string}`}${birth}`;
}

async function option(ctx: EngineContext, id: string): Promise<PatientOption | undefined> {
  const patient = await readIdentity(ctx, 'Patient', id);
  return patient ? { id, label: patientLabel(patient) } : undefined;
}

async function rolePatients(ctx: EngineContext, userId: string): Promise<string[]> {
  const storage = ctx.storages.storageFor('Role');
  if (!storage) return [];
  const { rows } = await ctx.db.query<{ reference: string }>(sql`SELECT DISTINCT resource->'links'->'patient'->>'reference' AS reference
    FROM ${ident(storage.table)} WHERE resource->'user'->>'reference' = ${`User/${userId}`}
    AND resource->'links'->'patient'->>'reference' LIKE 'Patient/%' ORDER BY 1`);
  return rows.map((row) => row.reference.slice('Patient/'.length));
}

/** The patients the user may choose, and whether the user may search for others. */
export async function patientChoices(ctx: EngineContext, user: Resource): Promise<PatientChoices> {
  const fhirUser = (user.fhirUser as { reference?: string } | undefined)?.reference;
  if (fhirUser?.startsWith('Patient/')) {
    const fixed = await option(ctx, fhirUser.slice('Patient/'.length));
    return { fixed, options: fixed ? [fixed] : [], searchable: false };
  }
  const options: PatientOption[] = [];
  for (const id of await rolePatients(ctx, user.id as string)) {
    const found = await option(ctx, id);
    if (found) options.push(found);
  }
  return { options, searchable: await hasAdminRole(ctx, user.id as string) };
}

/** An administrator's search of patients by name (the FHIR name search parameter), at most 20. */
export async function searchPatients(ctx: EngineContext, adminUserId: string, text: string, baseUrl: string): Promise<PatientOption[]> {
  const caller: Caller = { kind: 'user', via: 'bearer', userId: adminUserId, scopes: [], admin: true };
  const response = await handleRequest(ctx, {
    method: 'GET', path: 'Patient', query: [['name', text.slice(0, 100)], ['_count', '20']], headers: {}, baseUrl, caller,
  });
  const entries = (response.body?.entry ?? []) as { resource?: Resource }[];
  return entries.flatMap((entry) => entry.resource ? [{ id: entry.resource.id as string, label: patientLabel(entry.resource) }] : []);
}

/** Whether the user may have this patient in context: one of its options, or any existing patient for an administrator. */
export async function mayChoosePatient(ctx: EngineContext, choices: PatientChoices, id: string): Promise<boolean> {
  if (choices.options.some((candidate) => candidate.id === id)) return true;
  return choices.searchable && /^[A-Za-z0-9\-.]{1,64}$/.test(id) && (await option(ctx, id)) !== undefined;
}
