/**
 * Helpers for tests: small but valid CIFAR-10 binary files, and tar.gz archives built by hand (so
 * tests can also make malicious entries that real tar tools refuse to create).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CIFAR10_CLASSES, IMAGE_SIZE, RECORD_SIZE, TEST_FILES, TRAIN_FILES } from './cifar10.js';
import { createRng } from './rng.js';

export interface FakeBatchOptions {
  /** Labels of the records; default: `(first + i) % 10`. */
  labels?: ArrayLike<number>;
  /** Label of record 0 when `labels` is not given. */
  first?: number;
  /** Seed of the random pixels. */
  seed?: number;
}

/**
 * A valid binary batch of `records` records. Pixels are seeded random bytes, except that the first
 * pixel of each record's red plane is the label times 25, so tests can tell records apart by label.
 */
export function makeCifarBatch(records: number, options: FakeBatchOptions = {}): Uint8Array {
  const bytes = new Uint8Array(records * RECORD_SIZE);
  const rng = createRng(options.seed ?? 1);
  for (let i = 0; i < records; i++) {
    const label = options.labels ? (options.labels[i] as number) : ((options.first ?? 0) + i) % 10;
    const at = i * RECORD_SIZE;
    bytes[at] = label;
    for (let p = 1; p <= IMAGE_SIZE; p++) bytes[at + p] = Math.floor(rng() * 256);
    bytes[at + 1] = label * 25;
  }
  return bytes;
}

/** The files of a small CIFAR-10 directory: five training batches, one test batch, the class names. */
export function makeCifarFiles(
  options: { trainPerBatch?: number; test?: number } = {},
): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  TRAIN_FILES.forEach((name, i) => {
    files.set(name, makeCifarBatch(options.trainPerBatch ?? 20, { first: i, seed: 100 + i }));
  });
  files.set(TEST_FILES[0] as string, makeCifarBatch(options.test ?? 20, { seed: 200 }));
  files.set('batches.meta.txt', new TextEncoder().encode(`${CIFAR10_CLASSES.join('\n')}\n`));
  return files;
}

/** Writes `makeCifarFiles(options)` into `dir` (created if needed) and returns `dir`. */
export function writeCifarDir(
  dir: string,
  options: { trainPerBatch?: number; test?: number } = {},
): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of makeCifarFiles(options)) writeFileSync(join(dir, name), bytes);
  return dir;
}

export interface TarEntry {
  path: string;
  type?: 'file' | 'directory' | 'symlink' | 'hardlink';
  data?: Uint8Array;
  /** Target of a symlink or hardlink. */
  linkTarget?: string;
}

const TYPE_FLAG = { file: '0', hardlink: '1', symlink: '2', directory: '5' } as const;

function writeString(header: Uint8Array, offset: number, length: number, value: string): void {
  const bytes = new TextEncoder().encode(value);
  if (bytes.length > length) throw new Error(`tar field too long: ${value}`);
  header.set(bytes, offset);
}

function writeOctal(header: Uint8Array, offset: number, length: number, value: number): void {
  writeString(header, offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
}

/** A ustar archive of `entries`, exactly as given (no path sanitising), gzip-compressed. */
export function makeTarGz(entries: readonly TarEntry[]): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const entry of entries) {
    const type = entry.type ?? 'file';
    const data = type === 'file' ? (entry.data ?? new Uint8Array()) : new Uint8Array();
    const header = new Uint8Array(512);
    writeString(header, 0, 100, entry.path);
    writeOctal(header, 100, 8, type === 'directory' ? 0o755 : 0o644);
    writeOctal(header, 108, 8, 0);
    writeOctal(header, 116, 8, 0);
    writeOctal(header, 124, 12, data.length);
    writeOctal(header, 136, 12, 1_600_000_000);
    header.fill(0x20, 148, 156);
    writeString(header, 156, 1, TYPE_FLAG[type]);
    writeString(header, 157, 100, entry.linkTarget ?? '');
    writeString(header, 257, 6, 'ustar\0');
    writeString(header, 263, 2, '00');
    const checksum = header.reduce((sum, b) => sum + b, 0);
    writeString(header, 148, 8, `${checksum.toString(8).padStart(6, '0')}\0 `);
    blocks.push(header);
    if (data.length > 0) {
      const padded = new Uint8Array(Math.ceil(data.length / 512) * 512);
      padded.set(data);
      blocks.push(padded);
    }
  }
  blocks.push(new Uint8Array(1024));
  const total = blocks.reduce((sum, b) => sum + b.length, 0);
  const tar = new Uint8Array(total);
  let at = 0;
  for (const block of blocks) {
    tar.set(block, at);
    at += block.length;
  }
  return gzipSync(tar);
}

