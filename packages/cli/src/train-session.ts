import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandIO, OptionSpec, ParsedOptions } from './define.js';
import { UsageError } from './errors.js';
import { interruptOnSignals } from './interrupt.js';
import { asUsage } from './nn-usage.js';
import { flagName } from './options.js';

export { asUsage };

type NnCore = typeof import('@labkit/nn-core');
type TrainRunConfig = import('@labkit/nn-core').TrainRunConfig;

/** Flags `--resume` accepts: where the data now is, more epochs, how to run. */
export const RESUME_FLAGS = ['resume', 'data', 'epochs', 'threads', 'backend', 'json'] as const;

/** cac's value for each flag that was not typed: its declared default, `true` for `--no-` pairs. */
export function flagDefaults(specs: readonly OptionSpec[]): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  const camel = (name: string) => name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
  for (const spec of specs) {
    const name = spec.flags.match(/--([\w-]+)/)?.[1];
    if (!name) continue;
    if (name.startsWith('no-')) defaults[camel(name.slice(3))] = true;
    else if (spec.default !== undefined) defaults[camel(name)] = spec.default;
  }
  return defaults;
}

/**
 * Refuses flags given with `--resume` that would change a stored setting (a resumed run keeps its
 * recipe); `allowed` are the flags that may come with it. `defaults` holds cac's values for flags
 * that were not typed (declared defaults, `true` for a `--no-` flag's positive).
 */
export function refuseFlagsWithResume(
  options: ParsedOptions,
  defaults: Record<string, unknown>,
  allowed: readonly string[] = RESUME_FLAGS,
  noun = 'run',
): void {
  const given = Object.keys(options).filter(
    (key) => !allowed.includes(key) && options[key] !== undefined && options[key] !== defaults[key],
  );
  if (given.length === 0) return;
  throw new UsageError(
    `${given.map(flagName).join(', ')} cannot be used with --resume: a resumed ${noun} keeps its stored settings. ` +
      `With --resume you may give ${allowed
        .filter((key) => key !== 'resume')
        .map(flagName)
        .join(', ')}; for other settings start a new ${noun}`,
  );
}

export interface TrainSession {
  runDir: string;
  /** A new run: its config and data. */
  config?: TrainRunConfig;
  dataDir?: string;
  uniqueDir?: boolean;
  force?: boolean;
  /** Continue the run in `runDir`. */
  resume?: import('@labkit/nn-core').ResumeRequest;
  backend: import('@labkit/nn-core').BackendRequest;
  threads: { threads?: number };
  json: boolean;
}

/**
 * The train command after its flags are read: checks everything that needs no work, starts the
 * backend, trains with progress and Ctrl-C handling, and prints the result (or, when stopped, one
 * line with the checkpoint and the command that resumes it).
 */
export async function runTrainSession(nn: NnCore, s: TrainSession, io: CommandIO): Promise<number> {
  let claimed: string | undefined = s.resume ? s.runDir : undefined;
  let checkpoint = '';
  const resumeHint = (dir: string) => `resume with '${nn.resumeCommand(dir)}'`;
  // A directory this session creates is removed again if a signal comes before anything is in it.
  const created = s.resume || existsSync(s.runDir) ? undefined : s.runDir;
  const ours = (dir: string) => dir === created || (s.uniqueDir === true && dir !== s.runDir);
  // From the start: a signal while the data loads also gets its one line.
  const interrupt = interruptOnSignals(io, () => {
    const dir = claimed ?? created;
    if (dir && !s.resume && ours(dir) && nn.removeUnstartedRunDirSync(dir)) claimed = undefined;
    if (!claimed) return 'interrupted before the run started: nothing was written';
    nn.releaseRunDirSync(claimed);
    return `interrupted: ${checkpoint ? `the last checkpoint (${checkpoint}) is in ${join(claimed, nn.CHECKPOINT_FILE)}` : `${claimed} has no checkpoint yet`}; ${resumeHint(claimed)}`;
  });
  try {
    const plan = await asUsage(nn, async () => {
      if (s.resume) return nn.planResume(s.runDir, s.resume);
      if (s.config) {
        nn.checkRunConfig(s.config);
        nn.checkNewRunDir(s.runDir, s.force, s.uniqueDir);
      }
      return undefined;
    });
    if (plan?.checkpoint) checkpoint = nn.checkpointPlace(plan.checkpoint);
    const backend = await nn.initBackend(s.backend, s.threads);
    const say = (line: string) => (s.json ? io.stderr : io.stdout).write(`${line}\n`);
    say(`backend: ${nn.describeBackend(backend)}`);

    const result = await asUsage(nn, () =>
      nn.trainRun({
        ...(s.config ? { config: s.config, dataDir: s.dataDir } : {}),
        runDir: s.runDir,
        backend,
        ...(s.resume ? { resume: s.resume } : {}),
        ...(s.force ? { force: true } : {}),
        ...(s.uniqueDir ? { uniqueDir: true } : {}),
        log: say,
        onClaimed(dir) {
          claimed = dir;
        },
        callbacks: [
          {
            onEpochEnd(m) {
              checkpoint = `the end of epoch ${m.epoch}`;
            },
          },
          nn.progressCallback({ lines: s.json ? io.stderr : io.stdout, bar: io.stderr }),
          interrupt.callback,
        ],
      }),
    );
    const { record, runDir } = result;
    result.model.dispose();
    if (!result.fit.completed) {
      const at = result.fit.pausedAt;
      const where = at
        ? `batch ${at.batchesDone} of epoch ${at.epoch}`
        : `the end of epoch ${result.fit.history.length}`;
      io.stderr.write(
        `interrupted (${interrupt.signal() ?? 'stopped by a callback'}): stopped at ${where} of ${record.config.epochs}; checkpoint saved in ${join(runDir, nn.CHECKPOINT_FILE)}; ${resumeHint(runDir)}\n`,
      );
      return interrupt.exitCode() || 1;
    }
    const { diagnosis } = await nn.diagnoseRun(runDir);
    const summary = {
      backend: backend.name,
      epochs: record.epochsRun,
      trainSamplesPerSec: record.trainSamplesPerSec,
      valAccuracy: record.valAccuracy,
      testAccuracy: record.testAccuracy,
      testLoss: record.testLoss,
      trainSeconds: record.trainSeconds,
      bestEpoch: record.bestEpoch,
      stoppedEarly: record.stoppedEarly,
      verdict: diagnosis.verdict,
      runDir,
    };
    if (s.json) {
      io.stdout.write(`${JSON.stringify(summary)}\n`);
    } else {
      const pct = (v: number | null | undefined) => (v == null ? '-' : `${(v * 100).toFixed(2)}%`);
      io.stdout.write(
        `done: ${record.epochsRun} epochs in ${nn.formatDuration(record.trainSeconds ?? 0)} on ${backend.name}, ` +
          `${Math.round(record.trainSamplesPerSec ?? 0)} samples/s; val accuracy ${pct(record.valAccuracy)}, ` +
          `test accuracy ${pct(record.testAccuracy)}\n`,
      );
    }
    (s.json ? io.stderr : io.stdout).write(nn.formatDiagnosis(diagnosis));
    return 0;
  } finally {
    interrupt.dispose();
  }
}
