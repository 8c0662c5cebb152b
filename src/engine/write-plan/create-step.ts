/**
 * The write of a resolved create (http://hl7.org/fhir/R4/http.html#create, #ccreate): the match of
 * If-None-Exist (among the rows the caller may see) is the answer (200, nothing written), else the
 * resource is stored under the new id (201), when it is inside the caller's rows (row-check.ts).
 */
import type { WriteTx } from '../../storage/index.js';
import type { EngineContext } from '../engine-context.js';
import type { FhirResponse } from '../fhir-request.js';
import { readResponse, writeResponse } from '../resource-response.js';
import { createVersion } from '../resource-writer.js';
import type { Resolution } from './resolve-write.js';
import { storedRowCheck } from './row-check.js';
import type { CreatePlan } from './write-plan.js';

export async function writeCreate(ctx: EngineContext, tx: WriteTx, plan: CreatePlan, resolution: Resolution): Promise<FhirResponse> {
  if (resolution.existing) return { ...readResponse(resolution.existing), status: 200 };
  const { storage, resource, request } = plan;
  const version = await createVersion(ctx, tx, storage, resource, resolution.ids[0], 'created', storedRowCheck(ctx, request, storage));
  return writeResponse(request, 201, version, `Created ${storage.resourceType}/${version.resource.id}`);
}
