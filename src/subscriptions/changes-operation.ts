/**
 * The change feed as an operation, in the shape of Aidbox's Changes API:
 *   GET [base]/Type/$changes            -> {version}: the newest position of the type's changes
 *   GET [base]/Type/$changes?version=N  -> 304 when nothing is newer; else {version, changes}, the
 *                                          changes after N in order, version the position to ask from next
 *   GET [base]/Type/id/$changes         -> the same for one resource
 * `version=N,M` reads a range (after N, up to and with M); `_count` caps a page (default 100, at
 * most 1000); `omit-resources=true` gives each change's resource as type, id and versionId only.
 * A version is a position in the feed (change-sequencer.ts), not a txid: positions never skip a
 * change that commits late. Each change says its event (created, updated, deleted) and carries the
 * version it made; the caller's access rules leave out what it may not read.
 */
import type { Resource } from '../core/index.js';
import { storageOf, visibleRows, type FhirResponse, type OperationCall, type OperationDefinitionEntry } from '../engine/index.js';
import type { OperationInput } from '../operation/index.js';
import { latestPosition, readChanges, type FeedChange } from './change-feed.js';
import { sequenceChanges } from './change-sequencer.js';
import { subscriptionErrors } from './subscription-errors.js';

const DEFAULT_COUNT = 100;
const MAX_COUNT = 1000;

interface VersionRange {
  after: number;
  upTo?: number;
}

function position(text: string): number {
  if (!/^\d{1,15}$/.test(text.trim())) throw subscriptionErrors['changes.bad-version']({ detail: `version must be a position (a whole number), not "${text}"` });
  return Number(text.trim());
}

/** `N` or `N,M`; none: only the newest position is asked for. */
function readRange(version: string | undefined): VersionRange | undefined {
  if (version === undefined) return undefined;
  const parts = version.split(',');
  if (parts.length > 2) throw subscriptionErrors['changes.bad-version']({ detail: `version is a position or two (after,upTo), not "${version}"` });
  const [after, upTo] = parts.map(position);
  if (upTo !== undefined && upTo < after) throw subscriptionErrors['changes.bad-version']({ detail: `the range ${version} ends before it starts` });
  return { after, upTo };
}

function readCount(text: string | undefined): number {
  if (text === undefined) return DEFAULT_COUNT;
  const count = Number(text);
  if (!/^\d+$/.test(text) || count < 1 || count > MAX_COUNT) throw subscriptionErrors['changes.bad-count']({ detail: `_count must be from 1 to ${MAX_COUNT}, not "${text}"` });
  return count;
}

function changeEntry(change: FeedChange, omitResources: boolean): Record<string, unknown> {
  const versionId = change.version?.versionId ?? change.txid;
  const resource = omitResources || !change.version
    ? { resourceType: change.resourceType, id: change.id, meta: { versionId } }
    : change.version.resource;
  return { event: change.event, version: change.position, resource };
}

function answer(body: Record<string, unknown>): FhirResponse {
  return { status: 200, headers: {}, body: body as unknown as Resource };
}

async function changes(call: OperationCall, input: OperationInput): Promise<FhirResponse> {
  const { ctx, request, route } = call;
  const storage = storageOf(ctx, route.resourceType);
  const range = readRange(input.string('version'));
  const count = readCount(input.string('_count'));
  // Everything committed before this request is in the feed before it is read.
  await sequenceChanges(ctx.db, { wait: true });
  const latest = await latestPosition(ctx.db, storage.resourceType, route.id);
  if (!range) return answer({ version: latest });
  const upTo = Math.min(range.upTo ?? latest, latest);
  if (upTo <= range.after) return { status: 304, headers: {} };
  const found = await readChanges(ctx.db, storage, {
    after: range.after, upTo, id: route.id, count, visible: visibleRows(ctx, request, storage.resourceType),
  });
  // A full page resumes after its last change; a shorter one has read everything up to upTo.
  const next = found.length === count ? found[found.length - 1].position : upTo;
  return answer({ version: next, changes: found.map((change) => changeEntry(change, input.boolean('omit-resources') === true)) });
}

export const changesOperation: OperationDefinitionEntry = {
  name: 'changes',
  levels: ['type', 'instance'],
  affectsState: false,
  parameters: [
    { name: 'version', min: 0, max: 1, type: 'string' },
    { name: '_count', min: 0, max: 1, type: 'string', alsoAccepts: ['integer'] },
    { name: 'omit-resources', min: 0, max: 1, type: 'boolean' },
  ],
  handler: changes,
};
