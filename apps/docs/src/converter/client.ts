/**
 * The page's side of the converter worker. One request runs at a time: a new one terminates a
 * worker still busy with the previous one (a synchronous conversion cannot be interrupted
 * otherwise), and messages of a superseded run are dropped.
 */
import type { WorkerMessage, WorkerRequest } from './protocol.js';

type WithoutRun<T> = T extends unknown ? Omit<T, 'run'> : never;

export class ConverterClient {
  private worker: Worker | undefined;
  private busy = false;
  private run = 0;

  constructor(
    private readonly onMessage: (message: WorkerMessage) => void,
    private readonly spawn: () => Worker = () =>
      new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' }),
  ) {}

  /** Starts a request, cancelling the one in progress; transfers `transfer` to the worker. */
  send(request: WithoutRun<WorkerRequest>, transfer: Transferable[] = []): void {
    if (this.busy) this.stop();
    const worker = this.ensureWorker();
    this.busy = true;
    const run = ++this.run;
    worker.postMessage({ ...request, run }, transfer);
  }

  /** Cancels the request in progress, if any. */
  cancel(): void {
    this.run++;
    if (this.busy) this.stop();
  }

  dispose(): void {
    this.cancel();
    this.worker?.terminate();
    this.worker = undefined;
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = this.spawn();
    worker.onmessage = ({ data }: MessageEvent<WorkerMessage>) => {
      if (data.run !== this.run) return;
      if (data.kind === 'done' || data.kind === 'failed' || data.kind === 'decoded')
        this.busy = false;
      this.onMessage(data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      this.busy = false;
      this.onMessage({
        kind: 'failed',
        run: this.run,
        failure: 'internal',
        message: `the converter stopped: ${event.message || 'the worker could not start'}`,
        columns: [],
      });
    };
    this.worker = worker;
    return worker;
  }

  private stop(): void {
    this.worker?.terminate();
    this.worker = undefined;
    this.busy = false;
  }
}
