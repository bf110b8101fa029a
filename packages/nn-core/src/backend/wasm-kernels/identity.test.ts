import { describe, expect, it } from 'vitest';
import * as tf from '../../tfjs.js';
import { initBackend } from '../startup/select.js';
import { isOverridden } from './override.js';
import { expectSameOnWasmAndCpu, randomValues } from './test-utils/against-cpu.js';

describe('wasm Identity override', () => {
  it('is installed when wasm is selected', async () => {
    await initBackend('wasm');
    expect(isOverridden('Identity', 'wasm')).toBe(true);
  });

  it('clones share data but stay independent tensors: disposing one leaves the other intact', async () => {
    await initBackend('wasm');
    const before = tf.engine().backend.numDataIds();
    const x = tf.tensor2d(randomValues(15, 51), [3, 5]);
    const copy = tf.clone(x);
    expect(tf.engine().backend.numDataIds()).toBe(before + 1);
    const expected = Array.from(await x.data());
    x.dispose();
    expect(Array.from(await copy.data())).toEqual(expected);
    copy.dispose();
    expect(tf.engine().backend.numDataIds()).toBe(before);
  });

  it('a variable assigned from a clone does not change the clone', async () => {
    await initBackend('wasm');
    const v = tf.variable(tf.tensor1d([1, 2, 3]));
    const snapshot = tf.clone(v);
    v.assign(tf.tensor1d([7, 8, 9]));
    expect(Array.from(await snapshot.data())).toEqual([1, 2, 3]);
    expect(Array.from(await v.data())).toEqual([7, 8, 9]);
    tf.dispose([v, snapshot]);
  });

  it('int32, bool and odd shapes match cpu exactly', async () => {
    await expectSameOnWasmAndCpu(() => tf.clone(tf.tensor(randomValues(7, 52), [1, 7])), 0);
    await expectSameOnWasmAndCpu(() => tf.clone(tf.tensor([[3, -4, 5]], [1, 3], 'int32')), 0);
    await expectSameOnWasmAndCpu(() => tf.clone(tf.tensor([true, false, true], [3, 1], 'bool')), 0);
  });
});
