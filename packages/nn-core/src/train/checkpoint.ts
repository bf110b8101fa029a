import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../model/atomic.js';
import { parseJsonText } from '../model/json-file.js';
import type { Checkpoint, CheckpointStore } from './checkpoint-store.js';
import type { SavedTensor } from './optimizer.js';

export type { Checkpoint, CheckpointStore } from './checkpoint-store.js';

const MAGIC = 'LABKIT-CKPT-1\n';

interface TensorRef {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  offset: number;
  length: number;
}

/** Writes a checkpoint atomically: magic line, 4-byte JSON length, JSON header, raw tensor bytes. */
export async function writeCheckpoint(path: string, checkpoint: Checkpoint): Promise<void> {
  const refs: Record<string, TensorRef[]> = {};
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [group, list] of Object.entries(checkpoint.tensors)) {
    refs[group] = list.map((t) => {
      const bytes = new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength);
      chunks.push(bytes);
      const ref = { name: t.name, shape: t.shape, dtype: t.dtype, offset, length: t.values.length };
      offset += bytes.byteLength;
      return ref;
    });
  }
  const header = new TextEncoder().encode(
    JSON.stringify({ state: checkpoint.state, tensors: refs }),
  );
  const magic = new TextEncoder().encode(MAGIC);
  // Pad the header so tensor data starts on a 4-byte boundary (typed-array views need it).
  const headerStart = magic.length + 4;
  const padding = (4 - ((headerStart + header.length) % 4)) % 4;
  const out = new Uint8Array(headerStart + header.length + padding + offset);
  out.set(magic, 0);
  new DataView(out.buffer).setUint32(magic.length, header.length + padding, true);
  out.set(header, headerStart);
  out.fill(0x20, headerStart + header.length, headerStart + header.length + padding);
  let at = headerStart + header.length + padding;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  await writeFileAtomic(path, out);
}

/** A checkpoint file that is damaged or not a labkit checkpoint. */
export class CheckpointError extends Error {
  override name = 'CheckpointError';
}

export async function readCheckpoint<S>(path: string): Promise<Checkpoint<S>> {
  const file = await readFile(path);
  const bytes = new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
  const magic = new TextEncoder().encode(MAGIC);
  const bad = (why: string) =>
    new CheckpointError(`${path} is damaged or not a labkit checkpoint (${why})`);
  if (bytes.length < magic.length + 4 || !magic.every((b, i) => bytes[i] === b))
    throw bad('wrong magic bytes');
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(magic.length, true);
  const dataStart = magic.length + 4 + headerLength;
  if (dataStart > bytes.length) throw bad('truncated header');
  let header: {
    state: S;
    tensors: Record<string, TensorRef[]>;
  };
  try {
    header = parseJsonText(
      new TextDecoder().decode(bytes.subarray(magic.length + 4, dataStart)),
      'JSON header',
    ) as typeof header;
  } catch (error) {
    throw bad((error as Error).message);
  }
  if (typeof header !== 'object' || header === null || typeof header.tensors !== 'object')
    throw bad('the header has no tensor table');
  // Copy the data so typed arrays are aligned regardless of the Buffer's pool offset.
  const data = bytes.slice(dataStart);
  const tensors: Record<string, SavedTensor[]> = {};
  for (const [group, refs] of Object.entries(header.tensors)) {
    tensors[group] = refs.map((r) => {
      if (r.offset + r.length * 4 > data.byteLength)
        throw bad(`tensor ${r.name} runs past the end of the file`);
      const values =
        r.dtype === 'int32'
          ? new Int32Array(data.buffer, r.offset, r.length)
          : new Float32Array(data.buffer, r.offset, r.length);
      return { name: r.name, shape: r.shape, dtype: r.dtype, values };
    });
  }
  return { state: header.state, tensors };
}

/** A checkpoint kept in one file, replaced atomically by every write. */
export function checkpointFile(path: string): CheckpointStore {
  return {
    name: path,
    read: async <S>() => (existsSync(path) ? readCheckpoint<S>(path) : null),
    write: (checkpoint) => writeCheckpoint(path, checkpoint),
  };
}
