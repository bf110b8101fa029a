import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CommandIO, OptionSpec, ParsedOptions } from '../define.js';
import { UsageError } from '../errors.js';
import { choiceOption, numberOption, stringOption } from '../options.js';

/** Light copies of the library's option words, so that `--help` needs no library import. */
const FORMATS = ['csv', 'json', 'md', 'latex'] as const;
const POLICIES = ['zero', 'omit', 'keep'] as const;
const DELIMITERS: Record<string, ',' | ';' | '\t'> = {
  ',': ',',
  comma: ',',
  ';': ';',
  semicolon: ';',
  tab: '\t',
  '\\t': '\t',
  '\t': '\t',
};

/** Flags shared by `labkit epma convert` and `labkit epma formula`. */
export const TABLE_INPUT_OPTIONS: readonly OptionSpec[] = [
  {
    flags: '--format <format>',
    description: 'Output format: csv, json, md (Markdown) or latex (booktabs)',
    default: 'csv',
  },
  {
    flags: '-o, --out <file>',
    description: 'Write to this file (atomically: temp file, then rename) instead of stdout',
  },
  {
    flags: '--decimals <n>',
    description:
      'Digits after the decimal point (default: full precision for csv/json, rounded per column for md/latex)',
  },
  {
    flags: '--below-detection <policy>',
    description:
      'Cells like <0.02, bdl, n.d., -, blank and negatives: zero (count as 0), omit (leave out), keep (keep negatives, markers as 0)',
    default: 'zero',
  },
  {
    flags: '--total-window <lo,hi>',
    description: 'Flag rows whose analytical total (wt%) is outside this window',
    default: '98,102',
  },
  { flags: '--delimiter <d>', description: "Field delimiter: ',', ';' or tab (default: detected)" },
  { flags: '--decimal-comma', description: 'Numbers use a decimal comma (default: detected)' },
  { flags: '--decimal-point', description: 'Numbers use a decimal point (default: detected)' },
  {
    flags: '--weights <file>',
    description: 'JSON file of atomic-weight overrides, e.g. {"Fe": 55.845}',
  },
  {
    flags: '--group-by <column>',
    description: 'Print per-group mean, sd and n by this column instead of the rows',
  },
];

export interface TableInputSettings {
  file: string;
  format: (typeof FORMATS)[number];
  out?: string;
  decimals?: number;
  belowDetection: (typeof POLICIES)[number];
  totalWindow: [number, number];
  dialect: { delimiter?: ',' | ';' | '\t'; decimalComma?: boolean };
  weightsFile?: string;
  groupBy?: string;
}

/** Reads and checks the shared flags; every problem is a usage error (exit 2). */
export function readTableInput(
  args: string[],
  options: ParsedOptions,
  io: CommandIO,
): TableInputSettings {
  // Without a file (cac drops a lone '-'), piped input is read from stdin.
  const file = args[0] ?? (process.stdin.isTTY ? undefined : '-');
  if (!file) throw new UsageError('expected an input file, or data piped to stdin');
  const windowText = stringOption(options, 'totalWindow') ?? '98,102';
  const window = windowText.split(',').map((s) => Number(s.trim()));
  const [lo, hi] = window;
  if (
    window.length !== 2 ||
    lo === undefined ||
    hi === undefined ||
    !Number.isFinite(lo) ||
    !Number.isFinite(hi) ||
    lo >= hi
  ) {
    throw new UsageError(
      `--total-window expects two increasing numbers like 98,102; got "${windowText}"`,
    );
  }
  const delimiterText = stringOption(options, 'delimiter');
  const delimiter =
    delimiterText === undefined ? undefined : DELIMITERS[delimiterText.toLowerCase()];
  if (delimiterText !== undefined && !delimiter)
    throw new UsageError(`--delimiter must be ',', ';' or tab; got "${delimiterText}"`);
  if (options.decimalComma && options.decimalPoint)
    throw new UsageError('--decimal-comma and --decimal-point contradict each other');
  const decimalComma = options.decimalComma ? true : options.decimalPoint ? false : undefined;
  const out = stringOption(options, 'out');
  const decimals = numberOption(options, 'decimals', { min: 0, max: 20, integer: true });
  const weightsFile = stringOption(options, 'weights');
  const groupBy = stringOption(options, 'groupBy');
  return {
    file: file === '-' ? file : resolve(io.cwd, file),
    format: choiceOption(options, 'format', FORMATS) ?? 'csv',
    ...(out === undefined ? {} : { out: resolve(io.cwd, out) }),
    ...(decimals === undefined ? {} : { decimals }),
    belowDetection: choiceOption(options, 'belowDetection', POLICIES) ?? 'zero',
    totalWindow: [lo, hi],
    dialect: {
      ...(delimiter ? { delimiter } : {}),
      ...(decimalComma === undefined ? {} : { decimalComma }),
    },
    ...(weightsFile === undefined ? {} : { weightsFile: resolve(io.cwd, weightsFile) }),
    ...(groupBy === undefined ? {} : { groupBy }),
  };
}

