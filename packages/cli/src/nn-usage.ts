import { UsageError } from './errors.js';

type NnCore = typeof import('@labkit/nn-core');

/**
 * Runs `work`, turning nn-core's request and spec errors (a wrong run directory, flags that cannot
 * apply, a `--config` that is not a valid spec) into usage errors: exit code 2.
 */
export async function asUsage<T>(nn: NnCore, work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof nn.RunRequestError || error instanceof nn.SpecError)
      throw new UsageError(error.message);
    throw error;
  }
}
