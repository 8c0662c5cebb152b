/**
 * The browser side of the authorization code flow (RFC 6749 section 4.1, SMART App Launch 2.x):
 * GET /auth/authorize checks the request and shows the sign-in page, or the consent page when the
 * browser already has a session; POST /auth/sign-in checks the login (rate limited per account and
 * address, failures logged without the password) and starts the session; POST /auth/consent takes
 * the user's answer.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Resource } from '../core/index.js';
import { readIdentity } from '../access/index.js';
import { checkAuthorizeRequest, redirectWith } from './authorize-request.js';
import { sessionUser, startBrowserSession } from './browser-sessions.js';
import { approveConsent, denyConsent, redirectTo, searchConsent, showConsent } from './consent-flow.js';
import { formFields } from './form-fields.js';
import { errorPage, sendPage } from './html-page.js';
import {
  assignPendingUser, createPendingAuthorization, csrfCookie, readPendingAuthorization, type PendingAuthorization,
} from './pending-authorizations.js';
import { SignInLimiter } from './sign-in-limiter.js';
import type { SignInDeps } from './sign-in-deps.js';
import { signInPage } from './sign-in-pages.js';
import { verifyUserLogin } from './user-login.js';
import { signInEvent } from '../audit/index.js';

const EXPIRED = 'This sign-in form has expired or was already used: go back to the application and start again';
const FAILED = 'The email or user name and password do not match an account that may sign in';

async function activeUser(deps: SignInDeps, userId: string | undefined): Promise<Resource | undefined> {
  const user = userId ? await readIdentity(deps.ctx, 'User', userId) : undefined;
  return user && user.inactive !== true ? user : undefined;
}

/** GET /auth/authorize (RFC 6749 section 4.1.1, OpenID Connect Core 3.1.2.1, with prompt none and login). */
async function authorize(deps: SignInDeps, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const check = await checkAuthorizeRequest({ reader: deps.ctx, db: deps.ctx.db }, request.url, deps.fhirBase(request));
  if (check.kind === 'page') return errorPage(reply, 400, check.message);
  if (check.kind === 'redirect') {
    return redirectTo(reply, redirectWith(check.redirectUri, { error: check.error, error_description: check.description, state: check.state }));
  }
  const prompts = (check.authorization.prompt ?? '').split(' ');
  const user = prompts.includes('login') ? undefined : await activeUser(deps, await sessionUser(deps.ctx.db, request));
  if (prompts.includes('none')) {
    // OpenID Connect Core 3.1.2.6: no page may be shown, and consent is always asked.
    const { redirectUri, state } = check.authorization;
    const error = user ? 'consent_required' : 'login_required';
    return redirectTo(reply, redirectWith(redirectUri, { error, error_description: 'prompt=none, but the user must sign in or consent', state }));
  }
  const pending = await createPendingAuthorization(deps.ctx.db, check.authorization);
  const headers = { 'set-cookie': csrfCookie(pending, request.protocol === 'https') };
  if (!user) return sendPage(reply, 200, signInPage(pending), { formTarget: pending.request.redirectUri, headers });
  await assignPendingUser(deps.ctx.db, pending.id, user.id as string);
  return showConsent(deps.ctx, reply, { ...pending, userId: user.id as string }, user, { headers });
}

function tooMany(reply: FastifyReply, seconds: number): FastifyReply {
  return errorPage(reply, 429, 'Too many failed sign-ins: wait a few minutes before you try again', { 'retry-after': String(seconds) });
}

/** A failed sign-in: counted per account and address, logged without the password, the same answer for every cause. */
function signInFailed(limiter: SignInLimiter, request: FastifyRequest, reply: FastifyReply, pending: PendingAuthorization, login: string): FastifyReply {
  const failures = limiter.fail(login, request.ip);
  request.log.warn({ event: 'sign-in-failed', client: pending.request.clientId, address: request.ip, failures }, 'sign-in failed');
  const wait = limiter.retryAfter(login, request.ip);
  if (wait > 0) return tooMany(reply, wait);
  return sendPage(reply, 200, signInPage(pending, FAILED, login), { formTarget: pending.request.redirectUri });
}

/** POST /auth/sign-in: the login and password of the sign-in form. */
async function signIn(deps: SignInDeps, limiter: SignInLimiter, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const form = formFields(request.body);
  const pending = await readPendingAuthorization(deps.ctx.db, request, form);
  if (!pending) return errorPage(reply, 400, EXPIRED);
  const login = (form.login ?? '').trim();
  const wait = limiter.retryAfter(login, request.ip);
  if (wait > 0) return tooMany(reply, wait);
  const user = await verifyUserLogin(deps.ctx, login, form.password ?? '');
  deps.ctx.audit?.record(signInEvent({ login, userId: user?.id, clientId: pending.request.clientId, address: request.ip, baseUrl: deps.fhirBase(request) }));
  if (!user) return signInFailed(limiter, request, reply, pending, login);
  limiter.succeed(login);
  request.log.info({ event: 'sign-in', user: user.id, client: pending.request.clientId }, 'signed in');
  const cookie = await startBrowserSession(deps.ctx.db, user.id as string, request.protocol === 'https');
  await assignPendingUser(deps.ctx.db, pending.id, user.id as string);
  return showConsent(deps.ctx, reply, { ...pending, userId: user.id as string }, user, { headers: { 'set-cookie': cookie } });
}

/** POST /auth/consent: approve, deny, or (administrators) search a patient. */
async function consent(deps: SignInDeps, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const form = formFields(request.body);
  const pending = await readPendingAuthorization(deps.ctx.db, request, form);
  if (!pending) return errorPage(reply, 400, EXPIRED);
  const userId = await sessionUser(deps.ctx.db, request);
  const user = userId === pending.userId ? await activeUser(deps, userId) : undefined;
  if (!user) return errorPage(reply, 403, 'You are not signed in for this request: go back to the application and start again');
  if (form.decision === 'deny') return denyConsent(deps.ctx, reply, pending);
  if (form.decision === 'search') return searchConsent(deps.ctx, reply, pending, user, form.patient_search ?? '', deps.fhirBase(request));
  if (form.decision !== 'approve') return showConsent(deps.ctx, reply, pending, user, { status: 400, message: 'Choose Allow or Deny' });
  return approveConsent(deps.ctx, reply, pending, user, form.patient);
}

/** The authorize endpoint and its pages. */
export function registerAuthorizeRoutes(app: FastifyInstance, deps: SignInDeps): void {
  const limiter = deps.limiter ?? new SignInLimiter();
  app.get('/auth/authorize', (request, reply) => authorize(deps, request, reply));
  app.post('/auth/sign-in', (request, reply) => signIn(deps, limiter, request, reply));
  app.post('/auth/consent', (request, reply) => consent(deps, request, reply));
}
