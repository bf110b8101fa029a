import type { Writable } from 'node:stream';

/** One flag of a command, declared as data so that help, docs and parsing share one source. */
export interface OptionSpec {
  /**
   * The flag's names and value: `-o, --out <file>` (a value is required), `--batchnorm [where]`
   * (optional value), `--json` (no value), `--no-batchnorm` (turns `batchnorm` off).
   */
  flags: string;
  description: string;
  default?: string | number | boolean;
  /** May be given more than once; its values then arrive as a list of strings. */
  repeatable?: boolean;
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
  /** Positional arguments: `<name>` required, `[name]` optional, e.g. `<run-dir> <input>`. */
  args?: string;
  description: string;
  options: readonly OptionSpec[];
  examples?: readonly string[];
  /**
   * Runs the command and resolves to its exit code. Heavy modules (TF.js, Vega) are imported
   * inside the action so that `labkit --help` and unrelated commands start fast.
   */
  action: (args: string[], options: ParsedOptions, io: CommandIO) => Promise<number>;
}

export function defineCommand(spec: CommandSpec): CommandSpec {
  return spec;
}
