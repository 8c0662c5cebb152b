/**
 * POST /auth/launch, the EHR side of an EHR launch (SMART App Launch 2.x,
 * https://hl7.org/fhir/smart-app-launch/app-launch.html#step-1-launch-app): an administrator, or a
 * user acting for the patient, asks for a launch of a client with a patient and an encounter in
 * context; the answer is the launch id and the URL that opens the app (its smart.launch_uri with
 * iss and launch).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ANONYMOUS_CALLER, type Caller, type LaunchContext } from '../core/index.js';
import { readActiveClient, readIdentity } from '../access/index.js';
import { authErrors } from './auth-errors.js';
import { formFields } from './form-fields.js';
import { createLaunchContext } from './launch-contexts.js';
import { patientChoices } from './patient-choices.js';
import type { SignInDeps } from './sign-in-deps.js';

const ID = /^[A-Za-z0-9\-.]{1,64}$/;

async function mustExist(deps: SignInDeps, type: string, id: string | undefined): Promise<void> {
  if (id === undefined) return;
  if (!ID.test(id) || !(await readIdentity(deps.ctx, type, id))) {
    throw authErrors['auth.launch-invalid']({ reason: `${type}/${id} does not exist` });
  }
}

/** Whether the caller may launch with this context: an administrator, or a user whose patients include it. */
async function mayLaunch(deps: SignInDeps, caller: Caller, context: LaunchContext): Promise<boolean> {
  if (caller.admin) return true;
  if (caller.kind !== 'user' || !caller.userId || context.patient === undefined) return false;
  const user = await readIdentity(deps.ctx, 'User', caller.userId);
  if (!user) return false;
  const choices = await patientChoices(deps.ctx, user);
  return choices.options.some((option) => option.id === context.patient);
}

function launchUrl(launchUri: unknown, fhirBase: string, launch: string): string | undefined {
  if (typeof launchUri !== 'string') return undefined;
  try {
    const url = new URL(launchUri);
    url.searchParams.set('iss', fhirBase);
    url.searchParams.set('launch', launch);
    return url.toString();
  } catch {
    return undefined;
  }
}

/** POST /auth/launch {client, patient?, encounter?} (JSON or form) -> {launch, launch_url}. */
async function createLaunch(deps: SignInDeps, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const fhirBase = deps.fhirBase(request);
  const caller = deps.authenticate ? await deps.authenticate(request.headers.authorization, fhirBase) : ANONYMOUS_CALLER;
  const fields = formFields(request.body);
  const client = fields.client && ID.test(fields.client) ? await readActiveClient(deps.ctx, fields.client) : undefined;
  if (!client) throw authErrors['auth.launch-invalid']({ reason: 'client must name an active Client' });
  const context: LaunchContext = {};
  if (fields.patient) context.patient = fields.patient;
  if (fields.encounter) context.encounter = fields.encounter;
  await mustExist(deps, 'Patient', context.patient);
  await mustExist(deps, 'Encounter', context.encounter);
  if (!(await mayLaunch(deps, caller, context))) throw authErrors['auth.launch-forbidden'](undefined);
  const launch = await createLaunchContext(deps.ctx.db, client.id as string, context);
  const smart = client.smart as { launch_uri?: unknown } | undefined;
  const url = launchUrl(smart?.launch_uri, fhirBase, launch);
  return reply.code(201).header('cache-control', 'no-store').send({ launch, ...(url ? { launch_url: url } : {}) });
}

export function registerLaunchRoute(app: FastifyInstance, deps: SignInDeps): void {
  app.post('/auth/launch', (request, reply) => createLaunch(deps, request, reply));
}
