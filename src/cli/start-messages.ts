/**
 * What `flint serve` prints on stderr while it starts (plain lines, so the JSON log on stdout stays
 * machine-readable): each step being prepared, then where the server answers and how to reach it.
 * Quiet when LOG_LEVEL asks for warnings or less.
 */
import type { FlintConfig } from '../config.js';

export type Print = (line: string) => void;

const printToStderr: Print = (line) => { process.stderr.write(`${line}\n`); };

/** Prints nothing when the log level is warn or quieter. */
export function startPrinter(config: Pick<FlintConfig, 'logLevel'>, print: Print = printToStderr): Print {
  return ['info', 'debug', 'trace'].includes(config.logLevel) ? print : () => undefined;
}

/** The address a person types: the configured base URL, else localhost or the listening host. */
export function serverOrigin(config: Pick<FlintConfig, 'host' | 'port' | 'baseUrl'>): string {
  if (config.baseUrl) return config.baseUrl.replace(/\/fhir$/, '');
  const host = ['0.0.0.0', '::', ''].includes(config.host) ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
  return `http://${host}:${config.port}`;
}

/** How requests prove who they are (docs/security.md). */
function signInLines(auth: FlintConfig['auth'], origin: string): string[] {
  if (auth === 'off') {
    return [
      '  sign-in         none (FLINT_AUTH=off): every request is served without credentials, with full access;',
      '                  for local development only',
    ];
  }
  return [
    `  sign-in         every request needs credentials: curl -u root:$ROOT_SECRET ${origin}/fhir/Patient`,
    '                  (HTTP Basic with a client id and secret) or a bearer token; see docs/security.md',
  ];
}

/** The lines printed once the server listens. */
export function readyLines(
  config: Pick<FlintConfig, 'host' | 'port' | 'baseUrl'> & Partial<Pick<FlintConfig, 'auth'>>, database: string, seconds: number,
): string[] {
  const origin = serverOrigin(config);
  return [
    `flint: ready in ${seconds.toFixed(1)} s`,
    `  FHIR API        ${origin}/fhir   (CapabilityStatement: ${origin}/fhir/metadata)`,
    `  Aidbox format   ${origin}/`,
    `  database        ${database}`,
    ...signInLines(config.auth ?? 'on', origin),
    '  stop            Ctrl+C or SIGTERM (requests in flight finish first)',
  ];
}
