/**
 * Flint's settings, read from environment variables (the table in the README). Invalid values stop
 * the start with a message naming the variable.
 */
import { isIP } from 'node:net';
import { DEFAULT_DATABASE_TIMEOUTS, type DatabaseTimeouts } from './db/index.js';
import { isIsolationLevel, type IsolationLevel } from './sql/index.js';

export interface FlintConfig {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  /** FLINT_EMBEDDED_SHARED_BUFFERS: the embedded database's buffer cache (PostgreSQL's shared_buffers). */
  embeddedSharedBuffers: string;
  logLevel: string;
  poolSize: number;
  /** FLINT_DB_CONNECT_TIMEOUT_MS, FLINT_DB_STATEMENT_TIMEOUT_MS, FLINT_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS, FLINT_DB_KEEPALIVE_MS. */
  dbTimeouts: DatabaseTimeouts;
  /** FLINT_HEALTH_TIMEOUT_MS: /health answers within this time, unhealthy when the database has not answered. */
  healthTimeoutMs: number;
  bodyLimit: number;
  baseUrl?: string;
  /** FLINT_TRUSTED_PROXIES: proxies whose X-Forwarded-Proto/Host/Prefix are believed (true: any; a list of addresses/CIDRs). */
  trustedProxies: boolean | string[];
  /** FLINT_COMPRESSION: gzip/brotli answers for clients that accept them. */
  compression: boolean;
  /** FLINT_COMPRESSION_THRESHOLD: answers smaller than this many bytes go uncompressed. */
  compressionThreshold: number;
  defaultIsolation: IsolationLevel;
  transactionRetries: number;
  /** FLINT_MAX_ARRAY_LENGTH: the most items of one array in a resource written (more: 413). */
  maxArrayLength: number;
  /** FLINT_BUNDLE_MAX_ENTRIES: the most entries of a batch or transaction Bundle (more: 413). */
  bundleMaxEntries: number;
  searchDefaultCount: number;
  searchMaxCount: number;
  searchTimeoutMs: number;
  /** FLINT_SEARCH_MAX_TERMS: the most terms (parameter values and _filter tests) one search may have. */
  searchMaxTerms: number;
  /** FLINT_SEARCH_INDEXES: create the default search indexes with each new table (default) or none. */
  searchIndexes: 'default' | 'none';
  historyDefaultCount: number;
  historyMaxCount: number;
  shutdownTimeoutMs: number;
  /** full: every write is validated against its definitions and profiles; structure: structural checks only. */
  validation: 'full' | 'structure';
  unknownProfiles: 'warning' | 'error';
  unknownExtensions: 'information' | 'warning' | 'error';
  /** URL prefixes of extensions accepted without a definition. */
  extensionDomains: string[];
  /** URLs of the example domains (example.org, .com, .net, *.example): allowed, or errors. */
  exampleUrls: 'allow' | 'error';
  /** HTML tags in markdown: allowed, or errors. */
  markdownHtml: 'allow' | 'error';
  /** Check that referenced resources exist (a request can switch it with x-validate-references). */
  validateReferences: boolean;
  /** FHIR packages (.tgz files or folders) loaded at start. */
  packages: string[];
  /** Folders where the dependencies of packages are looked for. */
  packageFolders: string[];
  /** A FHIR package registry to download missing dependencies from (none: no network). */
  packageRegistry?: string;
  /** $sql: read-only (the default) refuses statements that write. */
  sqlReadOnly: boolean;
  sqlTimeoutMs: number;
  /** The most a request may ask for with _timeout. */
  sqlMaxTimeoutMs: number;
  sqlMaxRows: number;
  /** FLINT_SQL_MAX_BYTES: the most bytes the rows of one $sql answer may hold. */
  sqlMaxBytes: number;
  /** FLINT_SQL_MAX_CONCURRENT: $sql statements running at once. */
  sqlMaxConcurrent: number;
  /** FLINT_SQL_QUEUE_WAIT_MS: how long a $sql request waits for a place before 503. */
  sqlQueueWaitMs: number;
  /** FLINT_SQL_DATABASE_URL: $sql connects as this role instead of the one Flint creates. */
  sqlDatabaseUrl?: string;
  /** Serve every resource type of the model without an explicit API (the seed's enable-api-auto-mount). */
  enableApiAutoMount: boolean;
  /** A JSON file with a transaction or batch Bundle run at start, before requests are accepted. */
  initBundle?: string;
  /** FLINT_AUTH: on (the default) refuses anonymous requests; off is for local development only. */
  auth: 'on' | 'off';
  /** FLINT_AUTH_OFF_I_UNDERSTAND=1: allows auth off on an address other than loopback. */
  authOffUnderstood: boolean;
  /** FLINT_ROOT_CLIENT_SECRET: the secret of the root client (generated and shown once when absent on a new database). */
  rootClientSecret?: string;
  /** FLINT_ADMIN_PASSWORD: creates or updates the administrator (User/admin) for the sign-in page. */
  adminPassword?: string;
  /** FLINT_AUTH_SIGNING_KEY: the private JWK (RS256) that signs tokens; generated and kept in the database when absent. */
  authSigningKey?: string;
  /** FLINT_ACCESS_TOKEN_SECONDS: the lifetime of access tokens. */
  accessTokenSeconds: number;
  /**
   * An external OpenID provider whose tokens are accepted: FLINT_EXTERNAL_ISSUER and
   * FLINT_EXTERNAL_JWKS_URL (both or neither), FLINT_EXTERNAL_AUDIENCE (the FHIR base URL when absent),
   * FLINT_EXTERNAL_USER_CLAIM (sub: a User id, the default; or email: matched to User.email).
   */
  externalProvider?: { issuer: string; jwksUrl: string; audience?: string; userClaim: string };
  /** FLINT_CORS_ORIGINS: browser origins allowed on /fhir and /auth/token besides each Client's allowed_origins (`*`: any, never with credentials). */
  corsOrigins: string[];
  /** FLINT_AUDIT: record every interaction as an AuditEvent (docs/audit.md). */
  audit: 'on' | 'off';
  /** FLINT_AUDIT_READS: record reads, searches and history too (off for throughput-critical deployments). */
  auditReads: 'on' | 'off';
  /** FLINT_AUDIT_FLUSH_MS: queued audit events are written at most this long after they happened. */
  auditFlushMs: number;
  /** FLINT_CHANGES_INTERVAL_MS: how often committed changes move from the outbox into the change feed. */
  changesIntervalMs: number;
  /** FLINT_CHANGES_RETENTION_DAYS: the change feed keeps changes (and delivered events) this many days. */
  changesRetentionDays: number;
  /** FLINT_SUBSCRIPTIONS: this process delivers subscriptions and destinations (off: it only serves the API). */
  subscriptions: 'on' | 'off';
  /** FLINT_SUBSCRIPTION_WORKERS: targets delivered at once by this process. */
  subscriptionWorkers: number;
  /** FLINT_SUBSCRIPTION_RETRY_BASE_MS: the first wait after a failed delivery (it doubles, to an hour at most). */
  subscriptionRetryBaseMs: number;
  /** FLINT_SUBSCRIPTION_RETRY_HOURS: how long failed deliveries are tried before the target goes to error. */
  subscriptionRetryHours: number;
  /** FLINT_SUBSCRIPTION_LEASE_MS: how long a process holds a target it delivers; a crashed process's targets are taken over after it. */
  subscriptionLeaseMs: number;
  /** FLINT_AUDIT_FORWARD_URL: an external FHIR audit repository each batch of events is also POSTed to. */
  auditForwardUrl?: string;
  /** FLINT_AUDIT_FORWARD_AUTH: the Authorization header value of those POSTs. */
  auditForwardAuth?: string;
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min = 0): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min) throw new Error(`${name} must be an integer of at least ${min}, not "${value}"`);
  return Number(value);
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  if (value !== 'true' && value !== 'false') throw new Error(`${name} must be true or false, not "${value}"`);
  return value === 'true';
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const value = env[name] || fallback;
  if (!values.includes(value as T)) throw new Error(`${name} must be one of ${values.join(', ')}, not "${value}"`);
  return value as T;
}

