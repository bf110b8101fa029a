import type { AdamStep } from '../training-ops/fused-adam.js';
import {
  F32,
  get,
  I32,
  I32_ADD,
  type KernelFunction,
  kernelLoader,
  set,
  simd,
  V128,
  V128_LOAD,
  V128_STORE,
  whileBelow,
} from './wasm-asm.js';

/**
 * The Adam update as a tiny hand-assembled WebAssembly module with 128-bit SIMD (4 float32 lanes),
 * run directly on the wasm backend's heap. The scalar JavaScript loop (`adamUpdate`) runs at
 * ~9 ns per element here, bound by its division and square root; this does four at a time.
 *
 * Exported function `adam(w, g, m, v, out, n, beta1, 1-beta1, beta2, 1-beta2, stepSize, rootC2,
 * eps)`: byte offsets of five float32 arrays, `n` a multiple of 4; per element, in float32 like
 * TF.js's own kernels:
 *   m = m*beta1 + g*(1-beta1);  v = v*beta2 + g*g*(1-beta2);
 *   out = w - (stepSize*m) / (sqrt(v)*rootC2 + eps)
 */

// Opcodes specific to this kernel.
const splat = simd(0x13);
const sqrt = simd(0xe3);
const add = simd(0xe4);
const sub = simd(0xe5);
const mul = simd(0xe6);
const div = simd(0xe7);
const load = V128_LOAD;
const store = V128_STORE;

// Parameters 0-4: w, g, m, v, out; 5: n; 6-12: beta1, keep1, beta2, keep2, stepSize, rootC2, eps.
// Locals: 13 i (byte offset), 14 end, 15-21 the splatted constants, 22 g, 23 m, 24 v.
const [W, G, M, V, OUT, N] = [0, 1, 2, 3, 4, 5];
const [I, END, B1, K1, B2, K2, S, R, E, GI, MI, VI] = [
  13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
];
const at = (base: number) => [...get(base), ...get(I), I32_ADD];

function code(): number[] {
  const code: number[] = [];
  for (let k = 0; k < 7; k++) code.push(...get(6 + k), ...splat, ...set(B1 + k));
  code.push(...get(N), 0x41, 2, 0x74, ...set(END)); // end = n << 2
  const loop: number[] = [];
  loop.push(...at(G), ...load, ...set(GI));
  loop.push(
    ...at(M),
    ...load,
    ...get(B1),
    ...mul,
    ...get(GI),
    ...get(K1),
    ...mul,
    ...add,
    ...set(MI),
  );
  loop.push(...at(V), ...load, ...get(B2), ...mul);
  loop.push(...get(GI), ...get(GI), ...mul, ...get(K2), ...mul, ...add, ...set(VI));
  loop.push(...at(M), ...get(MI), ...store);
  loop.push(...at(V), ...get(VI), ...store);
  loop.push(...at(OUT), ...at(W), ...load, ...get(S), ...get(MI), ...mul);
  loop.push(...get(VI), ...sqrt, ...get(R), ...mul, ...get(E), ...add, ...div, ...sub, ...store);
  loop.push(...get(I), 0x41, 16, I32_ADD, ...set(I)); // i += 16
  code.push(...whileBelow(I, END, loop));
  return code;
}

const ADAM: KernelFunction = {
  name: 'adam',
  params: [I32, I32, I32, I32, I32, I32, F32, F32, F32, F32, F32, F32, F32],
  locals: [
    [2, I32],
    [10, V128],
  ],
  code: code(),
};

type AdamKernel = (
  w: number,
  g: number,
  m: number,
  v: number,
  out: number,
  n: number,
  ...constants: number[]
) => void;

/** The SIMD Adam kernel bound to a memory, or null when this engine cannot run it (no SIMD). */
export const simdAdamFor = kernelLoader<AdamKernel>(ADAM);

/** Runs the kernel on the first `n` elements (a multiple of 4) of five arrays at byte offsets. */
export function simdAdamUpdate(
  kernel: AdamKernel,
  offsets: { w: number; g: number; m: number; v: number; out: number },
  n: number,
  s: AdamStep,
): void {
  kernel(
    offsets.w,
    offsets.g,
    offsets.m,
    offsets.v,
    offsets.out,
    n,
    s.beta1,
    1 - s.beta1,
    s.beta2,
    1 - s.beta2,
    s.lr / s.correction1,
    1 / Math.sqrt(s.correction2),
    s.epsilon,
  );
}
