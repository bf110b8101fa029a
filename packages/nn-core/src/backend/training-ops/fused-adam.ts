import * as tf from '../../tfjs.js';
import { simdAdamFor, simdAdamUpdate } from '../simd/adam.js';
import { currentFloatStore, type FloatStore } from '../simd/float-store.js';

type Moment = { originalName: string; variable: tf.Variable };
type Gradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];

/** The fields of TF.js's AdamOptimizer that this subclass works with (TF.js declares them private). */
interface AdamState {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Moment[];
  accumulatedSecondMoment: Moment[];
  incrementIterations(): void;
}

/** Step constants shared by every variable of one update. */
export interface AdamStep {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 - beta1^t and 1 - beta2^t, the bias corrections of step t. */
  correction1: number;
  correction2: number;
}

/**
 * One Adam update of one variable in a single pass: m and v in place, the new weights into `out`
 * (which may be `w` itself). Same formula as `tf.train.adam`. Runs on the cpu backend and on the
 * last n % 4 elements on wasm; `simd/adam.ts` does the rest on wasm, four lanes at a time.
 */
export function adamUpdate(
  w: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  out: Float32Array,
  s: AdamStep,
): void {
  const { beta1, beta2, epsilon } = s;
  const keep1 = 1 - beta1;
  const keep2 = 1 - beta2;
  // lr * (m / c1) / (sqrt(v / c2) + eps) with the constants hoisted: one sqrt and one division
  // per element (the loop is bound by them, not by memory).
  const stepSize = s.lr / s.correction1;
  const rootC2 = 1 / Math.sqrt(s.correction2);
  for (let i = 0; i < w.length; i++) {
    const gi = g[i] as number;
    const mi = (m[i] as number) * beta1 + gi * keep1;
    const vi = (v[i] as number) * beta2 + gi * gi * keep2;
    m[i] = mi;
    v[i] = vi;
    out[i] = (w[i] as number) - (stepSize * mi) / (Math.sqrt(vi) * rootC2 + epsilon);
  }
}

/**
 * `tf.train.adam` with the update fused into one pass per variable on the wasm and cpu backends,
 * whose tensors live in memory JavaScript can reach: a WebAssembly SIMD kernel on the wasm heap,
 * a JavaScript loop on cpu. TF.js's own update runs about 13 element-wise kernels per variable,
 * each allocating a temporary: ~30 ms per step for the seed MLP's 3.7M weights on wasm, against
 * ~3.6 ms fused (`bench/train/optimizer-ab.mjs` times whole steps). State, names, getWeights/setWeights and serialisation are
 * TF.js's, so checkpoints are interchangeable; other backends run TF.js's update unchanged.
 *
 * The moments are updated in place. The weights get a fresh buffer each step, as with TF.js's
 * `assign`: XNNPACK caches a packed copy of a matrix by tensor id and would keep using stale
 * weights if they changed under the same id.
 */
export class FusedAdamOptimizer extends tf.AdamOptimizer {
  override applyGradients(variableGradients: Gradients): void {
    const store = currentFloatStore();
    const named: { name: string; tensor: tf.Tensor | undefined }[] = Array.isArray(
      variableGradients,
    )
      ? variableGradients
      : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
    const fusable = (t: tf.Tensor | undefined) => t === undefined || t.dtype === 'float32';
    const allFloat = named.every(
      ({ name, tensor }) => fusable(tensor) && fusable(tf.engine().registeredVariables[name]),
    );
    if (!store || !allFloat) {
      super.applyGradients(variableGradients);
      return;
    }
    const self = this as unknown as AdamState;
    const accBeta1 = self.accBeta1.dataSync()[0] as number;
    const accBeta2 = self.accBeta2.dataSync()[0] as number;
    const step: AdamStep = {
      lr: self.learningRate,
      beta1: self.beta1,
      beta2: self.beta2,
      epsilon: self.epsilon,
      correction1: 1 - accBeta1,
      correction2: 1 - accBeta2,
    };
    named.forEach(({ name, tensor: gradient }, i) => {
      const variable = tf.engine().registeredVariables[name];
      if (!variable) throw new Error(`Adam: no variable named ${name}`);
      const m = this.moment(self.accumulatedFirstMoment, i, `${name}/m`, variable);
      const v = this.moment(self.accumulatedSecondMoment, i, `${name}/v`, variable);
      if (gradient == null) return;
      updateVariable(store, variable, gradient, m, v, step);
    });
    // Same float32 products as TF.js's mul(accBeta, beta).
    tf.tidy(() => {
      self.accBeta1.assign(tf.scalar(Math.fround(accBeta1 * Math.fround(self.beta1))));
      self.accBeta2.assign(tf.scalar(Math.fround(accBeta2 * Math.fround(self.beta2))));
    });
    self.incrementIterations();
  }

  /** The moment variable of slot i, created as zeros on first use (as TF.js does). */
  private moment(list: Moment[], i: number, originalName: string, like: tf.Tensor): tf.Variable {
    let slot = list[i];
    if (slot == null) {
      slot = { originalName, variable: tf.tidy(() => tf.zerosLike(like).variable(false)) };
      list[i] = slot;
    }
    return slot.variable;
  }
}

function updateVariable(
  store: FloatStore,
  variable: tf.Variable,
  gradient: tf.Tensor,
  m: tf.Variable,
  v: tf.Variable,
  step: AdamStep,
): void {
  // Moments shared with another tensor (e.g. one read by getWeights and still held) get a copy first.
  for (const moment of [m, v]) {
    if (store.sharers(moment) > 1) moment.assign(tf.tidy(() => tf.add(moment, 0)));
  }
  if (gradient.size !== variable.size)
    throw new Error(
      `Adam: gradient of shape [${gradient.shape}] for a variable of shape [${variable.shape}]`,
    );
  const fresh = store.allocate(variable.shape.slice());
  const kernel = store.heap ? simdAdamFor(store.heap.memory) : null;
  let done = 0;
  if (kernel && store.heap) {
    const offset = store.heap.offset;
    done = variable.size - (variable.size % 4);
    const offsets = {
      w: offset(variable),
      g: offset(gradient),
      m: offset(m),
      v: offset(v),
      out: offset(fresh),
    };
    simdAdamUpdate(kernel, offsets, done, step);
  }
  if (done < variable.size) {
    // Views only after the last allocation: a wasm heap growth detaches earlier views.
    const tail = (t: tf.Tensor) => store.view(t).subarray(done);
    adamUpdate(tail(variable), tail(gradient), tail(m), tail(v), tail(fresh), step);
  }
  variable.assign(fresh);
  fresh.dispose();
}
