import type { LabkitRun } from './run-labkit.js';

/**
 * "What you should see" blocks in Markdown: the real output of a labkit command, written between
 * markers and rewritten from a run of the command at build time, never typed by hand:
 *
 *     <!--output epma convert examples/epma/olivine-oxides.csv-->
 *     ```text
 *     ...
 *     ```
 *     <!--/output-->
 */
const BLOCK = /<!--output (.+?)-->\n```text\n[\s\S]*?```\n<!--\/output-->/g;

/** The labkit argument lists of every output block, in order (arguments split on spaces). */
export function outputCommands(markdown: string): string[][] {
  return [...markdown.matchAll(BLOCK)].map((m) => (m[1] as string).trim().split(/\s+/));
}

/** A command of an output block that failed: its output is not what a reader should expect. */
export class OutputCommandError extends Error {
  override name = 'OutputCommandError';
}

/** The text a terminal shows: standard output, then the summary labkit prints on standard error. */
function terminalText(args: readonly string[], run: LabkitRun): string {
  if (run.code !== 0) {
    throw new OutputCommandError(
      `labkit ${args.join(' ')} exited with code ${run.code}: ${run.stderr.trim()}`,
    );
  }
  return `${run.stdout}${run.stderr}`.replace(/\s+$/, '');
}

/** Fills every output block from `runs` (keyed by the arguments joined with spaces). */
export function fillOutputBlocks(markdown: string, runs: ReadonlyMap<string, LabkitRun>): string {
  return markdown.replace(BLOCK, (_block, command: string) => {
    const args = command.trim().split(/\s+/);
    const run = runs.get(args.join(' '));
    if (!run) throw new OutputCommandError(`no run of "labkit ${args.join(' ')}" was made`);
    return `<!--output ${command}-->\n\`\`\`text\n${terminalText(args, run)}\n\`\`\`\n<!--/output-->`;
  });
}
