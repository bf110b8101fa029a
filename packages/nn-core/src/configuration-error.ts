/**
 * Labkit cannot run as configured (data not where it was told, a backend that is not installed):
 * the user fixes a setting, not the work, so the CLI exits with 2 as for usage errors. Free of
 * Node and TF.js imports, so the light `./config` entry can export it.
 */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}
