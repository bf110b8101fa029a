export { commands } from './commands/index.js';
export { runCli } from './main.js';
export type { CommandIO, CommandSpec, OptionSpec } from './define.js';
export { commandHelp, commandListHelp, usageLine } from './help.js';
export { UsageError } from './errors.js';
