/**
 * $create-{kind}, $configure-{kind}, $list-{kind} and $delete-{kind} for every kind of platform
 * record (storage, api): Parameters in, Parameters out. A record is a resource whose id is the
 * record's id parameter; a client may choose it, and with ifNoneExist=true an existing one is
 * answered as it is (200, nothing changed), which makes set-up repeatable. Each kind says only what
 * differs: its parameters, its echo, its reads and its rules.
 */
import { newResourceId, type Resource } from '../core/index.js';
import { inWriteTransaction, type FhirResponse, type OperationCall } from '../engine/index.js';
import type { Queryable } from '../db/index.js';
import type { WriteTx } from '../storage/index.js';
import type { OperationInput, OperationParameter } from '../operation/index.js';
import {
  idValue, parameter, parametersCollection, parametersResource, requiredString, requiring, type ParameterEntry,
} from './operation-parameters.js';
import { platformError, type PlatformErrorCode } from './platform-errors.js';
import { lockPlatform } from './record-store.js';
import { deleteRecord, writeRecord } from './record-writes.js';
import type { RuleContext } from './resolve-definition.js';

/** What makes one kind of platform record different from another. */
export interface RecordKind<R> {
  /** The operations' suffix: create-{name}. */
  name: string;
  /** How messages name one record: 'A storage', 'An API' (and 'No storage', 'No API'). */
  article: 'A' | 'An';
  label: string;
  /** The parameter that carries the record's id (storageId, apiId). */
  idParameter: string;
  /** The resource type that holds the records. */
  resourceType: string;
  /** The record's parameters other than ifNoneExist; the id parameter is optional (create may leave it out). */
  parameters: readonly OperationParameter[];
  exists: PlatformErrorCode;
  notFound: PlatformErrorCode;
  /** The seed's echo of a record, in the seed's order. */
  echo(record: R): ParameterEntry[];
  fromValues(input: OperationInput, id: string): R;
  toResource(record: R): Resource;
  read(db: Queryable, id: string): Promise<R | undefined>;
  list(db: Queryable): Promise<R[]>;
  /** The rules a new or changed record must keep (they may also make what it needs, such as tables). */
  checkWrite(rules: RuleContext, tx: WriteTx, record: R): Promise<void>;
  /** The rules a deletion must keep. */
  checkDelete?(tx: WriteTx, id: string): Promise<void>;
}

export interface RecordOperation {
  name: string;
  affectsState: boolean;
  parameters: readonly OperationParameter[];
  run(call: OperationCall, input: OperationInput, rules: RuleContext): Promise<FhirResponse>;
}

function answer(status: number, parameter: ParameterEntry[]): FhirResponse {
  return { status, headers: {}, body: parametersResource(parameter) };
}

function idFrom<R>(kind: RecordKind<R>, input: OperationInput): string {
  return idValue(input, kind.idParameter) ?? requiredString(input, kind.idParameter);
}

async function mustExist<R>(kind: RecordKind<R>, tx: WriteTx, id: string): Promise<void> {
  if (!await kind.read(tx, id)) throw platformError(kind.notFound, kind.idParameter, `No ${kind.label} has the ${kind.idParameter} ${id}`);
}

/** The rules, then the record, in one transaction. */
async function save<R>(kind: RecordKind<R>, call: OperationCall, rules: RuleContext, tx: WriteTx, record: R): Promise<void> {
  await kind.checkWrite(rules, tx, record);
  await writeRecord(call, tx, kind.toResource(record));
}

async function create<R>(kind: RecordKind<R>, call: OperationCall, input: OperationInput, rules: RuleContext): Promise<FhirResponse> {
  const givenId = idValue(input, kind.idParameter);
  const ifNoneExist = input.boolean('ifNoneExist') === true;
  if (ifNoneExist && givenId === undefined) {
    throw platformError('platform.missing-parameter', kind.idParameter, `ifNoneExist needs the ${kind.idParameter} to look for`);
  }
  const record = kind.fromValues(input, givenId ?? newResourceId());
  return inWriteTransaction(call.ctx, call.request, { tx: call.tx }, async (tx) => {
    await lockPlatform(tx);
    const existing = givenId === undefined ? undefined : await kind.read(tx, givenId);
    if (existing && ifNoneExist) return answer(200, kind.echo(existing));
    if (existing) {
      throw platformError(kind.exists, kind.idParameter,
        `${kind.article} ${kind.label} with ${kind.idParameter} ${givenId} exists; change it with $configure-${kind.name}, or pass ifNoneExist=true`);
    }
    await save(kind, call, rules, tx, record);
    return answer(201, kind.echo(record));
  });
}

async function configure<R>(kind: RecordKind<R>, call: OperationCall, input: OperationInput, rules: RuleContext): Promise<FhirResponse> {
  const id = idFrom(kind, input);
  const record = kind.fromValues(input, id);
  return inWriteTransaction(call.ctx, call.request, { tx: call.tx }, async (tx) => {
    await lockPlatform(tx);
    await mustExist(kind, tx, id);
    await save(kind, call, rules, tx, record);
    return answer(200, kind.echo(record));
  });
}

async function list<R>(kind: RecordKind<R>, call: OperationCall): Promise<FhirResponse> {
  const records = await kind.list(call.tx ?? call.ctx.db);
  return { status: 200, headers: {}, body: parametersCollection(records.map((record) => parametersResource(kind.echo(record)))) };
}

async function remove<R>(kind: RecordKind<R>, call: OperationCall, input: OperationInput): Promise<FhirResponse> {
  const id = idFrom(kind, input);
  return inWriteTransaction(call.ctx, call.request, { tx: call.tx }, async (tx) => {
    await lockPlatform(tx);
    await mustExist(kind, tx, id);
    await kind.checkDelete?.(tx, id);
    await deleteRecord(call, tx, kind.resourceType, id);
    return answer(200, [{ name: 'status', valueString: 'success' }]);
  });
}

/** The four operations of a kind of record. */
export function recordOperations<R>(kind: RecordKind<R>): RecordOperation[] {
  return [
    {
      name: `create-${kind.name}`, affectsState: true, parameters: [...kind.parameters, parameter('ifNoneExist', 'boolean')],
      run: (call, input, rules) => create(kind, call, input, rules),
    },
    {
      name: `configure-${kind.name}`, affectsState: true, parameters: requiring(kind.parameters, kind.idParameter),
      run: (call, input, rules) => configure(kind, call, input, rules),
    },
    { name: `list-${kind.name}`, affectsState: false, parameters: [], run: (call) => list(kind, call) },
    {
      name: `delete-${kind.name}`, affectsState: true, parameters: [parameter(kind.idParameter, 'string', true)],
      run: (call, input) => remove(kind, call, input),
    },
  ];
}