/** A PostgreSQL memory size: a whole number with kB, MB or GB. */
function memorySize(env: Env, name: string, fallback: string): string {
  const value = env[name] || fallback;
  if (!/^[1-9]\d*(kB|MB|GB)$/.test(value)) throw new Error(`${name} must be a size such as 32MB (kB, MB or GB), not "${value}"`);
  return value;
}

function list(env: Env, name: string): string[] {
  return (env[name] ?? '').split(',').map((item) => item.trim()).filter((item) => item !== '');
}

/** FLINT_CORS_ORIGINS: `*` or origins (scheme://host[:port], no path). */
function corsOrigins(env: Env): string[] {
  const origins = list(env, 'FLINT_CORS_ORIGINS');
  const bad = origins.find((origin) => origin !== '*' && !/^https?:\/\/[^/?#\s]+$/.test(origin));
  if (bad !== undefined) throw new Error(`FLINT_CORS_ORIGINS must be * or origins such as https://app.example.org, not "${bad}"`);
  return origins;
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** An IPv4 or IPv6 address, optionally with a /prefix length or a dotted mask, or a proxy-addr name. */
function isProxyAddress(value: string): boolean {
  if (PROXY_NAMES.includes(value)) return true;
  const [address, range, ...rest] = value.split('/');
  if (rest.length > 0 || isIP(address) === 0) return false;
  return range === undefined || /^\d{1,3}$/.test(range) || isIP(range) === 4;
}

/** FLINT_TRUSTED_PROXIES: unset or false trusts none, true trusts any, else addresses, CIDRs or names. */
function trustedProxies(env: Env): boolean | string[] {
  const value = env.FLINT_TRUSTED_PROXIES?.trim();
  if (!value || value === 'false') return false;
  if (value === 'true') return true;
  const entries = list(env, 'FLINT_TRUSTED_PROXIES');
  const bad = entries.find((entry) => !isProxyAddress(entry));
  if (bad !== undefined) {
    throw new Error(`FLINT_TRUSTED_PROXIES must be true, false or addresses and CIDRs (or ${PROXY_NAMES.join(', ')}), not "${bad}"`);
  }
  return entries;
}

function databaseTimeouts(env: Env): DatabaseTimeouts {
  const defaults = DEFAULT_DATABASE_TIMEOUTS;
  return {
    connectMs: integer(env, 'FLINT_DB_CONNECT_TIMEOUT_MS', defaults.connectMs, 1),
    statementMs: integer(env, 'FLINT_DB_STATEMENT_TIMEOUT_MS', defaults.statementMs),
    idleInTransactionMs: integer(env, 'FLINT_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS', defaults.idleInTransactionMs),
    keepAliveMs: integer(env, 'FLINT_DB_KEEPALIVE_MS', defaults.keepAliveMs),
  };
}

function externalProvider(env: Env): FlintConfig['externalProvider'] {
  const issuer = env.FLINT_EXTERNAL_ISSUER?.trim();
  const jwksUrl = env.FLINT_EXTERNAL_JWKS_URL?.trim();
  if (!issuer && !jwksUrl) return undefined;
  if (!issuer || !jwksUrl) throw new Error('FLINT_EXTERNAL_ISSUER and FLINT_EXTERNAL_JWKS_URL go together');
  const userClaim = oneOf(env, 'FLINT_EXTERNAL_USER_CLAIM', ['sub', 'email'], 'sub');
  return { issuer, jwksUrl, audience: env.FLINT_EXTERNAL_AUDIENCE?.trim() || undefined, userClaim };
}

/** FLINT_AUDIT_FORWARD_URL: an http(s) URL, or unset. */
function forwardUrl(env: Env): string | undefined {
  const value = env.FLINT_AUDIT_FORWARD_URL?.trim();
  if (!value) return undefined;
  if (!/^https?:\/\/[^\s]+$/.test(value)) throw new Error(`FLINT_AUDIT_FORWARD_URL must be an http or https URL, not "${value}"`);
  return value;
}

export function readConfig(env: Env = process.env): FlintConfig {
  const logLevel = env.LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const isolation = env.FLINT_DEFAULT_ISOLATION || 'serializable';
  if (!isIsolationLevel(isolation)) throw new Error('FLINT_DEFAULT_ISOLATION must be read-committed, repeatable-read or serializable');
  return {
    port: integer(env, 'PORT', 8080),
    host: env.HOST || '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.FLINT_DATA_DIR || './data',
    embeddedSharedBuffers: memorySize(env, 'FLINT_EMBEDDED_SHARED_BUFFERS', '32MB'),
    logLevel,
    poolSize: integer(env, 'FLINT_DB_POOL_SIZE', 20, 1),
    dbTimeouts: databaseTimeouts(env),
    healthTimeoutMs: integer(env, 'FLINT_HEALTH_TIMEOUT_MS', 1000, 1),
    bodyLimit: integer(env, 'FLINT_BODY_LIMIT', 50 * 1024 * 1024, 1024),
    baseUrl: env.FLINT_BASE_URL?.replace(/\/+$/, '') || undefined,
    trustedProxies: trustedProxies(env),
    compression: boolean(env, 'FLINT_COMPRESSION', true),
    compressionThreshold: integer(env, 'FLINT_COMPRESSION_THRESHOLD', 1024),
    defaultIsolation: isolation,
    transactionRetries: integer(env, 'FLINT_TX_RETRIES', 5),
    maxArrayLength: integer(env, 'FLINT_MAX_ARRAY_LENGTH', 50_000, 1),
    bundleMaxEntries: integer(env, 'FLINT_BUNDLE_MAX_ENTRIES', 50_000, 1),
    searchDefaultCount: integer(env, 'FLINT_SEARCH_DEFAULT_COUNT', 20, 1),
    searchMaxCount: integer(env, 'FLINT_SEARCH_MAX_COUNT', 1000, 1),
    searchTimeoutMs: integer(env, 'FLINT_SEARCH_TIMEOUT_MS', 30_000),
    searchMaxTerms: integer(env, 'FLINT_SEARCH_MAX_TERMS', 500, 1),
    searchIndexes: oneOf(env, 'FLINT_SEARCH_INDEXES', ['default', 'none'], 'default'),
    historyDefaultCount: integer(env, 'FLINT_HISTORY_DEFAULT_COUNT', 100, 1),
    historyMaxCount: integer(env, 'FLINT_HISTORY_MAX_COUNT', 1000, 1),
    shutdownTimeoutMs: integer(env, 'FLINT_SHUTDOWN_TIMEOUT_MS', 30_000),
    validation: oneOf(env, 'FLINT_VALIDATION', ['full', 'structure'], 'full'),
    unknownProfiles: oneOf(env, 'FLINT_UNKNOWN_PROFILES', ['warning', 'error'], 'warning'),
    unknownExtensions: oneOf(env, 'FLINT_UNKNOWN_EXTENSIONS', ['information', 'warning', 'error'], 'warning'),
    extensionDomains: list(env, 'FLINT_EXTENSION_DOMAINS'),
    exampleUrls: oneOf(env, 'FLINT_EXAMPLE_URLS', ['allow', 'error'], 'allow'),
    markdownHtml: oneOf(env, 'FLINT_MARKDOWN_HTML', ['allow', 'error'], 'allow'),
    validateReferences: boolean(env, 'FLINT_VALIDATE_REFERENCES', false),
    packages: list(env, 'FLINT_PACKAGES'),
    packageFolders: list(env, 'FLINT_PACKAGE_FOLDERS'),
    packageRegistry: env.FLINT_PACKAGE_REGISTRY?.trim() || undefined,
    sqlReadOnly: boolean(env, 'FLINT_SQL_READ_ONLY', true),
    sqlTimeoutMs: integer(env, 'FLINT_SQL_TIMEOUT_MS', 30_000, 1),
    sqlMaxTimeoutMs: integer(env, 'FLINT_SQL_MAX_TIMEOUT_MS', 300_000, 1),
    sqlMaxRows: integer(env, 'FLINT_SQL_MAX_ROWS', 10_000, 1),
    sqlMaxBytes: integer(env, 'FLINT_SQL_MAX_BYTES', 64 * 1024 * 1024, 1024),
    sqlMaxConcurrent: integer(env, 'FLINT_SQL_MAX_CONCURRENT', 4, 1),
    sqlQueueWaitMs: integer(env, 'FLINT_SQL_QUEUE_WAIT_MS', 1000),
    sqlDatabaseUrl: env.FLINT_SQL_DATABASE_URL || undefined,
    enableApiAutoMount: boolean(env, 'FLINT_ENABLE_API_AUTO_MOUNT', true),
    initBundle: env.FLINT_INIT_BUNDLE || undefined,
    auth: oneOf(env, 'FLINT_AUTH', ['on', 'off'], 'on'),
    authOffUnderstood: env.FLINT_AUTH_OFF_I_UNDERSTAND === '1',
    rootClientSecret: env.FLINT_ROOT_CLIENT_SECRET || undefined,
    adminPassword: env.FLINT_ADMIN_PASSWORD || undefined,
    authSigningKey: env.FLINT_AUTH_SIGNING_KEY || undefined,
    accessTokenSeconds: integer(env, 'FLINT_ACCESS_TOKEN_SECONDS', 300, 10),
    externalProvider: externalProvider(env),
    corsOrigins: corsOrigins(env),
    audit: oneOf(env, 'FLINT_AUDIT', ['on', 'off'], 'on'),
    auditReads: oneOf(env, 'FLINT_AUDIT_READS', ['on', 'off'], 'on'),
    auditFlushMs: integer(env, 'FLINT_AUDIT_FLUSH_MS', 1000, 1),
    changesIntervalMs: integer(env, 'FLINT_CHANGES_INTERVAL_MS', 100, 1),
    changesRetentionDays: integer(env, 'FLINT_CHANGES_RETENTION_DAYS', 30, 1),
    subscriptions: oneOf(env, 'FLINT_SUBSCRIPTIONS', ['on', 'off'], 'on'),
    subscriptionWorkers: integer(env, 'FLINT_SUBSCRIPTION_WORKERS', 4, 1),
    subscriptionRetryBaseMs: integer(env, 'FLINT_SUBSCRIPTION_RETRY_BASE_MS', 1000, 1),
    subscriptionRetryHours: integer(env, 'FLINT_SUBSCRIPTION_RETRY_HOURS', 24, 1),
    subscriptionLeaseMs: integer(env, 'FLINT_SUBSCRIPTION_LEASE_MS', 60_000, 100),
    auditForwardUrl: forwardUrl(env),
    auditForwardAuth: env.FLINT_AUDIT_FORWARD_AUTH || undefined,
  };
}
