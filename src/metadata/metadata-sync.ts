/**
 * Keeps the model in step with the metadata resources stored in the database. At start it applies
 * every stored definition; a write of one is checked before commit (a bad definition is rejected
 * and the model stays as it was), applied at commit, and announced with NOTIFY so every other
 * server process re-reads it from the database. A new resource type gets its tables before it is
 * served. Removing a definition that replaced a core one brings the core one back. Other modules
 * register their own resource types (storages, APIs) with a handler: they flow the same way.
 */
import { randomUUID } from 'node:crypto';
import type { Resource } from '../core/index.js';
import type { Database } from '../db/index.js';
import { definesType, readCorePackage, type FhirModel, type StructureDefinition } from '../model/index.js';
import { sql, ident } from '../sql/index.js';
import { readCurrent, fromRow, type ResourceChange, type ResourceRow, type StorageResolver, type WriteHook, type WriteTx } from '../storage/index.js';
import { DEFAULT_CHECKS, type DefinitionCheck } from './definition-checks.js';
import { isMetadataType, METADATA_CHANNEL, METADATA_TYPES } from './metadata-types.js';

export interface MetadataSyncOptions {
  db: Database;
  model: FhirModel;
  storages: StorageResolver;
  /** Makes sure a resource type's tables exist before the type is served. */
  prepareType(resourceType: string): Promise<void>;
  log: { warn(details: object, message: string): void; error(details: object, message: string): void };
}

/** Applies the committed versions of a resource type that is not a FHIR definition (storages, APIs). */
export interface MetadataHandler {
  /** The new version of the resource, or undefined when it was deleted. */
  apply(id: string, resource: Resource | undefined): Promise<void> | void;
}

interface Notice {
  origin: string;
  type: string;
  id: string;
}

export class MetadataSync implements WriteHook {
  private readonly origin = randomUUID();
  private readonly applied = new Map<string, Resource>();
  private readonly checks = new Map<string, DefinitionCheck[]>(Object.entries(DEFAULT_CHECKS) as [string, DefinitionCheck[]][]);
  private readonly handlers = new Map<string, MetadataHandler>();
  private queue: Promise<void> = Promise.resolve();
  private coreByUrl?: Map<string, Resource>;
  private stopListening?: () => Promise<void>;

  constructor(private readonly options: MetadataSyncOptions) {}

  /** Adds a check that every written resource of a type must pass before commit. */
  addCheck(resourceType: string, check: DefinitionCheck): void {
    this.checks.set(resourceType, [...(this.checks.get(resourceType) ?? []), check]);
  }

  /**
   * Makes a resource type live metadata: its changes are announced and applied on every process by
   * the handler. Types load after the FHIR definitions, in the order they were registered.
   */
  register(resourceType: string, handler: MetadataHandler): void {
    this.handlers.set(resourceType, handler);
  }

  /** Every type whose resources flow through this sync, in load order. */
  types(): string[] {
    return [...METADATA_TYPES, ...this.handlers.keys()];
  }

  private follows(resourceType: string): boolean {
    return isMetadataType(resourceType) || this.handlers.has(resourceType);
  }

  /**
   * Applies every stored metadata resource and forgets applied ones that are gone (at start, and
   * after the notification connection was lost). Invalid ones are logged and skipped.
   */
  async load(): Promise<void> {
    const seen = new Set<string>();
    for (const type of this.types()) {
      const storage = this.options.storages.storageFor(type);
      if (!storage) continue;
      const { rows } = await this.options.db.query<ResourceRow>(sql`
        SELECT id, txid, ts, resource_type, status, resource FROM ${ident(storage.table)} ORDER BY txid`);
      for (const row of rows) {
        const { resource } = fromRow(row);
        seen.add(`${type}/${row.id}`);
        try {
          this.runChecks(resource);
          await this.apply(`${type}/${row.id}`, resource);
        } catch (error) {
          this.options.log.warn({ err: error, resource: `${type}/${row.id}` }, 'skipped a stored definition that does not apply');
        }
      }
    }
    for (const key of [...this.applied.keys()]) if (!seen.has(key)) await this.apply(key, undefined);
  }

