/**
 * A Flint server on a fresh test database, driven through Fastify's inject (no socket), with small
 * helpers that send FHIR requests and parse the answers.
 */
import { readConfig, type FlintConfig } from '../../src/config.js';
import { createFlint, type Flint } from '../../src/server.js';
import { openTestDatabase, type TestDatabase, type TestDatabaseOptions } from './test-database.js';

export interface FhirAnswer {
  status: number;
  headers: Record<string, string | undefined>;
  /** The parsed JSON body (undefined when empty). */
  body: any;
  text: string;
}

/** The root client's secret of every test server (testConfig). */
export const TEST_ROOT_SECRET = 'test-root-secret';
/** HTTP Basic with the root client's id and secret: the credentials test requests carry unless told otherwise. */
export const ROOT_BASIC = `Basic ${Buffer.from(`root:${TEST_ROOT_SECRET}`).toString('base64')}`;

export interface RequestOptions {
  /** Headers; an `authorization` given here replaces the root client's credentials. */
  headers?: Record<string, string>;
  /** Send no credentials at all. */
  anonymous?: boolean;
  /** A raw body (string) instead of JSON. */
  raw?: string;
  contentType?: string;
}

export interface TestFlint extends Flint {
  testDb: TestDatabase;
  request(method: string, url: string, body?: unknown, options?: RequestOptions): Promise<FhirAnswer>;
  get(url: string, options?: RequestOptions): Promise<FhirAnswer>;
  post(url: string, body?: unknown, options?: RequestOptions): Promise<FhirAnswer>;
  put(url: string, body?: unknown, options?: RequestOptions): Promise<FhirAnswer>;
  patch(url: string, body?: unknown, options?: RequestOptions): Promise<FhirAnswer>;
  delete(url: string, options?: RequestOptions): Promise<FhirAnswer>;
  /** Closes the server and drops the test database. */
  stop(): Promise<void>;
}

export function testConfig(overrides: Partial<FlintConfig> = {}): FlintConfig {
  return { ...readConfig({}), logLevel: 'silent', baseUrl: 'http://flint.test/fhir', rootClientSecret: TEST_ROOT_SECRET, ...overrides };
}

function headerValues(headers: Record<string, unknown>): Record<string, string | undefined> {
  const result: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) result[name] = value === undefined ? undefined : String(value);
  return result;
}

export async function startTestFlint(
  overrides: Partial<FlintConfig> = {}, logStream?: NodeJS.WritableStream, database: TestDatabaseOptions = {},
): Promise<TestFlint> {
  const testDb = await openTestDatabase(database);
  // FLINT_TEST_LOG=1 shows the server's errors (500s are logged with their id) while debugging a test.
  const debugLog = process.env.FLINT_TEST_LOG === '1' && !logStream;
  const config = testConfig(debugLog ? { logLevel: 'error', ...overrides } : overrides);
  // A server that fails to start leaves no open database behind (a lane's process would not end).
  const flint = await createFlint(config, { db: testDb.db, logStream: debugLog ? process.stderr : logStream })
    .catch(async (error: unknown) => {
      await testDb.close();
      throw error;
    });
  const request = async (method: string, url: string, body?: unknown, options: RequestOptions = {}): Promise<FhirAnswer> => {
    const hasBody = body !== undefined || options.raw !== undefined;
    const response = await flint.app.inject({
      method: method as never,
      url,
      headers: {
        ...(options.anonymous ? {} : { authorization: ROOT_BASIC }),
        ...(hasBody ? { 'content-type': options.contentType ?? 'application/fhir+json' } : {}),
        ...options.headers,
      },
      payload: options.raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const text = response.body;
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.statusCode, headers: headerValues(response.headers), body: parsed, text };
  };
  return {
    ...flint,
    testDb,
    request,
    get: (url, options) => request('GET', url, undefined, options),
    post: (url, body, options) => request('POST', url, body, options),
    put: (url, body, options) => request('PUT', url, body, options),
    patch: (url, body, options) => request('PATCH', url, body, options),
    delete: (url, options) => request('DELETE', url, undefined, options),
    async stop() {
      await flint.close();
      await testDb.close();
    },
  };
}

/** The stable Flint codes of an OperationOutcome body. */
export function issueCodes(body: any): string[] {
  return (body?.issue ?? []).map((issue: any) => issue.details?.coding?.[0]?.code ?? issue.code);
}

/** Names the database the suite runs on, for test titles. */
export function usingPostgresNote(): string {
  return process.env.DATABASE_URL ? 'real PostgreSQL' : 'embedded PGlite';
}
