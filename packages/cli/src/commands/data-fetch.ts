import { CIFAR10_MD5, CIFAR10_URL } from '@labkit/nn-core/config';
import { defineCommand } from '../define.js';
import { UsageError } from '../errors.js';
import { stringOption } from '../options.js';

const DATASETS = ['cifar10'] as const;

export default defineCommand({
  path: ['data', 'fetch'],
  args: '<dataset>',
  description:
    'Download a data set (cifar10: the official binary version, 170 MB), verify its MD5 and extract it.\n' +
    'Target: --dir, else LABKIT_CIFAR10_DIR, else ~/.cache/labkit/cifar10 ($XDG_CACHE_HOME/labkit/cifar10).\n' +
    'An interrupted download resumes on the next run; the target appears only once it is complete.',
  options: [
    {
      flags: '--dir <dir>',
      description: 'Where to put the data set (default: LABKIT_CIFAR10_DIR, then the cache)',
    },
    {
      flags: '--url <url>',
      description: `Archive URL, e.g. a mirror (default: ${CIFAR10_URL})`,
    },
    {
      flags: '--md5 <hex>',
      description: `Expected MD5 of the archive (default: ${CIFAR10_MD5}, the published one)`,
    },
    { flags: '--force', description: 'Download again even if the data set is already there' },
  ],
  examples: ['labkit data fetch cifar10', 'labkit data fetch cifar10 --dir ~/data/cifar10'],
  async action(args, options, io) {
    const dataset = args[0];
    if (!DATASETS.includes(dataset as (typeof DATASETS)[number])) {
      throw new UsageError(`unknown data set '${dataset}'; available: ${DATASETS.join(', ')}`);
    }
    const md5 = stringOption(options, 'md5');
    if (md5 !== undefined && !/^[0-9a-fA-F]{32}$/.test(md5)) {
      throw new UsageError(`--md5 expects 32 hexadecimal digits, got "${md5}"`);
    }
    const url = stringOption(options, 'url');
    if (url !== undefined && !/^https?:\/\//.test(url)) {
      throw new UsageError(`--url expects an http:// or https:// address, got "${url}"`);
    }
    const { fetchCifar10, fetchTarget, createDownloadProgressReporter } = await import(
      '@labkit/nn-core/data'
    );
    const dir = fetchTarget(stringOption(options, 'dir'), io.env);
    const progress = createDownloadProgressReporter(
      (text) => io.stderr.write(text),
      Boolean(io.stderr.isTTY),
    );
    let result: { dir: string; downloaded: boolean };
    try {
      result = await fetchCifar10({
        dir,
        url,
        md5,
        force: Boolean(options.force),
        env: io.env,
        onProgress: progress.update,
        onStatus: (message) => {
          progress.done();
          io.stderr.write(`${message}\n`);
        },
      });
    } finally {
      progress.done();
    }
    io.stdout.write(
      result.downloaded
        ? `CIFAR-10 is ready in ${result.dir}\n`
        : `CIFAR-10 is already complete in ${result.dir}; nothing to do (--force downloads it again)\n`,
    );
    return 0;
  },
});
