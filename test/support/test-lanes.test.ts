/**
 * How the test files are grouped into lanes (scripts/test-lanes.mjs): files that start processes of
 * their own, directly, through a helper, or by their marker, keep their own process; the rest share
 * lanes of about equal weight, from the last run's times or, without them, from the files' sizes.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
// @ts-expect-error: a plain JavaScript script of the test runner, without type declarations
import { planLanes } from '../../scripts/test-lanes.mjs';
import { withDataFolder } from './data-folder.js';

interface Lane { files: string[]; weight: number }
interface LanePlan { lanes: Lane[]; ownProcess: string[] }

function writeProject(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

const project = {
  'test/support/spawner.ts': "import { spawn } from 'node:child_process';\nexport const start = spawn;\n",
  'test/support/database.ts': 'export const open = () => 1;\n',
  'test/a.test.ts': "import { open } from './support/database.js';\n",
  'test/b.test.ts': "import { start } from './support/spawner.js';\n",
  'test/c.test.ts': '// flint-test: own-process (it counts the open file handles of its process)\n',
  'test/d.test.ts': "import { open } from './support/database.js';\n",
  'test/e.test.ts': "import { open } from './support/database.js';\n",
  'test/f.test.ts': "import { open } from './support/database.js';\n",
};
const files = Object.keys(project).filter((path) => path.endsWith('.test.ts'));

describe('test lanes', () => {
  it('give a process of their own to the files that start processes or ask for one', async () => {
    await withDataFolder('lanes', async (root) => {
      writeProject(root, project);
      const plan = planLanes(files, root, 2) as LanePlan;
      assert.deepEqual(plan.ownProcess, ['test/b.test.ts', 'test/c.test.ts']);
      assert.deepEqual(plan.lanes.flatMap((lane) => lane.files).sort(), ['test/a.test.ts', 'test/d.test.ts', 'test/e.test.ts', 'test/f.test.ts']);
    });
  });

  it('balance the lanes by the last run\'s times, the longest file first', async () => {
    await withDataFolder('lanes', async (root) => {
      writeProject(root, project);
      const times: Record<string, number> = { 'test/a.test.ts': 90, 'test/d.test.ts': 50, 'test/e.test.ts': 30, 'test/f.test.ts': 20 };
      const plan = planLanes(files, root, 2, (file: string) => times[file]) as LanePlan;
      assert.deepEqual(plan.lanes, [
        { files: ['test/a.test.ts'], weight: 90 },
        { files: ['test/d.test.ts', 'test/e.test.ts', 'test/f.test.ts'], weight: 100 },
      ]);
    });
  });

  it('give every file its own process when no lane is asked for', async () => {
    await withDataFolder('lanes', async (root) => {
      writeProject(root, project);
      assert.deepEqual(planLanes(files, root, 0), { lanes: [], ownProcess: files });
    });
  });
});
