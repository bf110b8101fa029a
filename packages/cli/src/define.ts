import type { Writable } from 'node:stream';

/** One flag of a command, declared as data so that help, docs and parsing share one source. */
export interface OptionSpec {
  /** cac-style flags, e.g. `-o, --out <file>` or `--batchnorm`. */
  flags: string;
  description: string;
  default?: string | number | boolean;
}

/** Streams and environment a command runs against; tests pass their own. */
export interface CommandIO {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export type ParsedOptions = Record<string, unknown>;

export interface CommandSpec {
  /** Words that select the command, e.g. `['epma', 'convert']`. */
  path: readonly string[];
  /** Positional arguments in cac notation, e.g. `<file>` or `[dir]`. */
  args?: string;
  description: string;
  options: readonly OptionSpec[];
  examples?: readonly string[];
  /**
   * Runs the command and resolves to its exit code. Heavy modules (TF.js, mathjs) are imported
   * inside the action so that `labkit --help` and unrelated commands start fast.
   */
  action: (args: string[], options: ParsedOptions, io: CommandIO) => Promise<number>;
}

export function defineCommand(spec: CommandSpec): CommandSpec {
  return spec;
}