/** Atomic weights with the user's overrides, if any. */
export async function loadWeights(weightsFile: string | undefined) {
  const { AtomicWeights, parseWeightOverrides } = await import('@labkit/epma-convert');
  if (weightsFile === undefined) return new AtomicWeights();
  const text = await readFile(weightsFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new Error(
      `cannot read --weights file ${weightsFile}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`,
    );
  });
  return new AtomicWeights(parseWeightOverrides(text, weightsFile));
}

/**
 * Runs a conversion (`convert` or `formula`) from file to stdout or `-o`, printing column
 * warnings, progress on a terminal, and the below-detection/total summary on stderr.
 */
export async function runTableCommand(
  name: string,
  settings: TableInputSettings,
  io: CommandIO,
  extra: Record<string, unknown>,
): Promise<number> {
  const [{ convertFile }, { describeStats }] = await Promise.all([
    import('@labkit/epma-convert/node'),
    import('@labkit/epma-convert'),
  ]);
  const weights = await loadWeights(settings.weightsFile);
  if (settings.file !== '-') {
    const { stat } = await import('node:fs/promises');
    const info = await stat(settings.file).catch(() => undefined);
    if (!info?.isFile()) throw new Error(`cannot read ${settings.file}: no such file`);
  }
  const prefix = `labkit epma ${name}`;
  const progress = io.stderr.isTTY === true;
  // A reader that stops early (`| head`) closes the pipe: stop quietly, like other Unix tools.
  let pipeClosed = false;
  const onStdoutError = (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') pipeClosed = true;
  };
  io.stdout.on('error', onStdoutError);
  const result = await convertFile(settings.file, {
    ...extra,
    format: settings.format,
    ...(settings.out ? { outFile: settings.out } : { stdout: io.stdout }),
    ...(settings.decimals === undefined ? {} : { decimals: settings.decimals }),
    ...(settings.groupBy === undefined ? {} : { groupBy: settings.groupBy }),
    belowDetection: settings.belowDetection,
    totalWindow: settings.totalWindow,
    dialect: settings.dialect,
    weights,
    onHeader: ({ warnings }) => {
      for (const w of warnings) io.stderr.write(`${prefix}: warning: ${w}\n`);
    },
    ...(progress
      ? {
          onProgress: (rows: number) =>
            io.stderr.write(`\r${prefix}: ${rows.toLocaleString('en')} rows...`),
          progressEvery: 50_000,
        }
      : {}),
  }).catch((error: NodeJS.ErrnoException) => {
    if (pipeClosed || error.code === 'EPIPE') return undefined;
    throw error;
  });
  io.stdout.off('error', onStdoutError);
  if (!result) return 0;
  if (progress && result.stats.rows >= 50_000) io.stderr.write('\n');
  const lines = describeStats(result.stats, settings.totalWindow);
  const delimiterName = result.dialect.delimiter === '\t' ? 'tab' : `'${result.dialect.delimiter}'`;
  io.stderr.write(
    `${prefix}: ${result.stats.rows} row${result.stats.rows === 1 ? '' : 's'} (delimiter ${delimiterName}, decimal ${result.dialect.decimalComma ? 'comma' : 'point'}, below detection: ${settings.belowDetection})` +
      `${settings.out ? `, written to ${settings.out}` : ''}\n`,
  );
  for (const line of lines) io.stderr.write(`  ${line}\n`);
  return 0;
}
