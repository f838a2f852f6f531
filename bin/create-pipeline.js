#!/usr/bin/env node
// Until the CLI has loaded and taken over, a stop signal ends the run with its one line.
const codes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
const early = (s) => {
  process.stderr.write(`create-pipeline: stopped by ${s}: nothing was written; run the same command again to finish the job\n`);
  process.exit(codes[s]);
};
for (const s of Object.keys(codes)) process.on(s, early);
// A commit flushes every new file on libuv's threads before it renames them into place; with
// more threads than the default 4 the file system batches thousands of flushes into a few journal
// commits (a repository of hundreds of services writes thousands of files). Set before the pool
// starts: this file is CommonJS (bin/package.json) because loading an ES module reads it on the
// pool, which then starts with the default size before the module's first line runs.
process.env.UV_THREADPOOL_SIZE ??= "32";
import("../dist/cli.js").then((m) => {
  // main() installs its own handlers before it first waits: only then is this one removed, so the
  // signal handlers never drop to none (a signal already received would be lost with them).
  const running = m.main();
  for (const s of Object.keys(codes)) process.off(s, early);
  return running;
});
