import { UsageError } from './errors.js';

/** The error classes of nn-core that mean "the request was wrong" (any entry that exports them). */
type RequestErrors = {
  RunRequestError: abstract new (...args: never[]) => Error;
  SpecError: abstract new (...args: never[]) => Error;
};

/**
 * Runs `work`, turning nn-core's request and spec errors (a wrong run directory, flags that cannot
 * apply, a `--config` that is not a valid spec) into usage errors: exit code 2.
 */
export async function asUsage<T>(nn: RequestErrors, work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof nn.RunRequestError || error instanceof nn.SpecError)
      throw new UsageError(error.message);
    throw error;
  }
}
