import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** Hex MD5 of a file, streamed so a 170 MB archive never sits in memory. */
export async function md5File(path: string): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
