#!/usr/bin/env node
// The first thing the process does: Ctrl-C while modules still load gets its line too. A command
// that handles signals itself installs its own handler, and this one then stays silent.
const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (process.listenerCount(signal) > 1) return;
    process.stderr.write(`\nlabkit: interrupted (${signal})\n`);
    process.exit(SIGNAL_EXIT[signal]);
  });
}

// A reader that goes away (`labkit train | head`) must not end the work: output is only a view.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  });
}

const { runCli } = await import('./main.js');
const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
});
process.exitCode = code;
