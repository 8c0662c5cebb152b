/**
 * The caller's row rules on writes (core/row-rules.ts, docs/access-control.md), inside the write's
 * transaction: the row a write changes must be one the caller may see (else it is not found, like a
 * missing one), and the resource as it will be stored must be one it may write (else 403
 * access.write-outside-rows, nothing written). Conditional writes match only visible rows
 * (resolve-write.ts). Without rules for the type, neither check runs.
 */
import { meetsRowCondition, type CurrentVersion, type ResourceStorage } from '../../storage/index.js';
import type { EngineContext } from '../engine-context.js';
import { engineErrors } from '../engine-errors.js';
import type { FhirRequest } from '../fhir-request.js';
import type { StoredRowCheck } from '../resource-writer.js';
import { visibleRows } from '../visible-rows.js';

/** The check of the stored JSON a create, update or patch writes, or undefined when the rules do not narrow the type. */
export function storedRowCheck(ctx: EngineContext, request: FhirRequest, storage: ResourceStorage): StoredRowCheck | undefined {
  const visible = visibleRows(ctx, request, storage.resourceType);
  if (!visible) return undefined;
  return async (tx, id, body) => {
    if (!(await meetsRowCondition(tx, storage, id, body, visible))) {
      throw engineErrors['access.write-outside-rows']({ resourceType: storage.resourceType });
    }
  };
}

/** A locked current row the caller may not see is not found, exactly as a missing one. */
export function expectVisible(storage: ResourceStorage, id: string, current: CurrentVersion | undefined): void {
  if (current?.hidden) throw engineErrors['rest.resource-not-found']({ resourceType: storage.resourceType, id });
}
