/** Learning-rate schedules, evaluated per optimizer step. */
export type ScheduleSpec =
  | { kind: 'constant' }
  /** Multiply by `gamma` every `everyEpochs` epochs (Keras/PyTorch StepLR). */
  | { kind: 'step'; everyEpochs: number; gamma: number }
  /** Cosine decay from the base rate to `base * minFactor` over the whole run (no restarts). */
  | { kind: 'cosine'; minFactor?: number }
  /**
   * One-cycle (Smith 2018), as PyTorch's `OneCycleLR` with cosine annealing: from `base/divFactor`
   * up to `base` over the first `pctStart` of the steps, then down to `base/divFactor/finalDivFactor`.
   */
  | { kind: 'onecycle'; pctStart?: number; divFactor?: number; finalDivFactor?: number };

export const SCHEDULES = ['constant', 'step', 'cosine', 'onecycle'] as const;
export type ScheduleName = (typeof SCHEDULES)[number];

/** A schedule from its name with the defaults labkit documents in `--help`. */
export function scheduleByName(name: ScheduleName, epochs: number): ScheduleSpec {
  switch (name) {
    case 'constant':
      return { kind: 'constant' };
    case 'step':
      return { kind: 'step', everyEpochs: Math.max(1, Math.round(epochs / 3)), gamma: 0.1 };
    case 'cosine':
      return { kind: 'cosine', minFactor: 0 };
    case 'onecycle':
      return { kind: 'onecycle', pctStart: 0.3, divFactor: 25, finalDivFactor: 1e4 };
  }
}

export interface ScheduleClock {
  /** 0-based index of the optimizer step about to run. */
  step: number;
  stepsPerEpoch: number;
  totalSteps: number;
}

/** `end + (start - end) / 2 * (1 + cos(pi * pct))`: cosine from start (pct 0) to end (pct 1). */
function cosineAnneal(start: number, end: number, pct: number): number {
  return end + ((start - end) / 2) * (1 + Math.cos(Math.PI * pct));
}

/** The learning rate for the step about to run. */
export function learningRateAt(
  schedule: ScheduleSpec,
  baseLr: number,
  clock: ScheduleClock,
): number {
  const { step, stepsPerEpoch, totalSteps } = clock;
  switch (schedule.kind) {
    case 'constant':
      return baseLr;
    case 'step': {
      const epoch = Math.floor(step / stepsPerEpoch);
      return baseLr * schedule.gamma ** Math.floor(epoch / schedule.everyEpochs);
    }
    case 'cosine': {
      const pct = totalSteps <= 1 ? 1 : Math.min(1, step / (totalSteps - 1));
      return cosineAnneal(baseLr, baseLr * (schedule.minFactor ?? 0), pct);
    }
    case 'onecycle': {
      const initial = baseLr / (schedule.divFactor ?? 25);
      const final = initial / (schedule.finalDivFactor ?? 1e4);
      const upEnd = (schedule.pctStart ?? 0.3) * totalSteps - 1;
      const downEnd = totalSteps - 1;
      if (step <= upEnd) return cosineAnneal(initial, baseLr, upEnd <= 0 ? 1 : step / upEnd);
      const pct = downEnd <= upEnd ? 1 : Math.min(1, (step - upEnd) / (downEnd - upEnd));
      return cosineAnneal(baseLr, final, pct);
    }
  }
}
