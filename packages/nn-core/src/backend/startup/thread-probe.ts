import { Worker } from 'node:worker_threads';

/**
 * How fast threads run when several run at once, measured rather than guessed from the load
 * average (which lags by a minute: a default run started right after a build saw the build's load
 * and chose 1 thread on an idle machine).
 *
 * XNNPACK splits every product evenly over its threads, so a step takes as long as its slowest
 * thread: k threads pay only when each of them gets close to a core of its own. The probe runs the
 * same compute loop on 1, 2, ... k worker threads at once and records the slowest thread's rate.
 */
export interface ThreadProbe {
  /** The fastest any probe thread ran, iterations per millisecond: what a free core gives. */
  coreRate: number;
  /**
   * For k = 2, 3, ...: the slowest of k threads running at once, iterations per millisecond
   * (the median over the repeated rounds).
   */
  slowestRate: { threads: number; rate: number }[];
  /** Wall time the probe took, ms (worker start-up included). */
  elapsedMs: number;
}

/** Each thread must keep this share of a free core's speed for its count to be used. */
export const MIN_THREAD_EFFICIENCY = 0.8;

/** Milliseconds each measured round runs, and how often each thread count is measured. */
const ROUND_MS = 50;
const REPEATS = 3;
const WARM_UP_MS = 15;

/**
 * The most threads that all keep at least {@link MIN_THREAD_EFFICIENCY} of a free core's speed
 * (1 at least). A count is used only when every smaller count passed too.
 */
export function threadsFromProbe(probe: ThreadProbe): number {
  let chosen = 1;
  for (const { threads, rate } of [...probe.slowestRate].sort((a, b) => a.threads - b.threads)) {
    if (threads !== chosen + 1 || rate < MIN_THREAD_EFFICIENCY * probe.coreRate) break;
    chosen = threads;
  }
  return chosen;
}

/** One line for logs and run.json: what the probe saw. */
export function describeProbe(probe: ThreadProbe): string {
  const shares = probe.slowestRate
    .map(({ threads, rate }) => `${threads} threads ${Math.round((100 * rate) / probe.coreRate)}%`)
    .join(', ');
  return `probe ${Math.round(probe.elapsedMs)} ms; slowest thread against a free core: ${shares}`;
}

// A compute-bound loop over a small array (in cache, like a GEMM micro-kernel), timed in chunks.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const a = new Float64Array(256).fill(1.000001);
let sink = 0;
function chunk() {
  let s = 0;
  for (let r = 0; r < 16; r++) for (let i = 0; i < 256; i++) { s += a[i] * s * 1e-9 + a[i]; }
  sink += s;
}
parentPort.on('message', (ms) => {
  const start = performance.now();
  let n = 0;
  let now = start;
  while (now - start < ms) { chunk(); n++; now = performance.now(); }
  parentPort.postMessage({ rate: n / (now - start), sink: sink > 0 });
});
parentPort.postMessage('ready');
`;

function startWorker(): Promise<Worker> {
  const worker = new Worker(WORKER_SOURCE, { eval: true });
  return new Promise((resolve, reject) => {
    worker.once('message', () => resolve(worker));
    worker.once('error', reject);
  });
}

function runRound(workers: readonly Worker[], ms: number): Promise<number[]> {
  return Promise.all(
    workers.map(
      (worker) =>
        new Promise<number>((resolve, reject) => {
          const onMessage = (reply: { rate: number }) => {
            worker.off('error', onError);
            resolve(reply.rate);
          };
          const onError = (error: Error) => {
            worker.off('message', onMessage);
            reject(error);
          };
          worker.once('message', onMessage);
          worker.once('error', onError);
          worker.postMessage(ms);
        }),
    ),
  );
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * Runs the loop on 1, 2, ... `maxThreads` threads at once, {@link REPEATS} times each, in about
 * 50 ms per round plus worker start-up (about 0.2 s for 2 threads).
 */
export async function probeThreads(maxThreads: number): Promise<ThreadProbe> {
  const started = performance.now();
  const workers = await Promise.all(
    Array.from({ length: Math.max(1, maxThreads) }, () => startWorker()),
  );
  try {
    await runRound(workers, WARM_UP_MS);
    let coreRate = 0;
    const slowest = new Map<number, number[]>();
    for (let repeat = 0; repeat < REPEATS; repeat++) {
      for (let k = 1; k <= workers.length; k++) {
        const rates = await runRound(workers.slice(0, k), ROUND_MS);
        coreRate = Math.max(coreRate, ...rates);
        if (k > 1) slowest.set(k, [...(slowest.get(k) ?? []), Math.min(...rates)]);
      }
    }
    const slowestRate = [...slowest].map(([threads, rates]) => ({ threads, rate: median(rates) }));
    return { coreRate, slowestRate, elapsedMs: performance.now() - started };
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
