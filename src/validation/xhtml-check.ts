/**
 * The XHTML of narratives (http://hl7.org/fhir/R4/narrative.html#xhtml): a div in the XHTML
 * namespace holding only the basic formatting elements and attributes of HTML 4 (no scripts,
 * forms, frames or event handlers), the XML entities only, and some content. Also the checks
 * behind the FHIRPath functions of the txt-1 (htmlChecks()) and txt-2 (htmlHasContent(), see
 * corrected-expressions.ts) invariants, defined in schema/validation-functions.ts.
 */

export interface XhtmlProblem {
  kind: 'element' | 'attribute' | 'entity' | 'syntax' | 'namespace' | 'empty';
  message: string;
}

const ELEMENTS = new Set([
  'a', 'abbr', 'acronym', 'address', 'area', 'b', 'bdo', 'big', 'blockquote', 'br', 'caption', 'cite', 'code', 'col',
  'colgroup', 'dd', 'del', 'dfn', 'div', 'dl', 'dt', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'ins',
  'kbd', 'li', 'map', 'ol', 'p', 'pre', 'q', 'samp', 'small', 'span', 'strong', 'sub', 'sup', 'table', 'tbody', 'td',
  'tfoot', 'th', 'thead', 'tr', 'tt', 'ul', 'var', 's', 'u', 'strike', 'center', 'font', 'label',
]);
const ATTRIBUTES = new Set([
  'title', 'style', 'class', 'id', 'lang', 'xml:lang', 'dir', 'accesskey', 'tabindex', 'href', 'name', 'src', 'alt',
  'height', 'width', 'border', 'cellpadding', 'cellspacing', 'summary', 'colspan', 'rowspan', 'headers', 'scope',
  'abbr', 'align', 'valign', 'span', 'start', 'type', 'value', 'char', 'charoff', 'frame', 'rules', 'shape', 'coords',
  'cite', 'datetime', 'axis', 'nowrap', 'bgcolor', 'color', 'size', 'face', 'compact', 'clear', 'hspace', 'vspace',
  'longdesc', 'usemap', 'ismap', 'rel', 'rev', 'hreflang', 'charset', 'xmlns',
]);
const ENTITIES = new Set(['lt', 'gt', 'amp', 'quot', 'apos']);
const TAG = /<(!--[\s\S]*?--|\/?)([A-Za-z][\w:.-]*)?([^>]*)>/g;
const ATTRIBUTE = /([A-Za-z_:][\w:.-]*)\s*(?:=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?/g;
const ENTITY = /&([^;\s&<]*)(;?)/g;
const XHTML_NAMESPACE = 'http://www.w3.org/1999/xhtml';

function attributeProblems(element: string, text: string, problems: XhtmlProblem[]): void {
  for (const match of text.matchAll(ATTRIBUTE)) {
    const name = match[1].toLowerCase();
    const value = (match[2] ?? '').replace(/^["']|["']$/g, '');
    if (name.startsWith('xmlns')) continue;
    if (!ATTRIBUTES.has(name)) problems.push({ kind: 'attribute', message: `Invalid attribute name in the XHTML ('${name}' on '${element}')` });
    else if ((name === 'href' || name === 'src') && /^\s*(javascript|vbscript|data:text\/html)/i.test(value)) {
      problems.push({ kind: 'attribute', message: `Scripts are not allowed in the XHTML (${name} on '${element}')` });
    }
  }
}

function entityProblems(div: string, problems: XhtmlProblem[]): void {
  for (const match of div.matchAll(ENTITY)) {
    const [, name, semicolon] = match;
    if (semicolon && (ENTITIES.has(name) || /^#(\d+|x[0-9a-fA-F]+)$/.test(name))) continue;
    problems.push({ kind: 'entity', message: `Invalid entity in the XHTML ('&${name}${semicolon}')` });
  }
}

function tagProblems(div: string, problems: XhtmlProblem[]): boolean {
  const open: string[] = [];
  let first = true;
  let hasContent = false;
  let last = 0;
  for (const match of div.matchAll(TAG)) {
    if (div.slice(last, match.index).trim() !== '') hasContent = true;
    last = (match.index ?? 0) + match[0].length;
    if (match[1].startsWith('!--')) continue;
    const closing = match[1] === '/';
    const name = (match[2] ?? '').toLowerCase();
    const rest = match[3] ?? '';
    if (!name) {
      problems.push({ kind: 'syntax', message: 'The XHTML is not well formed (a tag without a name)' });
      continue;
    }
    if (first && !closing) {
      if (name !== 'div') problems.push({ kind: 'syntax', message: `The narrative must be a div, not '${name}'` });
      else if (!rest.includes(`xmlns="${XHTML_NAMESPACE}"`) && !rest.includes(`xmlns='${XHTML_NAMESPACE}'`)) {
        problems.push({ kind: 'namespace', message: 'The narrative div must be in the XHTML namespace' });
      }
      first = false;
    }
    if (closing) {
      if (open.pop() !== name) problems.push({ kind: 'syntax', message: `The XHTML is not well formed (unexpected </${name}>)` });
      continue;
    }
    if (!ELEMENTS.has(name)) problems.push({ kind: 'element', message: `Invalid element name in the XHTML ('${name}')` });
    if (name === 'img') hasContent = true;
    attributeProblems(name, rest.replace(/\/\s*$/, ''), problems);
    if (!rest.trimEnd().endsWith('/')) open.push(name);
  }
  if (div.slice(last).trim() !== '') hasContent = true;
  if (first) problems.push({ kind: 'syntax', message: 'The narrative must be an XHTML div element' });
  if (open.length > 0) problems.push({ kind: 'syntax', message: `The XHTML is not well formed (<${open[open.length - 1]}> is not closed)` });
  return hasContent;
}

/** Every problem of a narrative's XHTML. */
export function xhtmlProblems(div: string): XhtmlProblem[] {
  const problems: XhtmlProblem[] = [];
  const hasContent = tagProblems(div, problems);
  entityProblems(div.replace(/<!--[\s\S]*?-->/g, ''), problems);
  if (!hasContent) problems.push({ kind: 'empty', message: 'The narrative has no content' });
  return problems;
}

/** htmlChecks() of txt-1: only the allowed elements and attributes. */
export function passesHtmlChecks(div: string): boolean {
  return !xhtmlProblems(div).some((problem) => problem.kind === 'element' || problem.kind === 'attribute');
}

/** htmlHasContent() of txt-2: some non-whitespace text or an image. */
export function hasHtmlContent(div: string): boolean {
  return !xhtmlProblems(div).some((problem) => problem.kind === 'empty');
}
