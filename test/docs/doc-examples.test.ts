/**
 * Every example of README.md and docs/*.md runs against a fresh server (one per page, through
 * inject), in the order of the page: curl commands, HTTP listings, SQL statements (through $sql),
 * JSON bodies marked with the request they are sent to, and TypeScript API examples (their
 * commented results checked). Each must answer the status the doc
 * gives, or a success (and a batch answer only successful entries). <id>-style placeholders take
 * the values of earlier answers of the page (ids, versionIds, Parameters values the server chose).
 * Blocks that cannot run (shell set-up, output listings, fragments) carry <!-- no-run: why -->.
 * Every request needs credentials, as on a real server: curl commands must show them (`-u
 * root:$ROOT_SECRET`, $ROOT_SECRET being the test server's root secret), and the other examples
 * (http listings, SQL, marked bodies), which leave them out, get the root client's added.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ROOT_BASIC, startTestFlint, TEST_ROOT_SECRET, type TestFlint } from '../support/test-server.js';
import { blockRequests, type ExampleRequest } from './example-requests.js';
import { markdownBlocks, type MarkdownBlock } from './markdown-blocks.js';
import { captureValues, substitute } from './placeholders.js';
import { runTypeScriptBlock } from './typescript-blocks.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
// FLINT_DOC_PAGES=docs/sql.md,README.md runs only those pages (while writing one).
const only = process.env.FLINT_DOC_PAGES?.split(',').map((page) => page.trim()).filter(Boolean);
const pages = ['README.md', ...readdirSync(`${root}docs`).filter((name) => name.endsWith('.md')).sort().map((name) => `docs/${name}`)]
  .filter((page) => !only || only.includes(page));

interface Answer { status: number; body: any; text: string }

/** The shell variables curl examples may use. */
const SHELL_VARIABLES = { ROOT_SECRET: TEST_ROOT_SECRET };

/** The request's headers, with the root client's credentials unless it is a curl command (which must show its own) or names some. */
function withCredentials(block: MarkdownBlock, request: ExampleRequest): Record<string, string> {
  if (block.language === 'sh' || request.headers.authorization !== undefined) return request.headers;
  return { authorization: ROOT_BASIC, ...request.headers };
}

function parse(text: string): any {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

function checkAnswer(where: string, request: ExampleRequest, answer: Answer): void {
  const context = `${where}: ${request.method} ${request.url} answered ${answer.status} ${answer.text.slice(0, 600)}`;
  if (request.status !== undefined) assert.equal(answer.status, request.status, context);
  else assert.ok(answer.status >= 200 && answer.status < 300, context);
  const body = answer.body;
  if (request.status === undefined && body?.resourceType === 'Bundle' && /-response$/.test(body.type ?? '')) {
    for (const [index, entry] of (body.entry ?? []).entries()) {
      assert.match(String(entry.response?.status), /^2\d\d/, `${context}\nentry ${index}: ${JSON.stringify(entry.response)}`);
    }
  }
}

const issueCode = (issue: any) => issue.details?.coding?.[0]?.code ?? issue.code;

/** What a listing shows must be in the answer: its resourceType, a Bundle's type, Parameters' names, issue codes. */
function checkShownAnswer(block: MarkdownBlock, last: Answer | undefined): void {
  const shown = parse(block.text);
  if (shown?.resourceType === undefined) return;
  const where = `${block.file}:${block.line}: the request above answered ${last?.text.slice(0, 300)}`;
  assert.ok(last, `${block.file}:${block.line}: an answer listing with no request before it`);
  const body = last.body ?? {};
  assert.equal(body.resourceType, shown.resourceType, where);
  if (shown.resourceType === 'Bundle') assert.equal(body.type, shown.type, where);
  const names = (parameters: any) => new Set((parameters?.parameter ?? []).map((parameter: any) => parameter.name));
  if (shown.resourceType === 'Parameters') for (const name of names(shown)) assert.ok(names(body).has(name), `${where}\nno parameter ${name}`);
  const codes = new Set((body.issue ?? []).map(issueCode));
  for (const issue of shown.issue ?? []) assert.ok(codes.has(issueCode(issue)), `${where}\nno issue ${issueCode(issue)}`);
}

/** Whether a block sends requests to the server (TypeScript examples and marked blocks do not). */
function sendsRequests(block: MarkdownBlock): boolean {
  return block.marker?.kind !== 'no-run' && block.marker?.kind !== 'answer' && block.language !== 'ts';
}

for (const page of pages) {
  const blocks = markdownBlocks(page, readFileSync(`${root}${page}`, 'utf8'));
  if (blocks.length === 0) continue;
  describe(page, () => {
    let flint: TestFlint;
    const values = new Map<string, string>();
    let last: Answer | undefined;
    if (blocks.some(sendsRequests)) {
      before(async () => { flint = await startTestFlint(); });
      after(async () => { await flint.stop(); });
    }

    for (const block of blocks) {
      const title = `line ${block.line} (${block.language || 'plain'}${block.marker ? `, ${block.marker.kind}` : ''})`;
      if (block.marker?.kind === 'no-run') {
        it(title, () => assert.ok(block.marker!.text.length > 10, `${page}:${block.line}: say why the block is not run`));
        continue;
      }
      it(title, async () => {
        if (block.marker?.kind === 'answer') return checkShownAnswer(block, last);
        if (block.language === 'ts') return runTypeScriptBlock(block.text, root);
        for (const example of blockRequests(block, SHELL_VARIABLES)) {
          const where = `${page}:${example.line}`;
          const request = substitute(example, values, where);
          const headers = withCredentials(block, request);
          const response = await flint.app.inject({ method: request.method as never, url: request.url, headers, payload: request.body });
          last = { status: response.statusCode, text: response.body, body: parse(response.body) };
          checkAnswer(where, request, last);
          captureValues(values, request, last.body);
        }
      });
    }
  });
}
