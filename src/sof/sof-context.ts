/**
 * What SQL on FHIR needs from the rest of Flint (the engine's context satisfies it): the database,
 * the model and where each type is stored. Also the two steps every use of a view starts with:
 * reading a stored ViewDefinition, and checking and compiling one.
 */
import type { Resource } from '../core/index.js';
import { isDatabaseError, translateDatabaseError, type Database, type Queryable } from '../db/index.js';
import type { FhirModel } from '../model/index.js';
import { readCurrent, type RowCondition, type StorageResolver } from '../storage/index.js';
import { compileView, type CompiledView, type ViewSource } from './compile/compile-view.js';
import { sofErrors } from './sof-errors.js';
import { VIEW_DEFINITION } from './view-definition/view-definition-type.js';
import { parseView } from './view/parse-view.js';

export interface SofContext {
  db: Database;
  model: FhirModel;
  storages: StorageResolver;
}

/**
 * The caller's row rule for a type on a table alias (the engine's visibleRows, for the request that
 * runs the view); undefined, or absent, when it may read every row of the type.
 */
export type VisibleRowsOf = (resourceType: string, alias: string) => RowCondition | undefined;

export function viewSource(ctx: SofContext): ViewSource {
  return { model: ctx.model, tableOf: (resourceType) => ctx.storages.storageFor(resourceType)?.table };
}

/** Checks a ViewDefinition (shape, FHIRPath, types, columns) and compiles it; 422 when it cannot run. */
export function prepareView(ctx: SofContext, json: unknown): CompiledView {
  return compileView(viewSource(ctx), parseView(json));
}

/** A stored resource by type and id; 404 when there is none, or when the caller may not see it. */
export async function readStored(ctx: SofContext, db: Queryable, resourceType: string, id: string, visible?: VisibleRowsOf): Promise<Resource> {
  const storage = ctx.storages.storageFor(resourceType);
  const version = storage ? await readCurrent(db, storage, id, visible?.(resourceType, 'stored_row')) : undefined;
  if (!version) throw sofErrors['sof.unknown-view']({ detail: `${resourceType}/${id} does not exist` }, { expression: `${resourceType}/${id}` });
  return version.resource;
}

/** A stored ViewDefinition from "ViewDefinition/123" or "123". */
export function readViewDefinition(ctx: SofContext, db: Queryable, reference: string, visible?: VisibleRowsOf): Promise<Resource> {
  const match = new RegExp(`^(?:(?:.*/)?${VIEW_DEFINITION}/)?([A-Za-z0-9.-]{1,64})$`).exec(reference);
  if (!match) throw sofErrors['sof.invalid-parameter']({ detail: `${reference} is not a ViewDefinition reference` }, { expression: 'viewReference' });
  return readStored(ctx, db, VIEW_DEFINITION, match[1], visible);
}

/** Data errors PostgreSQL reports when stored JSON does not have the model's shape (an object where an array belongs, text where a number does). */
const DATA_SHAPE_ERRORS = new Set(['22023', '22P02', '2202E']);

/**
 * Database errors a view causes while it runs, as FhirErrors: SQLSTATE SOF01 (a column met several
 * values) is sof.multiple-values, stored data of another shape than the model's sof.evaluation;
 * the others as the db module translates them.
 */
export function translateViewError(error: unknown): unknown {
  if (isDatabaseError(error) && error.code === 'SOF01') {
    return sofErrors['sof.multiple-values']({ detail: error.message }, { cause: error });
  }
  if (isDatabaseError(error) && DATA_SHAPE_ERRORS.has(error.code ?? '')) {
    return sofErrors['sof.evaluation']({ detail: `The stored data does not fit the view: ${error.message}` }, { cause: error });
  }
  return translateDatabaseError(error);
}
