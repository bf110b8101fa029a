import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CommandIO } from './define.js';
import { UsageError } from './errors.js';
import { asUsage } from './nn-usage.js';
import { timestamp } from './recipe-flags.js';
import { exitOnStopSignals } from './stop-signals.js';

type NnCore = typeof import('@labkit/nn-core');
type SearchSettings = import('@labkit/nn-core').SearchSettings;
type SearchDirLease = import('@labkit/nn-core').SearchDirLease;
type SearchWorkers = import('@labkit/nn-core').SearchWorkers;

export interface SearchSession {
  /** A new search's settings from its flags (`images` is set once the data is loaded). */
  settings: SearchSettings;
  /** `--out`, or undefined for the default name. */
  out?: string;
  /** `--resume`: continue the search there, with its stored settings and data. */
  resume?: string;
  data?: string;
  partialData: boolean;
  workers: number;
  backend: import('@labkit/nn-core').BackendRequest;
  threads?: number;
  json: boolean;
}

/**
 * The search command after its flags are read. Trials always train in worker processes, so this
 * process stays free to answer Ctrl-C and SIGTERM at once: it stops the workers and prints where
 * the finished trials are and the command that resumes them.
 */
export async function runSearchSession(
  loadNn: () => Promise<NnCore>,
  s: SearchSession,
  io: CommandIO,
): Promise<number> {
  const say = (line: string) => (s.json ? io.stderr : io.stdout).write(`${line}\n`);
  let lease: SearchDirLease | undefined;
  let pool: SearchWorkers | undefined;
  let loaded: NnCore | undefined;
  const signals = exitOnStopSignals(io, (signal) => {
    pool?.close();
    lease?.releaseSync();
    const core = loaded as NnCore; // set before any lease
    if (!lease || !existsSync(join(lease.dir, core.SEARCH_FILES.settings)))
      return `interrupted (${signal}) before the search started: nothing was written`;
    const trials = core.finishedTrialCount(lease.dir);
    return `interrupted (${signal}): ${trials} finished trial${trials === 1 ? '' : 's'} kept in ${join(lease.dir, core.SEARCH_FILES.trials)}; resume with '${core.searchResumeCommand(lease.dir)}'`;
  });
  try {
    // Loaded after the signal handlers are in place: loading TF.js takes a while.
    const nn = await loadNn();
    loaded = nn;
    let settings = s.settings;
    let source = { dir: '', partialData: s.partialData };
    if (s.resume) {
      const opened = await asUsage(nn, () =>
        nn.openSearchForResume(resolve(io.cwd, s.resume ?? '')),
      );
      lease = opened.lease;
      settings = opened.stored.settings;
      // The search's own data, unless --data says where it is now (checked by its fingerprint).
      const stored = opened.stored.data;
      source = {
        dir: nn.locateCifar10({ data: s.data ?? stored?.dir, env: io.env }),
        partialData: s.partialData || (stored?.partialData ?? false),
      };
      if (!stored)
        say(
          `${nn.SEARCH_FILES.settings} does not record the search's images (an older labkit wrote it): assuming ${source.dir} holds the same ones`,
        );
      if (lease.removedTempFiles.length > 0)
        say(
          `removed temporary files of an interrupted write: ${lease.removedTempFiles.join(', ')}`,
        );
    } else {
      source.dir = nn.locateCifar10({ data: s.data, env: io.env });
    }
    const images = await nn.loadCifar10(source.dir, 'train', {
      limit: s.resume ? settings.images : 50000,
      fullFiles: !source.partialData,
    });
    if (!s.resume) {
      settings = { ...settings, images: images.count };
      if (settings.subset + settings.valImages > images.count) {
        throw new UsageError(
          `--subset ${settings.subset} plus --val-images ${settings.valImages} exceed the ${images.count} training images`,
        );
      }
      lease = await asUsage(nn, () =>
        nn.claimNewSearchDir(
          resolve(io.cwd, s.out ?? `runs/search-${timestamp()}`),
          s.out === undefined,
        ),
      );
    }
    const outDir = (lease as SearchDirLease).dir;
    const plan = nn.searchPlan(settings);
    say(
      `search: ${settings.trials} recipes, seed ${settings.seed}, ${settings.valImages} validation images from ${source.dir}, ${s.workers} worker process${s.workers > 1 ? 'es' : ''}${s.resume ? ` (resuming ${outDir})` : ` in ${outDir}`}`,
    );
    say(
      `rungs: ${plan.map((r) => `${r.trials} on ${r.images} images`).join(', then ')}; ${settings.epochs} epoch${settings.epochs === 1 ? '' : 's'} each`,
    );
    pool = await nn.startSearchWorkers(s.workers, {
      dataDir: source.dir,
      images: settings.images,
      valImages: settings.valImages,
      fullFiles: !source.partialData,
      seed: settings.seed,
      backend: s.backend,
      // Several workers share the cores: one thread each. A single one gets the usual choice.
      ...(s.workers > 1 ? { threads: 1 } : s.threads === undefined ? {} : { threads: s.threads }),
    });
    say(`backend${s.workers > 1 ? ' (each worker)' : ''}: ${nn.describeBackend(pool.backend)}`);
    let done = 0;
    const started = performance.now();
    const trialStarts = new WeakMap<object, number>();
    const result = await asUsage(nn, () =>
      nn.runSearch({
        settings,
        images,
        outDir,
        source,
        resume: Boolean(s.resume),
        concurrency: s.workers,
        runJob(job, slot) {
          trialStarts.set(job, performance.now());
          return (pool as SearchWorkers).runJob(job, slot);
        },
        onTrialEnd(job, outcome, cached) {
          done++;
          // The trial's wall time from start to result, with the part its own training took (the
          // rest: ZCA whitening of its images, the worker's turn-around).
          const wall = (performance.now() - (trialStarts.get(job) ?? performance.now())) / 1000;
          const timing = `in ${wall.toFixed(0)} s wall time (${outcome.seconds.toFixed(0)} s training and scoring)`;
          const acc = Number.isFinite(outcome.valAccuracy)
            ? `${(outcome.valAccuracy * 100).toFixed(1)}%`
            : '-';
          const loss = Number.isFinite(outcome.valLoss) ? outcome.valLoss.toFixed(4) : '-';
          io.stderr.write(
            `  [${done}] rung ${job.rung + 1} trial ${job.index + 1} (${nn.describeTrial(job.params)}) on ${job.images} images: ` +
              `val acc ${acc}, loss ${loss}${outcome.diverged ? ' (diverged)' : ''}${cached ? ' (from trials.jsonl)' : ` ${timing}`}\n`,
          );
        },
        onRungEnd(rung, rungs, ranked) {
          const next = rungs[rung + 1];
          say(
            `rung ${rung + 1}/${rungs.length} done after ${((performance.now() - started) / 1000).toFixed(0)} s` +
              `${next ? `: ${next.trials} trials continue on ${next.images} images` : ''}; best so far trial ${(ranked[0]?.index ?? 0) + 1}`,
          );
        },
      }),
    );
    say('');
    say(nn.formatSearchTable(result.ranked, result.plan).trimEnd());
    const best = result.best;
    const last = best.outcomes.at(-1);
    say('');
    say(
      `best: trial ${best.index + 1}, validation accuracy ${((last?.valAccuracy ?? 0) * 100).toFixed(1)}% on ${result.valImages} images after training on ${result.plan[best.outcomes.length - 1]?.images} images`,
    );
    say(`wrote ${result.files.csv}, ${result.files.recipe}, ${result.files.best}`);
    say(`train it on the full data: ${nn.trainCommand(result.files.recipe)}`);
    if (s.json) {
      io.stdout.write(
        `${JSON.stringify({ backend: pool.backend.name, best: { trial: best.index + 1, ...best.trial, outcomes: best.outcomes }, recipe: result.recipe, files: result.files, reused: result.reused, seconds: (performance.now() - started) / 1000 })}\n`,
      );
    }
    return 0;
  } catch (error) {
    // A full disk, a lost permission or a worker that died: what is kept, and how to go on.
    const resumable =
      loaded && (error instanceof loaded.RunFileError || error instanceof loaded.SearchWorkerError);
    if (loaded && resumable && lease) {
      const settings = join(lease.dir, loaded.SEARCH_FILES.settings);
      const trials = loaded.finishedTrialCount(lease.dir);
      if (existsSync(settings))
        error.message += `; the ${trials} finished trial${trials === 1 ? ' in' : 's in'} ${join(lease.dir, loaded.SEARCH_FILES.trials)} ${trials === 1 ? 'is' : 'are'} kept: once fixed, resume with '${loaded.searchResumeCommand(lease.dir)}'`;
    }
    throw error;
  } finally {
    pool?.close();
    await lease?.release();
    signals.dispose();
  }
}
