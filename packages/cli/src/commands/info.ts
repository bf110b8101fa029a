import { defineCommand } from '../define.js';
import { loadNnCore } from '../nn-core.js';
import { BACKEND_FLAG, backendOption, THREADS_FLAG, threadsOption } from '../options.js';
import { version } from '../version.js';

export default defineCommand({
  path: ['info'],
  description: 'Show versions and the TF.js backend that training would use',
  options: [BACKEND_FLAG, THREADS_FLAG, { flags: '--json', description: 'Print one JSON object' }],
  examples: ['labkit info', 'labkit info --backend cpu --json'],
  async action(_args, options, io) {
    const request = backendOption(options) ?? 'auto';
    const { describeBackend, initBackend } = await loadNnCore();
    const backend = await initBackend(request, threadsOption(options));
    const facts = {
      labkit: version,
      node: process.versions.node,
      platform: `${process.platform}-${process.arch}`,
      backend: backend.name,
      ...(backend.threads !== undefined ? { threads: backend.threads } : {}),
      ...(backend.threadChoice ? { threadChoice: backend.threadChoice } : {}),
      ...(backend.kernelOverrides?.length ? { kernelOverrides: backend.kernelOverrides } : {}),
      ...(backend.fallbackReason ? { fallbackReason: backend.fallbackReason } : {}),
    };
    if (options.json) {
      io.stdout.write(`${JSON.stringify(facts)}\n`);
    } else {
      io.stdout.write(`labkit ${facts.labkit} on Node ${facts.node} (${facts.platform})\n`);
      io.stdout.write(
        `TF.js backend: ${describeBackend({ ...backend, fallbackReason: undefined })}\n`,
      );
      if (backend.threadChoice) io.stdout.write(`  threads: ${backend.threadChoice}\n`);
      if (backend.kernelOverrides?.length)
        io.stdout.write(`  tuned kernels: ${backend.kernelOverrides.join(', ')}\n`);
      if (backend.fallbackReason)
        io.stdout.write(`  faster backends passed over: ${backend.fallbackReason}\n`);
    }
    return 0;
  },
});
