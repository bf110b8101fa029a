export { commands } from './commands/index.js';
export type { CommandIO, CommandSpec, OptionSpec } from './define.js';
export { UsageError } from './errors.js';
export { commandHelp, commandListHelp, usageLine } from './help.js';
export { runCli } from './main.js';
