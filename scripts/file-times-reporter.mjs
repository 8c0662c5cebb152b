// A node:test reporter that writes one line per test file: its wall time in milliseconds and its path,
// from the runner's own per-file event (the file's child process, start to end). scripts/run-tests.mjs
// attaches it next to the spec reporter and prints the slowest files at the end of a run.
export default async function* fileTimes(source) {
  for await (const event of source) {
    if (event.type !== 'test:complete' || event.data.nesting !== 0) continue;
    if (event.data.name !== event.data.file) continue;
    yield `${Math.round(event.data.details.duration_ms)}\t${event.data.file}\n`;
  }
}
