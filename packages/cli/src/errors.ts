/** Wrong command line: unknown command or flag, missing or malformed value. Exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly exitCode = 2;
}

/** Exit code for a failure in the work itself (bad input data, failed check). */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
