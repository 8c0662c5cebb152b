/**
 * The fenced code blocks of a markdown page, with where they start, their info string and the
 * marker comment on the line before: `<!-- no-run: why -->` (not run, and why), `<!-- request: METHOD /path -->`
 * (the block is that request's body) or `<!-- answer: ... -->` (the block shows the answer above).
 */

export interface MarkdownBlock {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The first word of the info string (sh, http, json, sql, ts...), '' when none. */
  language: string;
  /** The marker comment before the fence, if any. */
  marker?: { kind: MarkerKind; text: string };
  text: string;
}

export type MarkerKind = 'no-run' | 'request' | 'answer';

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/;
const MARKER = /^<!--\s*(no-run|request|answer):\s*(.*?)\s*-->\s*$/;

function markerBefore(lines: string[], index: number): MarkdownBlock['marker'] {
  const match = MARKER.exec(lines[index - 1]?.trim() ?? '');
  return match ? { kind: match[1] as MarkerKind, text: match[2] } : undefined;
}

export function markdownBlocks(file: string, markdown: string): MarkdownBlock[] {
  const lines = markdown.split('\n');
  const blocks: MarkdownBlock[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const open = FENCE.exec(lines[index]);
    if (!open) continue;
    const [, indent, fence, language] = open;
    const body: string[] = [];
    let end = index + 1;
    while (end < lines.length && !(lines[end].trim().startsWith(fence) && lines[end].trim().replace(/[`~]/g, '') === '')) {
      body.push(lines[end].startsWith(indent) ? lines[end].slice(indent.length) : lines[end]);
      end += 1;
    }
    blocks.push({ file, line: index + 1, language: language.toLowerCase(), marker: markerBefore(lines, index), text: body.join('\n') });
    index = end;
  }
  return blocks;
}
