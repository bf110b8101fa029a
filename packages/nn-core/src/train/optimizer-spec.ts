/** Optimizer settings as data (no TF.js here, so recipe files and the CLI can read them cheaply). */
import type { OptimizerName } from './optimizer-names.js';

export { OPTIMIZERS, type OptimizerName } from './optimizer-names.js';

/** SGD's momentum unless a spec sets its own. */
export const DEFAULT_SGD_MOMENTUM = 0.9;

export interface OptimizerSpec {
  kind: OptimizerName;
  /** Base learning rate; a schedule scales it per step. */
  lr: number;
  /** SGD momentum (default {@link DEFAULT_SGD_MOMENTUM}; 0 = plain SGD). */
  momentum?: number;
  nesterov?: boolean;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}
