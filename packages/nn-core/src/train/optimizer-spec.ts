/** Optimizer settings as data (no TF.js here, so recipe files and the CLI can read them cheaply). */
export type OptimizerName = 'adam' | 'sgd';
export const OPTIMIZERS: readonly OptimizerName[] = ['adam', 'sgd'];

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
