/** Optimizer settings as data (no TF.js here, so recipe files and the CLI can read them cheaply). */
import type { OptimizerName } from './optimizer-names.js';

export { OPTIMIZERS, type OptimizerName } from './optimizer-names.js';

export interface OptimizerSpec {
  kind: OptimizerName;
  /** Base learning rate; a schedule scales it per step. */
  lr: number;
  /** SGD momentum (default 0.9; 0 = plain SGD). */
  momentum?: number;
  nesterov?: boolean;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}
