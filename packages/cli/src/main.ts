import { cac } from 'cac';
import { commands } from './commands/index.js';
import type { CommandIO, CommandSpec, ParsedOptions } from './define.js';
import { EXIT_FAILURE, EXIT_USAGE, UsageError } from './errors.js';
import { commandHelp, commandListHelp } from './help.js';
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

const isHelp = (a: string) => a === '--help' || a === '-h';

/**
 * Refuses flags the command does not declare, naming them as typed. cac would report
 * `--no-such-flag` as `--suchFlag` (it reads `--no-` as negation), which helps nobody.
 */
function checkKnownFlags(spec: CommandSpec, rest: readonly string[]): void {
  const known = new Set(['help', 'h']);
  for (const o of spec.options) {
    for (const m of o.flags.matchAll(/(?:^|[\s,])--?([\w-]+)/g)) if (m[1]) known.add(m[1]);
  }
  const end = rest.indexOf('--');
  for (const token of end === -1 ? rest : rest.slice(0, end)) {
    const long = token.match(/^--([^=]+)/)?.[1];
    const short = token.match(/^-([a-zA-Z])/)?.[1];
    const name = long ?? short;
    if (name === undefined) continue;
    const positive = long?.startsWith('no-') ? long.slice(3) : undefined;
    const declared =
      known.has(name) || known.has(`no-${name}`) || (positive && known.has(positive));
    if (!declared) {
      throw new UsageError(`unknown option '${long ? `--${long}` : `-${short}`}'`);
    }
  }
}

/** Parses flags with cac against the command's declared options; unknown ones are usage errors. */
function parseCommandArgs(
  spec: CommandSpec,
  rest: string[],
): { args: string[]; options: ParsedOptions } {
  checkKnownFlags(spec, rest);
  const name = spec.path[spec.path.length - 1] ?? '';
  const cli = cac(`labkit ${spec.path.slice(0, -1).join(' ')}`.trim());
  const command = cli.command(`${name}${spec.args ? ` ${spec.args}` : ''}`, spec.description);
  for (const o of spec.options) {
    command.option(
      o.flags,
      o.description,
      o.default === undefined ? undefined : { default: o.default },
    );
  }
  let captured: { args: string[]; options: ParsedOptions } | undefined;
  command.action((...actionArgs: unknown[]) => {
    const options = actionArgs.pop() as ParsedOptions;
    const args = actionArgs
      .flat()
      .filter((a): a is string => a !== undefined)
      .map(String);
    captured = { args, options };
  });
  try {
    cli.parse(['node', 'labkit', name, ...rest], { run: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/`/g, "'"));
  }
  if (!captured) throw new UsageError('could not parse the command line');
  const { '--': _, ...options } = captured.options;
  return { args: captured.args, options };
}

export async function runCli(argv: readonly string[], io: CommandIO): Promise<number> {
  const spec = matchCommand(argv);
  try {
    if (!spec) {
      const first = argv[0];
      if (first === undefined || isHelp(first)) {
        io.stdout.write(commandListHelp(commands, version));
        return 0;
      }
      if (first === '--version' || first === '-v') {
        io.stdout.write(`labkit ${version}\n`);
        return 0;
      }
      const group = commands.filter((c) => c.path.length > 1 && c.path[0] === first);
      if (group.length > 0 && (argv.length === 1 || argv.slice(1).some(isHelp))) {
        io.stdout.write(commandListHelp(group, version, first));
        return argv.length === 1 ? EXIT_USAGE : 0;
      }
      const words = argv
        .filter((a) => !a.startsWith('-'))
        .slice(0, 2)
        .join(' ');
      throw new UsageError(`unknown command '${words || first}'`);
    }
    const rest = argv.slice(spec.path.length);
    if (rest.some(isHelp)) {
      io.stdout.write(commandHelp(spec));
      return 0;
    }
    const { args, options } = parseCommandArgs(spec, rest);
    return await spec.action(args, options, io);
  } catch (error) {
    if (error instanceof UsageError) {
      const where = spec ? `labkit ${spec.path.join(' ')} --help` : 'labkit --help';
      io.stderr.write(`labkit: ${error.message}\nRun '${where}' for usage.\n`);
      return EXIT_USAGE;
    }
    const err = error as Error;
    io.stderr.write(`labkit: error: ${err.message}\n`);
    if (io.env.LABKIT_DEBUG) io.stderr.write(`${err.stack}\n`);
    return EXIT_FAILURE;
  }
}
