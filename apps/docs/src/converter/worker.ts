/** The converter's Web Worker: every conversion runs here, off the page's main thread. */
import type { WorkerRequest } from './protocol.js';
import { convertRequest, decodeRequest } from './run-conversion.js';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: unknown, transfer: Transferable[]): void;
};

scope.onmessage = ({ data }) => {
  const post = (message: unknown, transfer: Transferable[] = []) =>
    scope.postMessage(message, transfer);
  if (data.kind === 'decode') decodeRequest(data, post);
  else convertRequest(data, post);
};
