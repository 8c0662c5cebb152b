/**
 * PostgreSQL's JSON plan (EXPLAIN (ANALYZE, FORMAT JSON), as `$explain?analyze=true` returns it)
 * as an indented outline, one node a line: the node, its relation or index, the planner's row
 * estimate against the actual rows per loop, time, and the conditions, which is what a slow
 * search's diagnosis needs.
 */

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Parent Relationship'?: string;
  'Subplan Name'?: string;
  'Plan Rows'?: number;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Actual Total Time'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  'Sort Key'?: string[];
  Plans?: PlanNode[];
  [key: string]: unknown;
}

const CONDITIONS = ['Index Cond', 'Recheck Cond', 'Filter', 'Join Filter', 'Hash Cond'];
const shorten = (text: string) => (text.length > 240 ? `${text.slice(0, 240)}...` : text);

function nodeLine(node: PlanNode): string {
  const on = node['Index Name'] ? ` using ${node['Index Name']}` : '';
  const relation = node['Relation Name'] ? ` on ${node['Relation Name']}` : '';
  const rows = node['Actual Rows'] !== undefined
    ? ` (est ${node['Plan Rows']} rows, actual ${node['Actual Rows']} x ${node['Actual Loops']} loops, ${node['Actual Total Time']?.toFixed(2)} ms)`
    : ` (est ${node['Plan Rows']} rows)`;
  const name = node['Subplan Name'] ? `[${node['Subplan Name']}] ` : '';
  return `${name}${node['Node Type']}${on}${relation}${rows}`;
}

function outline(node: PlanNode, depth: number, lines: string[]): void {
  const pad = '  '.repeat(depth);
  lines.push(`${pad}${depth > 0 ? '-> ' : ''}${nodeLine(node)}`);
  for (const key of CONDITIONS) if (typeof node[key] === 'string') lines.push(`${pad}     ${key}: ${shorten(node[key] as string)}`);
  if (node['Sort Key']) lines.push(`${pad}     Sort Key: ${node['Sort Key'].join(', ')}`);
  if (node['Rows Removed by Filter']) lines.push(`${pad}     Rows Removed by Filter: ${node['Rows Removed by Filter']}`);
  if (node['Rows Removed by Index Recheck']) lines.push(`${pad}     Rows Removed by Index Recheck: ${node['Rows Removed by Index Recheck']}`);
  for (const child of node.Plans ?? []) outline(child, depth + 1, lines);
}

/** The plan as text; anything that is not a JSON plan is returned as it came. */
export function planText(json: string): string {
  try {
    const explained = JSON.parse(json) as { Plan: PlanNode; 'Execution Time'?: number }[];
    const lines: string[] = [];
    outline(explained[0].Plan, 0, lines);
    if (explained[0]['Execution Time'] !== undefined) lines.push(`Execution Time: ${explained[0]['Execution Time'].toFixed(2)} ms`);
    return lines.join('\n');
  } catch {
    return json;
  }
}