  async listen(): Promise<void> {
    this.stopListening = await this.options.db.listen(METADATA_CHANNEL, (payload) => this.onNotice(payload));
    this.options.db.onListenerReconnect(() => {
      this.queue = this.queue.then(() => this.load()).catch((error) => {
        this.options.log.error({ err: error }, 'could not reload metadata after reconnecting');
      });
    });
  }

  async close(): Promise<void> {
    await this.stopListening?.();
    await this.queue;
  }

  private runChecks(resource: Resource): void {
    for (const check of this.checks.get(resource.resourceType) ?? []) check(resource, this.options.model);
  }

  async beforeCommit(change: ResourceChange, tx: WriteTx): Promise<void> {
    if (!this.follows(change.resourceType)) return;
    if (change.resource) this.runChecks(change.resource);
    const notice: Notice = { origin: this.origin, type: change.resourceType, id: change.id };
    await tx.query(sql`SELECT pg_notify(${METADATA_CHANNEL}, ${JSON.stringify(notice)})`);
  }

  afterCommit(changes: ResourceChange[]): Promise<void> {
    const metadata = changes.filter((change) => this.follows(change.resourceType));
    for (const change of metadata) this.enqueue(`${change.resourceType}/${change.id}`, change.resource);
    return this.queue;
  }

  /** Waits until every change received so far is applied (tests, shutdown). */
  settled(): Promise<void> {
    return this.queue;
  }

  private onNotice(payload: string): void {
    let notice: Notice;
    try {
      notice = JSON.parse(payload) as Notice;
    } catch {
      return;
    }
    if (notice.origin === this.origin || !this.follows(notice.type)) return;
    this.queue = this.queue.then(() => this.reload(notice.type, notice.id)).catch((error) => {
      this.options.log.error({ err: error, resource: `${notice.type}/${notice.id}` }, 'could not apply a metadata change');
    });
  }

  private async reload(type: string, id: string): Promise<void> {
    const storage = this.options.storages.storageFor(type);
    if (!storage) return;
    const current = await readCurrent(this.options.db, storage, id);
    await this.apply(`${type}/${id}`, current?.resource);
  }

  private enqueue(key: string, resource: Resource | undefined): void {
    this.queue = this.queue.then(() => this.apply(key, resource)).catch((error) => {
      this.options.log.error({ err: error, resource: key }, 'could not apply a metadata change');
    });
  }

  private async apply(key: string, resource: Resource | undefined): Promise<void> {
    const [type, id] = key.split('/');
    const handler = this.handlers.get(type);
    if (handler) {
      await handler.apply(id, resource);
      if (resource) this.applied.set(key, resource);
      else this.applied.delete(key);
      return;
    }
    const { model } = this.options;
    const previous = this.applied.get(key);
    if (resource?.resourceType === 'StructureDefinition') {
      const definition = resource as StructureDefinition;
      if (definesType(definition) && definition.kind === 'resource' && !definition.abstract) await this.options.prepareType(definition.type);
    }
    if (previous) {
      model.removeDefinition(previous);
      await this.restoreCore(previous, resource);
    }
    if (resource) {
      model.addDefinition(resource);
      this.applied.set(key, resource);
    } else this.applied.delete(key);
  }

  /** When a definition that replaced a core one goes away, the core one comes back. */
  private async restoreCore(removed: Resource, replacement: Resource | undefined): Promise<void> {
    const url = removed.url as string | undefined;
    if (!url || replacement?.url === url) return;
    this.coreByUrl ??= new Map((await readCorePackage()).resources.filter((r) => typeof r.url === 'string').map((r) => [r.url as string, r]));
    const core = this.coreByUrl.get(url);
    if (core) this.options.model.addDefinition(core);
  }
}
