import type { Machine, Measurement, Quantity } from './record.js';

/** The fields of a finished run's `run.json` that a measurement is made of. */
interface FinishedRun {
  status: string;
  config?: { argv?: unknown };
  backend?: { name?: string; threads?: number };
  trainSeconds?: number;
  trainSamplesPerSec?: number;
  valAccuracy?: number | null;
  testAccuracy?: number | null;
  finishedAt?: string;
}

export class UnfinishedRunError extends Error {
  override name = 'UnfinishedRunError';
}

export interface RunDescription {
  id: string;
  what: string;
  /** The command line that started the run, as a reader would type it. */
  command: string;
  /** What ran besides it (the run itself does not record the load). */
  load: string;
  cpu: string | null;
  cores: number;
}

/** Accuracy as the docs print it: percent with one decimal. */
const percent = (fraction: number): Quantity => ({
  unit: '%',
  value: Math.round(fraction * 1000) / 10,
});

/**
 * A measurement made from a finished training run's `run.json`: test and validation accuracy,
 * training minutes and mean samples/s, dated by the run's end. `runDir` names the source.
 */
export function measurementFromRun(
  run: FinishedRun,
  runDir: string,
  description: RunDescription,
): Measurement {
  if (run.status !== 'finished' || run.finishedAt === undefined) {
    throw new UnfinishedRunError(
      `${runDir}/run.json: the run has not finished (status ${run.status})`,
    );
  }
  const quantities: Record<string, Quantity> = {};
  if (typeof run.testAccuracy === 'number') quantities.testAccuracy = percent(run.testAccuracy);
  if (typeof run.valAccuracy === 'number') quantities.valAccuracy = percent(run.valAccuracy);
  if (typeof run.trainSeconds === 'number') {
    quantities.minutes = { unit: 'min', value: Math.round(run.trainSeconds / 60) };
  }
  if (typeof run.trainSamplesPerSec === 'number') {
    quantities.trainSamplesPerSec = {
      unit: 'samples/s',
      value: Math.round(run.trainSamplesPerSec),
    };
  }
  const machine: Machine = {
    cpu: description.cpu,
    cores: description.cores,
    threads: run.backend?.threads ?? 1,
    load: description.load,
  };
  return {
    id: description.id,
    what: description.what,
    command: description.command,
    quantities,
    machine,
    date: run.finishedAt.slice(0, 10),
    producedBy: `labkit train (${run.backend?.name ?? 'unknown'} backend), read from ${runDir}/run.json by labkit-measurements from-run`,
  };
}
