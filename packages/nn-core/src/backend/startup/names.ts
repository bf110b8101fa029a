/** Backends labkit can train on, fastest first. `node` is the native libtensorflow binding. */
export const BACKENDS = ['node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export type BackendRequest = BackendName | 'auto';
