import { Writable } from 'node:stream';
import { runCli } from '@labkit/cli';

export interface LabkitRun {
  code: number;
  stdout: string;
  stderr: string;
}

function collector(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** Runs a labkit command in-process, exactly as the binary would, and captures what it prints. */
export async function runLabkit(args: readonly string[], cwd: string): Promise<LabkitRun> {
  const stdout = collector();
  const stderr = collector();
  const code = await runCli(args, {
    stdout: stdout.stream,
    stderr: stderr.stream,
    cwd,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
