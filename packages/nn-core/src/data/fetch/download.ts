import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { open, writeFile } from 'node:fs/promises';

export interface DownloadProgress {
  /** Bytes of the file on disk so far, including bytes kept from an earlier attempt. */
  received: number;
  /** Size of the whole file, when the server says. */
  total?: number;
  /** Bytes this attempt started from (0 unless it resumed). */
  resumedFrom: number;
}

export interface DownloadOptions {
  onProgress?: (progress: DownloadProgress) => void;
  /** Called when a kept partial file is discarded and the download starts over, with the reason. */
  onRestart?: (reason: string) => void;
}

/** What the server said about the file behind a partial download; decides whether resuming is safe. */
interface PartMeta {
  url: string;
  etag?: string;
  lastModified?: string;
  total?: number;
}

/** An HTTP answer that retrying will not change (404, 403, ...). */
export class HttpStatusError extends Error {
  override name = 'HttpStatusError';
}

const metaPath = (part: string) => `${part}.json`;

function readMeta(part: string): PartMeta | undefined {
  try {
    return JSON.parse(readFileSync(metaPath(part), 'utf8')) as PartMeta;
  } catch {
    return undefined;
  }
}

export function discardPartial(part: string): void {
  rmSync(part, { force: true });
  rmSync(metaPath(part), { force: true });
}

function parseContentRange(header: string | null): { start: number; total?: number } | undefined {
  const match = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(header?.trim() ?? '');
  if (!match) return undefined;
  return { start: Number(match[1]), total: match[2] === '*' ? undefined : Number(match[2]) };
}

/**
 * Downloads `url` into `part`, appending to what an earlier attempt left there. It asks for the rest
 * with a `Range` request guarded by `If-Range` (the ETag or Last-Modified seen before), so a server
 * that changed the file, ignores ranges, or answers with a different range makes it start over
 * from byte 0 instead of splicing two files. Resolves when the whole file is on disk; a lost
 * connection rejects and leaves `part` for the next attempt.
 */
export async function downloadWithResume(
  url: string,
  part: string,
  options: DownloadOptions = {},
): Promise<void> {
  let have = existsSync(part) ? statSync(part).size : 0;
  const meta = readMeta(part);
  if (have > 0 && meta?.url !== url) {
    options.onRestart?.(`the partial file came from ${meta?.url ?? 'an unknown URL'}`);
    discardPartial(part);
    have = 0;
  }
  if (have > 0 && meta?.total === have) return; // complete already (a run stopped after the download)
  const headers: Record<string, string> = {};
  if (have > 0) {
    headers.Range = `bytes=${have}-`;
    const validator = meta?.etag && !meta.etag.startsWith('W/') ? meta.etag : meta?.lastModified;
    if (validator) headers['If-Range'] = validator;
  }
  const response = await fetch(url, { headers, redirect: 'follow' });
  if (response.status === 416) {
    await response.body?.cancel();
    options.onRestart?.('the server refused the resume range');
    discardPartial(part);
    return downloadWithResume(url, part, options);
  }
  if (response.status !== 200 && response.status !== 206) {
    await response.body?.cancel();
    throw new HttpStatusError(`HTTP ${response.status} ${response.statusText} from ${url}`);
  }
  let total: number | undefined;
  let append = false;
  if (response.status === 206) {
    const range = parseContentRange(response.headers.get('content-range'));
    if (!range || range.start !== have) {
      await response.body?.cancel();
      options.onRestart?.(
        `the server answered with another range (${response.headers.get('content-range')})`,
      );
      discardPartial(part);
      return downloadWithResume(url, part, options);
    }
    total = range.total;
    append = true;
  } else {
    if (have > 0) options.onRestart?.('the server does not resume (it sent the whole file)');
    const length = response.headers.get('content-length');
    total = length === null ? undefined : Number(length);
    have = 0;
  }
  const newMeta: PartMeta = {
    url,
    ...(response.headers.get('etag') ? { etag: response.headers.get('etag') as string } : {}),
    ...(response.headers.get('last-modified')
      ? { lastModified: response.headers.get('last-modified') as string }
      : {}),
    ...(total !== undefined ? { total } : {}),
  };
  await writeFile(metaPath(part), JSON.stringify(newMeta));

  const resumedFrom = have;
  const file = await open(part, append ? 'a' : 'w');
  try {
    options.onProgress?.({ received: have, total, resumedFrom });
    const reader = response.body?.getReader();
    try {
      for (let read = await reader?.read(); read && !read.done; read = await reader?.read()) {
        await file.write(read.value);
        have += read.value.length;
        options.onProgress?.({ received: have, total, resumedFrom });
      }
    } catch (error) {
      const cause = (error as Error & { cause?: Error }).cause?.message;
      throw new Error(
        `connection lost after ${have} bytes (${(error as Error).message}${cause ? `: ${cause}` : ''})`,
      );
    }
  } finally {
    await file.close();
  }
  if (total !== undefined && have !== total) {
    throw new Error(`download of ${url} ended at ${have} of ${total} bytes`);
  }
}
