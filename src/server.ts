/**
 * The composition root: reads nothing itself, wires everything. Opens the database (real or
 * embedded), creates the system schema, loads the model from the core package, provisions the
 * tables of every mounted type, builds the engine context and the HTTP app, applies the stored
 * metadata (definitions, storages, APIs), runs the init bundle; closes them in order.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FlintConfig } from './config.js';
import { installAudit, type AuditLog } from './audit/index.js';
import { createSystemSchema, describeDatabase, openDatabase, withSchemaLock, type Database } from './db/index.js';
import { defaultIndexDdl, installSearchFunctions } from './search/index.js';
import type { TableIndexes } from './storage/index.js';
import type { Resource } from './core/index.js';
import type { Queryable } from './db/index.js';
import { DEFAULT_ENGINE_CONFIG, OperationRegistry, handleRequest, registerSearchOperations, visibleRows, type EngineContext, type RowsOf } from './engine/index.js';
import { checkFormatDefinition } from './format/index.js';
import {
  addAccessTypes, ACCESS_SYSTEM_TYPES, Authenticator, bootstrapIdentities, createAccessControl, CredentialHook, loadSigningKeys,
  type SigningKeys,
} from './access/index.js';
import { capabilitySecurity, registerAuthServerRoutes, registerSignInRoutes } from './auth/index.js';
import {
  buildHttpApp, registerNativeRoutes, registerPolicyDebug, registerSofRoutes, registerSqlRoute, requestBaseUrl, type HttpAuthentication,
} from './http/index.js';
import { loadCoreModel, readCorePackage, type FhirModel } from './model/index.js';
import { MetadataSync } from './metadata/index.js';
import { loadPackage, type PackageServiceDeps } from './packages/index.js';
import { Platform, runInitBundle } from './platform/index.js';
import { addViewDefinitionType, registerSofOperations, viewDefinitionIssues } from './sof/index.js';
import { installFhirFunctions, openSqlSandbox, SqlGate } from './sql-api/index.js';
import { readCurrent } from './storage/index.js';
import { addSubscriptionTypes, installSubscriptions, SUBSCRIPTION_SYSTEM_TYPES } from './subscriptions/index.js';
import {
  FhirValidator, createWriteValidator, loadPackageOperationEntry, validateOperationEntry,
} from './validation/index.js';

export interface Flint {
  app: FastifyInstance;
  /** The keys that sign this server's tokens. */
  signingKeys: SigningKeys;
  /** How its HTTP app authenticates requests (another app over the same engine can use it). */
  authentication: HttpAuthentication;
  ctx: EngineContext;
  db: Database;
  metadata: MetadataSync;
  platform: Platform;
  /** The audit log; absent with FLINT_AUDIT=off. */
  audit?: AuditLog;
  close(): Promise<void>;
}

export interface FlintOptions {
  /** Use this database instead of opening one from the config (tests). */
  db?: Database;
  logStream?: NodeJS.WritableStream;
  /** Hears what the start is preparing, step by step (the command line prints it). */
  progress?: (message: string) => void;
  /** Hears the generated root secret, once (progress when absent; the command line prints it whatever the log level). */
  announce?: (message: string) => void;
  /** A new embedded data folder starts as a copy of this dump file (see embedded-template.ts). */
  embeddedTemplate?: string;
}

const silentLog = { error: () => undefined, warn: () => undefined, info: () => undefined };

function engineConfig(config: FlintConfig) {
  return {
    ...DEFAULT_ENGINE_CONFIG,
    defaultIsolation: config.defaultIsolation,
    transactionRetries: config.transactionRetries,
    historyDefaultCount: config.historyDefaultCount,
    historyMaxCount: config.historyMaxCount,
    searchDefaultCount: config.searchDefaultCount,
    searchMaxCount: config.searchMaxCount,
    searchTimeoutMs: config.searchTimeoutMs,
    searchMaxTerms: config.searchMaxTerms,
    maxArrayLength: config.maxArrayLength,
    bundleMaxEntries: config.bundleMaxEntries,
  };
}

