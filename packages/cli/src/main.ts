import { ConfigurationError } from '@labkit/nn-core/config';
import { commands } from './commands/index.js';
import type { CommandIO, CommandSpec } from './define.js';
import { EXIT_FAILURE, EXIT_USAGE, UsageError } from './errors.js';
import { commandHelp, commandListHelp } from './help.js';
import { hasFlagBeforeEnd, parseArgs } from './parse-args.js';
import { version } from './version.js';

/** The command whose path is the longest prefix of argv, if any. */
function matchCommand(argv: readonly string[]): CommandSpec | undefined {
  let best: CommandSpec | undefined;
  for (const spec of commands) {
    const matches = spec.path.every((word, i) => argv[i] === word);
    if (matches && (!best || spec.path.length > best.path.length)) best = spec;
  }
  return best;
}

const HELP_FLAGS = ['--help', '-h'];
const VERSION_FLAGS = ['--version', '-v'];

export async function runCli(argv: readonly string[], io: CommandIO): Promise<number> {
  const spec = matchCommand(argv);
  try {
    const rest = spec ? argv.slice(spec.path.length) : argv;
    if (spec && hasFlagBeforeEnd(rest, HELP_FLAGS)) {
      io.stdout.write(commandHelp(spec));
      return 0;
    }
    if (hasFlagBeforeEnd(argv, VERSION_FLAGS)) {
      io.stdout.write(`labkit ${version}\n`);
      return 0;
    }
    if (!spec) {
      const first = argv[0];
      if (first === undefined || HELP_FLAGS.includes(first)) {
        io.stdout.write(commandListHelp(commands, version));
        return 0;
      }
      const group = commands.filter((c) => c.path.length > 1 && c.path[0] === first);
      if (group.length > 0 && (argv.length === 1 || hasFlagBeforeEnd(argv, HELP_FLAGS))) {
        io.stdout.write(commandListHelp(group, version, first));
        return argv.length === 1 ? EXIT_USAGE : 0;
      }
      const words = argv
        .filter((a) => !a.startsWith('-'))
        .slice(0, 2)
        .join(' ');
      throw new UsageError(`unknown command '${words || first}'`);
    }
    const { args, options } = parseArgs(spec, rest);
    return await spec.action(args, options, io);
  } catch (error) {
    if (error instanceof UsageError) {
      const where = spec ? `labkit ${spec.path.join(' ')} --help` : 'labkit --help';
      io.stderr.write(`labkit: ${error.message}\nRun '${where}' for usage.\n`);
      return EXIT_USAGE;
    }
    if (error instanceof ConfigurationError) {
      // A configuration error (where the data is, which backend is installed), not a usage one:
      // the help would not help.
      io.stderr.write(`labkit: ${error.message}\n`);
      return EXIT_USAGE;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`labkit: error: ${message}\n`);
    // `env` is optional in practice: plain JavaScript callers may leave it out of `io`.
    if (io.env?.LABKIT_DEBUG && error instanceof Error) io.stderr.write(`${error.stack}\n`);
    return EXIT_FAILURE;
  }
}
