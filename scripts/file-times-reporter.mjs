// A node:test reporter that writes one line per test file: its wall time in milliseconds and its path.
// A file with a process of its own is timed by the runner's event for that process (start to end); a
// file in a lane (test/support/test-lane.ts) by the suite named by its path that wraps its tests.
// scripts/run-tests.mjs attaches it next to the spec reporter and prints the slowest files at the end
// of a run.
export default async function* fileTimes(source) {
  for await (const event of source) {
    if (event.type !== 'test:complete' || event.data.nesting !== 0) continue;
    if (!event.data.name.endsWith('.test.ts')) continue;
    yield `${Math.round(event.data.details.duration_ms)}\t${event.data.name}\n`;
  }
}