/** A small archive laid out like the official `cifar-10-binary.tar.gz` (`cifar-10-batches-bin/...`). */
export function makeCifarArchive(
  options: { trainPerBatch?: number; test?: number; extra?: readonly TarEntry[] } = {},
): Uint8Array {
  const entries: TarEntry[] = [{ path: 'cifar-10-batches-bin/', type: 'directory' }];
  for (const [name, data] of makeCifarFiles(options))
    entries.push({ path: `cifar-10-batches-bin/${name}`, data });
  entries.push(...(options.extra ?? []));
  return makeTarGz(entries);
}

export interface TestServerOptions {
  /** Ignore `Range` requests and always send the whole file with status 200. */
  ignoreRange?: boolean;
  /** Cut the connection after this many body bytes of the first response. */
  truncateFirstAt?: number;
  /**
   * Resolves when the cut may happen, e.g. once the client has stored the bytes (see
   * `waitForFileSize`); default: 250 ms after the bytes were sent. A client that sees the connection
   * fail while bytes are still unread in its buffer drops them, so cutting early makes tests flaky.
   */
  beforeCut?: () => Promise<void>;
  /** Answer every request with this status and no body (e.g. 404). */
  status?: number;
}

export interface TestServer {
  url: string;
  /** The `Range` header of each request, or undefined when it had none. */
  ranges: (string | undefined)[];
  close: () => Promise<void>;
}

/**
 * Serves `body` at `http://127.0.0.1:<port>/cifar-10-binary.tar.gz` with an ETag and `Range`
 * support (`bytes=N-` answered with 206 and `Content-Range`), so tests can exercise downloads,
 * resumes and failures without the network.
 */
export async function serveBytes(
  body: Uint8Array,
  options: TestServerOptions = {},
): Promise<TestServer> {
  const { createServer } = await import('node:http');
  const ranges: (string | undefined)[] = [];
  const etag = `"${body.length}-${body[body.length - 1] ?? 0}"`;
  const server = createServer((request, response) => {
    ranges.push(request.headers.range);
    if (options.status) {
      response.writeHead(options.status).end();
      return;
    }
    const match = /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
    const ifRange = request.headers['if-range'];
    const start =
      match && !options.ignoreRange && (!ifRange || ifRange === etag) ? Number(match[1]) : 0;
    if (start >= body.length && start > 0) {
      response.writeHead(416, { 'Content-Range': `bytes */${body.length}` }).end();
      return;
    }
    const headers: Record<string, string | number> = {
      'Content-Length': body.length - start,
      'Content-Type': 'application/gzip',
      ETag: etag,
      'Accept-Ranges': options.ignoreRange ? 'none' : 'bytes',
    };
    if (start > 0) headers['Content-Range'] = `bytes ${start}-${body.length - 1}/${body.length}`;
    response.writeHead(start > 0 ? 206 : 200, headers);
    const slice = body.subarray(start);
    if (ranges.length === 1 && options.truncateFirstAt !== undefined) {
      const ready = options.beforeCut ?? (() => new Promise<void>((done) => setTimeout(done, 250)));
      response.write(slice.subarray(0, options.truncateFirstAt), () => {
        // A failing hook still cuts, so the client never hangs; the test's assertions catch the rest.
        Promise.resolve()
          .then(ready)
          .catch(() => undefined)
          .then(() => response.socket?.destroy());
      });
      return;
    }
    response.end(slice);
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/cifar-10-binary.tar.gz`,
    ranges,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}

/** Resolves once `path` holds `size` bytes, polling every 10 ms; gives up silently after `timeoutMs`. */
export async function waitForFileSize(
  path: string,
  size: number,
  timeoutMs = 10_000,
): Promise<void> {
  const { statSync } = await import('node:fs');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if (statSync(path).size >= size) return;
    } catch {
      // not created yet
    }
    await new Promise((done) => setTimeout(done, 10));
  }
}
