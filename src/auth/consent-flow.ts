/**
 * The consent step of an authorization (RFC 6749 section 4.1.2, SMART App Launch 2.x): showing the
 * consent page to the signed-in user, and the user's answer. Deny sends error=access_denied to the
 * client; approve (with a patient chosen when a standalone launch asks for one) stores the grant as
 * an authorization code and sends the code and state to the client's redirect URI.
 */
import type { FastifyReply } from 'fastify';
import type { LaunchContext, Resource } from '../core/index.js';
import type { EngineContext } from '../engine/index.js';
import { hasAdminRole } from '../access/index.js';
import { createAuthorizationCode, type AuthorizationGrant } from './authorization-codes.js';
import { redirectWith } from './authorize-request.js';
import { errorPage, sendPage } from './html-page.js';
import { deletePendingAuthorization, type PendingAuthorization } from './pending-authorizations.js';
import { mayChoosePatient, patientChoices, searchPatients, type PatientOption } from './patient-choices.js';
import { consentPage, type ConsentView } from './sign-in-pages.js';

export function userName(user: Resource): string {
  return typeof user.email === 'string' ? user.email : user.id as string;
}

/** A standalone launch that asks for a patient and has none from an EHR launch. */
function needsPatient(pending: PendingAuthorization): boolean {
  return pending.request.scopes.includes('launch/patient') && !pending.request.launch?.patient;
}

/** Shows the consent page (with the patient picker when a patient must be chosen). */
export async function showConsent(
  ctx: EngineContext, reply: FastifyReply, pending: PendingAuthorization, user: Resource,
  extra: { status?: number; found?: PatientOption[]; search?: string; message?: string; headers?: Record<string, string> } = {},
): Promise<FastifyReply> {
  const view: ConsentView = { pending, userName: userName(user), found: extra.found, search: extra.search, message: extra.message };
  if (needsPatient(pending)) view.choices = await patientChoices(ctx, user);
  return sendPage(reply, extra.status ?? 200, consentPage(view), { formTarget: pending.request.redirectUri, headers: extra.headers });
}

export function redirectTo(reply: FastifyReply, location: string): FastifyReply {
  return reply.code(302).headers({ location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }).send();
}

/** The user refused: access_denied to the client (RFC 6749 section 4.1.2.1). */
export async function denyConsent(ctx: EngineContext, reply: FastifyReply, pending: PendingAuthorization): Promise<FastifyReply> {
  await deletePendingAuthorization(ctx.db, pending.id);
  const { redirectUri, state } = pending.request;
  return redirectTo(reply, redirectWith(redirectUri, { error: 'access_denied', error_description: 'The user denied the request', state }));
}

/** An administrator's patient search: the consent page again, with what it found. */
export async function searchConsent(ctx: EngineContext, reply: FastifyReply, pending: PendingAuthorization, user: Resource, text: string, baseUrl: string): Promise<FastifyReply> {
  const admin = await hasAdminRole(ctx, user.id as string);
  const found = admin && text.trim() !== '' ? await searchPatients(ctx, user.id as string, text.trim(), baseUrl) : [];
  return showConsent(ctx, reply, pending, user, { found, search: text });
}

/** The launch context of the grant: the EHR launch's, or the patient chosen; undefined when a needed patient is missing or not allowed. */
async function grantedLaunch(ctx: EngineContext, pending: PendingAuthorization, user: Resource, patient: string | undefined): Promise<LaunchContext | undefined | false> {
  const launch = pending.request.launch;
  if (!needsPatient(pending)) return launch && Object.keys(launch).length > 0 ? launch : undefined;
  const choices = await patientChoices(ctx, user);
  const chosen = choices.fixed?.id ?? patient;
  if (!chosen || !(await mayChoosePatient(ctx, choices, chosen))) return false;
  return { ...launch, patient: chosen };
}

/** The user approved: the authorization code and state to the client (RFC 6749 section 4.1.2). */
export async function approveConsent(ctx: EngineContext, reply: FastifyReply, pending: PendingAuthorization, user: Resource, patient: string | undefined): Promise<FastifyReply> {
  const launch = await grantedLaunch(ctx, pending, user, patient);
  if (launch === false) return showConsent(ctx, reply, pending, user, { status: 400, message: 'Choose a patient you may access' });
  if (!(await deletePendingAuthorization(ctx.db, pending.id))) return errorPage(reply, 400, 'This request was already answered: go back to the application and start again');
  const request = pending.request;
  const fhirUser = (user.fhirUser as { reference?: string } | undefined)?.reference;
  const grant: AuthorizationGrant = {
    clientId: request.clientId, userId: user.id as string, fhirUser, scopes: request.scopes, launch, redirectUri: request.redirectUri,
    codeChallenge: request.codeChallenge, nonce: request.nonce, admin: await hasAdminRole(ctx, user.id as string),
  };
  const code = await createAuthorizationCode(ctx.db, grant);
  return redirectTo(reply, redirectWith(request.redirectUri, { code, state: request.state }));
}
