#!/usr/bin/env node
// `npm start`: runs the compiled server (dist/), building it first when src/ changed since the last
// build (a fresh clone is built by `npm install`). npm runs this through a shell that does not pass
// signals on: when npm gets SIGTERM it ends the shell, and this process, left behind, notices that its
// parent is gone and stops as if it had received SIGTERM itself (finishing the requests in flight).
import { pathToFileURL } from 'node:url';
import { build, entry, isStale } from './build.mjs';

if (isStale()) {
  console.error('flint: compiling the server (src/ changed since the last build)');
  if (!build()) process.exit(1);
}
process.setSourceMapsEnabled(true);
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
}, 500).unref();
await import(pathToFileURL(entry).href);