/** $validate, $load-package, and the package loader's access to the engine. */
function wireValidation(ctx: EngineContext, validator: FhirValidator, config: FlintConfig): PackageServiceDeps {
  // A request's rows (when one asks) hide what its caller may not see; the package loader reads as the server.
  const read = async (resourceType: string, id: string, tx?: unknown, request?: RowsOf): Promise<Resource | undefined> => {
    const storage = ctx.storages.storageFor(resourceType);
    const visible = visibleRows(ctx, request, resourceType);
    return storage ? (await readCurrent((tx as Queryable | undefined) ?? ctx.db, storage, id, visible))?.resource : undefined;
  };
  ctx.operations.register(validateOperationEntry({
    validator,
    readResource: read,
    referenceExists: async (resourceType, id, tx, request) => (await read(resourceType, id, tx, request)) !== undefined,
    checkReferences: config.validateReferences,
  }));
  const deps: PackageServiceDeps = {
    validator,
    sources: { folders: config.packageFolders, registry: config.packageRegistry },
    stored: (resource) => read(resource.resourceType, resource.id as string),
    async write(resources) {
      const entry = resources.map((resource) => ({ resource, request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` } }));
      await handleRequest(ctx, {
        method: 'POST', path: '', query: [], headers: {}, baseUrl: config.baseUrl ?? 'http://localhost',
        body: { resourceType: 'Bundle', type: 'transaction', entry },
      });
    },
  };
  ctx.operations.register(loadPackageOperationEntry(deps));
  return deps;
}

/** The server's own types beside FHIR's: ViewDefinition, the access types, SubscriptionTopic and TopicDestination. */
function addServerTypes(model: FhirModel): void {
  addViewDefinitionType(model);
  addAccessTypes(model);
  addSubscriptionTypes(model);
}

/** The types every server serves from their default tables, whatever the storage configuration says. */
const SERVER_SYSTEM_TYPES: readonly string[] = [...ACCESS_SYSTEM_TYPES, ...SUBSCRIPTION_SYSTEM_TYPES];

/** The server's own origins (its base URL's, and localhost on its port), where no subscription may deliver. */
function selfOrigins(config: FlintConfig): string[] {
  const local = ['localhost', '127.0.0.1', '[::1]'].flatMap((host) => [`http://${host}:${config.port}`, `https://${host}:${config.port}`]);
  return config.baseUrl ? [new URL(config.baseUrl).origin, ...local] : local;
}

/** The system schema and the search functions, created idempotently before any table. */
export async function prepareDatabaseObjects(db: Database): Promise<void> {
  await createSystemSchema(db);
  await withSchemaLock(db, (tx) => installSearchFunctions(tx));
}

/** The indexes each new table gets: the default search indexes unless FLINT_SEARCH_INDEXES=none. */
export function tableIndexesFor(config: Pick<FlintConfig, 'searchIndexes'>, model: FhirModel): TableIndexes | undefined {
  return config.searchIndexes === 'default' ? (storage) => defaultIndexDdl(model, storage) : undefined;
}

/**
 * Everything a new database gets at its first start, done ahead: the system schema, the search
 * functions, the tables of every type the platform serves (with their default search indexes when
 * the config asks for them) and the SQL functions of schema fhir. The test template and the
 * embedded template are made with it.
 */
export async function provisionDatabase(db: Database, config: Pick<FlintConfig, 'searchIndexes' | 'enableApiAutoMount'>): Promise<void> {
  await prepareDatabaseObjects(db);
  const model = await loadCoreModel();
  addServerTypes(model);
  await new Platform({ db, model, autoMount: config.enableApiAutoMount, tableIndexes: tableIndexesFor(config, model), systemTypes: SERVER_SYSTEM_TYPES }).provision();
  await installFhirFunctions(db);
}

const LOOPBACK_HOSTS = ['127.0.0.1', '::1', 'localhost'];

/** Authentication off is refused on an address other than loopback, unless the operator says they understand. */
function checkAuthSetting(config: FlintConfig): void {
  if (config.auth === 'off' && !LOOPBACK_HOSTS.includes(config.host) && !config.authOffUnderstood) {
    throw new Error(`FLINT_AUTH=off is for local development: listen on 127.0.0.1 (HOST), or set FLINT_AUTH_OFF_I_UNDERSTAND=1 to serve ${config.host} without authentication`);
  }
}

/**
 * Who may call and how they sign in: the signing keys, the authentication of each request (none
 * with FLINT_AUTH=off), the SMART security of the CapabilityStatement, and the routes of the
 * authorization server and its sign-in pages.
 */
async function wireIdentity(ctx: EngineContext, db: Database, config: FlintConfig) {
  checkAuthSetting(config);
  const signingKeys = await loadSigningKeys(db, config.authSigningKey);
  const authenticator = new Authenticator({ reader: ctx, keys: signingKeys, external: config.externalProvider });
  if (config.auth !== 'off') ctx.capabilitySecurity = capabilitySecurity;
  const fhirBase = (request: FastifyRequest) => requestBaseUrl(request, '/fhir', config.baseUrl);
  const authentication: HttpAuthentication = config.auth === 'off' ? {} : {
    authenticate: (authorization, base) => authenticator.authenticate(authorization, base), baseUrl: config.baseUrl,
  };
  const authServer = { ctx, authenticator, keys: signingKeys, accessTokenSeconds: config.accessTokenSeconds, fhirBase };
  const signIn = { ctx, fhirBase, authenticate: authentication.authenticate, corsOrigins: config.corsOrigins };
  const routes = [
    (app: FastifyInstance) => registerAuthServerRoutes(app, authServer),
    (app: FastifyInstance) => registerSignInRoutes(app, signIn),
  ];
  return { signingKeys, authentication, routes };
}

/** Builds a ready server (not listening). */
export async function createFlint(config: FlintConfig, options: FlintOptions = {}): Promise<Flint> {
  const progress = options.progress ?? (() => undefined);
  // Reading the core package waits on files and unzipping while the database opens.
  readCorePackage().catch(() => undefined);
  if (!options.db) progress(`opening ${describeDatabase(config)}`);
  const db = options.db ?? await openDatabase({
    databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.poolSize, sharedBuffers: config.embeddedSharedBuffers,
    timeouts: config.dbTimeouts,
    templateFile: options.embeddedTemplate,
  });
  progress('preparing the system schema and the search functions');
  await prepareDatabaseObjects(db);
  progress('loading the FHIR R4 core definitions');
  const model = await loadCoreModel();
  addServerTypes(model);
  const platform = new Platform({
    db, model, autoMount: config.enableApiAutoMount, tableIndexes: tableIndexesFor(config, model), systemTypes: SERVER_SYSTEM_TYPES,
  });
  const storages = platform.storages;
  await platform.provision((missing) => progress(`creating ${missing} tables with their search indexes (once per database)`));
  await installFhirFunctions(db);
  const sqlSandbox = await openSqlSandbox(db, { readOnly: config.sqlReadOnly, databaseUrl: config.sqlDatabaseUrl });
  const fhirValidator = new FhirValidator(model, {
    unknownProfile: config.unknownProfiles, unknownExtension: config.unknownExtensions,
    extensionDomains: config.extensionDomains, exampleUrls: config.exampleUrls, markdownHtml: config.markdownHtml,
  });
  const access = createAccessControl({ db, model, storages, log: () => ctx.log });
  const writeValidator = createWriteValidator(fhirValidator, { level: config.validation, checkReferences: config.validateReferences });
  const ctx: EngineContext = {
    db,
    log: silentLog,
    hooks: [],
    model,
    storages,
    config: engineConfig(config),
    validator: {
      async validate(resource, request) {
        const issues = await writeValidator.validate(resource, request);
        if (issues.some((issue) => issue.type === 'structure' && issue.severity === 'error')) return issues;
        return [...issues, ...viewDefinitionIssues({ db, model, storages }, resource)];
      },
    },
    operations: new OperationRegistry(),
    guards: [access.guard],
  };
  ctx.hooks.push(new CredentialHook());
  const forward = config.auditForwardUrl ? { url: config.auditForwardUrl, authorization: config.auditForwardAuth } : undefined;
  const auditLog = installAudit(ctx, config.audit === 'on' ? { reads: config.auditReads === 'on', flushMs: config.auditFlushMs, forward } : undefined);
  registerSofOperations(ctx.operations);
  registerSearchOperations(ctx.operations);
  const subscriptions = installSubscriptions(ctx, {
    deliver: config.subscriptions === 'on', changesIntervalMs: config.changesIntervalMs, changesRetentionDays: config.changesRetentionDays,
    workers: config.subscriptionWorkers, baseUrl: config.baseUrl ?? `http://localhost:${config.port}/fhir`, selfOrigins: selfOrigins(config),
    retry: { baseMs: config.subscriptionRetryBaseMs, horizonMs: config.subscriptionRetryHours * 3600 * 1000 },
    leaseMs: config.subscriptionLeaseMs,
  }, () => ctx.log);
  const packages = wireValidation(ctx, fhirValidator, config);
  const sqlSettings = {
    readOnly: config.sqlReadOnly, timeoutMs: config.sqlTimeoutMs, maxTimeoutMs: config.sqlMaxTimeoutMs, maxRows: config.sqlMaxRows, maxBytes: config.sqlMaxBytes,
  };
  const sqlAccess = { sandbox: sqlSandbox, gate: new SqlGate(config.sqlMaxConcurrent, config.sqlQueueWaitMs) };
  const identity = await wireIdentity(ctx, db, config);
  const app = buildHttpApp({
    ctx, db, logLevel: config.logLevel, bodyLimit: config.bodyLimit, baseUrl: config.baseUrl, logStream: options.logStream,
    healthTimeoutMs: config.healthTimeoutMs,
    trustedProxies: config.trustedProxies,
    compression: { enabled: config.compression, threshold: config.compressionThreshold },
    authentication: identity.authentication,
    routes: [
      (routes) => registerSqlRoute(routes, { access: sqlAccess, settings: sqlSettings, audit: auditLog }),
      (routes) => registerSofRoutes(routes, { ctx, prefix: '/fhir', baseUrl: config.baseUrl }),
      (routes) => registerNativeRoutes(routes, { ctx, fhirBaseUrl: config.baseUrl }),
      ...identity.routes,
      subscriptions.websocketChannel(identity.signingKeys),
      (routes) => registerPolicyDebug(routes, { prefix: '/fhir', baseUrl: config.baseUrl, explain: access.explain }),
    ],
  });
  ctx.log = app.log;
  // The database logs there when an outage starts and when it ends.
  db.useLog(app.log);
  if (!sqlSandbox.role) app.log.warn('$sql is unavailable: it has no database role to run as (see docs/sql.md)');
  if (config.auth === 'off') app.log.warn('authentication is off (FLINT_AUTH=off): anyone who reaches the port has full access; for local development only');
  const metadata = new MetadataSync({ db, model, storages, log: app.log, prepareType: (type) => platform.prepareType(type) });
  metadata.addCheck('StructureDefinition', checkFormatDefinition);
  access.install(ctx, metadata);
  ctx.hooks.push(metadata);
  platform.install(ctx, metadata);
  progress('loading the stored definitions, storages and APIs');
  await metadata.load();
  await platform.provision();
  await metadata.listen();
  await access.identities.listen(db);
  for (const path of config.packages) {
    progress(`loading the package ${path}`);
    await loadPackage(packages, path);
  }
  await bootstrapIdentities(ctx, {
    rootClientSecret: config.rootClientSecret, adminPassword: config.adminPassword, announce: options.announce ?? progress,
  });
  await subscriptions.start();
  await app.ready();
  const close = async () => {
    await app.close();
    await subscriptions.close();
    await auditLog?.close();
    await metadata.close();
    await access.identities.close();
    await sqlSandbox.close();
    if (!options.db) await db.close();
  };
  if (config.initBundle) {
    progress(`running the init bundle ${config.initBundle}`);
    const baseUrl = config.baseUrl ?? `http://localhost:${config.port}/fhir`;
    await runInitBundle(ctx, config.initBundle, { baseUrl }).catch(async (error: unknown) => {
      await close();
      throw error;
    });
  }
  return { app, ctx, db, metadata, platform, audit: auditLog, signingKeys: identity.signingKeys, authentication: identity.authentication, close };
}

/** Starts listening; SIGTERM and SIGINT finish the requests in flight, then close the database. */
export async function startFlint(config: FlintConfig, options: Pick<FlintOptions, 'progress' | 'announce' | 'embeddedTemplate'> = {}): Promise<Flint> {
  const flint = await createFlint(config, options);
  await flint.app.listen({ port: config.port, host: config.host });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    flint.app.log.info({ signal }, 'shutting down: finishing requests in flight');
    const timer = setTimeout(() => process.exit(1), config.shutdownTimeoutMs);
    timer.unref();
    flint.close().then(() => process.exit(0), (error) => {
      flint.app.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  return flint;
}
