import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CommandIO, OptionSpec, ParsedOptions } from '../define.js';
import { UsageError } from '../errors.js';
import {
  choiceOption,
  commaListOption,
  numberOption,
  repeatedOption,
  stringOption,
} from '../options.js';

/** Light copies of the library's option words, so that `--help` needs no library import. */
const FORMATS = ['csv', 'json', 'md', 'latex'] as const;
const POLICIES = ['zero', 'omit', 'keep'] as const;
const BLANKS = ['not-analysed', 'zero'] as const;
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
    description:
      'Write to this file instead of stdout: atomically (temp file, then rename), never onto the input; a symlink keeps pointing at the file written; FIFOs and devices are written directly',
  },
  {
    flags: '--decimals <n>',
    description:
      'Digits after the decimal point (default: full precision for csv/json, rounded per column for md/latex)',
  },
  {
    flags: '--below-detection <policy>',
    description:
      'Cells like <0.02, bdl, n.d., - and negatives: zero (count as 0), omit (leave out), keep (keep negatives, markers as 0)',
    default: 'zero',
  },
  {
    flags: '--blanks <policy>',
    description:
      'Blank cells and n.a., NA, N/A (element not analysed): not-analysed (left out of the row and of group means) or zero (count as 0)',
    default: 'not-analysed',
  },
  {
    flags: '--alias <header=what>',
    description:
      'Say what a column holds when labkit does not know its header, e.g. --alias "Fe tot=FeO" or "Summe=Total" (repeatable)',
    repeatable: true,
  },
  {
    flags: '--pass-through <header>',
    description:
      'Copy this column through as text, not as composition (e.g. one of two Si columns; repeatable)',
    repeatable: true,
  },
  {
    flags: '--encoding <name>',
    description:
      'Input encoding, e.g. utf-8, utf-16le, windows-1252, shift_jis (default: detected: UTF-8/UTF-16 by BOM or bytes, else Windows-1252, said on stderr)',
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
  blanks: (typeof BLANKS)[number];
  aliases: Record<string, string>;
  passThrough: string[];
  encoding?: string;
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
  const window = (commaListOption(options, 'totalWindow') ?? []).map(Number);
  const [lo, hi] = window;
  if (
    window.length !== 2 ||
    lo === undefined ||
    hi === undefined ||
    !Number.isFinite(lo) ||
    !Number.isFinite(hi) ||
    lo >= hi
  ) {
    const infinite = /inf/i.test(windowText)
      ? ' (an infinite bound is not a window: for "no lower limit" give 0, e.g. 0,105)'
      : '';
    throw new UsageError(
      `--total-window expects two finite, increasing numbers like 98,102; got "${windowText}"${infinite}`,
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
  const out = stringOption(options, 'out', 'a file name');
  const decimals = numberOption(options, 'decimals', { min: 0, max: 20, integer: true });
  const weightsFile = stringOption(options, 'weights');
  const groupBy = stringOption(options, 'groupBy');
  const aliases: Record<string, string> = {};
  for (const alias of repeatedOption(options, 'alias')) {
    const at = alias.lastIndexOf('=');
    const header = alias.slice(0, at).trim();
    const what = alias.slice(at + 1).trim();
    if (at === -1 || header === '' || what === '')
      throw new UsageError(`--alias expects HEADER=WHAT, e.g. "Fe tot=FeO"; got "${alias}"`);
    if (header in aliases) throw new UsageError(`--alias names "${header}" twice`);
    aliases[header] = what;
  }
  const encoding = stringOption(options, 'encoding');
  return {
    file: file === '-' ? file : resolve(io.cwd, file),
    format: choiceOption(options, 'format', FORMATS) ?? 'csv',
    ...(out === undefined ? {} : { out: resolve(io.cwd, out) }),
    ...(decimals === undefined ? {} : { decimals }),
    belowDetection: choiceOption(options, 'belowDetection', POLICIES) ?? 'zero',
    blanks: choiceOption(options, 'blanks', BLANKS) ?? 'not-analysed',
    aliases,
    passThrough: repeatedOption(options, 'passThrough'),
    ...(encoding === undefined ? {} : { encoding }),
    totalWindow: [lo, hi],
    dialect: {
      ...(delimiter ? { delimiter } : {}),
      ...(decimalComma === undefined ? {} : { decimalComma }),
    },
    ...(weightsFile === undefined ? {} : { weightsFile: resolve(io.cwd, weightsFile) }),
    ...(groupBy === undefined ? {} : { groupBy }),
  };
}

/** Why a file cannot be read, in plain words. */
const READ_FAILURES: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory, not a file',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many levels of symbolic links',
  EIO: 'an input/output error occurred on the device',
};

/** Atomic weights with the user's overrides, if any. */
export async function loadWeights(weightsFile: string | undefined) {
  const { AtomicWeights, parseWeightOverrides } = await import('@labkit/epma-convert');
  if (weightsFile === undefined) return new AtomicWeights();
  const text = await readFile(weightsFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
    const reason = (error.code && READ_FAILURES[error.code]) ?? error.message;
    throw new Error(`cannot read the --weights file ${weightsFile}: ${reason}`);
  });
  return new AtomicWeights(parseWeightOverrides(text, weightsFile));
}

/** Checks the input path before reading: a missing file and a directory are told apart. */
async function checkInput(file: string): Promise<void> {
  if (file === '-') return;
  const [{ access, stat }, { constants }] = await Promise.all([
    import('node:fs/promises'),
    import('node:fs'),
  ]);
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    const reason = (error.code && READ_FAILURES[error.code]) ?? error.message;
    throw new Error(`cannot read ${file}: ${reason}`);
  });
  if (info.isDirectory()) throw new Error(`cannot read ${file}: it is a directory, not a file`);
  await access(file, constants.R_OK).catch(() => {
    throw new Error(`cannot read ${file}: permission denied`);
  });
}

/**
 * Text that reads like another encoding decoded as Windows-1252 (Shift_JIS `質量%` shows as
 * `Ž¿—Ê%`): characters of the 0x80-0x9F block, or two Latin-1 letters or signs in a row.
 */
const looksGarbled = (text: string) =>
  /[\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]|[\u00a1-\u00ff]{2}/.test(
    text,
  );

/**
 * The library's typed errors, told the way a command-line user can act on: the flag that fixes
 * them, and exit 2 for options that do not fit the input. `guessedEncoding`: the encoding labkit
 * fell back to, when it guessed one.
 */
async function explain(error: unknown, guessedEncoding?: string): Promise<unknown> {
  const lib = await import('@labkit/epma-convert');
  const { SameFileError } = await import('@labkit/epma-convert/node');
  if (error instanceof lib.EpmaOptionError && error.about) {
    // The library's option names are the flags in camelCase: `oxygensColumn` is --oxygens-column.
    const flag = error.about.option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    return new UsageError(`--${flag} ${error.about.detail}`);
  }
  if (error instanceof lib.EpmaOptionError || error instanceof SameFileError)
    return new UsageError(error.message);
  if (error instanceof lib.UnrecognisedColumnsError) {
    const first = error.columns[0];
    const header = first?.header ?? '';
    const alias = first?.meant
      ? `--alias "${header}=${first.meant}"`
      : `--alias "${header}=WHAT" (WHAT: an element, oxide or Total, e.g. FeO)`;
    const fix = `say what ${error.columns.length === 1 ? 'it holds' : 'each holds'} with ${alias}, or keep it as text with --pass-through "${header}"`;
    if (error.columns.every((c) => c.notWeightPercent))
      return new Error(
        `${error.message}. labkit leaves no measured element out quietly: to convert without it, say so with --pass-through "${header}"`,
      );
    if (guessedEncoding !== undefined && error.columns.some((c) => looksGarbled(c.header)))
      return new Error(
        `${error.message}. The header looks garbled: labkit guessed the encoding ${guessedEncoding}, which is likely wrong; give the file's encoding, e.g. --encoding shift_jis (Japanese instruments). If the header is right, ${fix}`,
      );
    return new Error(`${error.message}. labkit leaves no composition column out: ${fix}`);
  }
  if (error instanceof lib.ColumnsOverlapError) {
    const last = error.columns[error.columns.length - 1]?.header ?? '';
    return new Error(`${error.message} (e.g. --pass-through "${last}" keeps it as text)`);
  }
  return error;
}

/** `3 characters had no LaTeX form and were written as ?: 日 (U+65E5) 2 times, ...` */
function describeUnmapped(unmapped: ReadonlyMap<string, number>): string {
  const total = [...unmapped.values()].reduce((a, b) => a + b, 0);
  const each = [...unmapped].map(
    ([ch, n]) =>
      `${ch} (U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')})${n > 1 ? ` ${n} times` : ''}`,
  );
  return `${total} character${total === 1 ? '' : 's'} had no LaTeX form and ${total === 1 ? 'was' : 'were'} written as ?: ${each.join(', ')}`;
}

/**
 * Runs a conversion (`convert` or `formula`) from file to stdout or `-o`, printing column
 * warnings, the encoding when guessed, progress on a terminal, and the below-detection/total
 * summary on stderr. JSON, Markdown and LaTeX reach stdout only when the whole conversion
 * succeeded; CSV streams, and a failure after some rows says how many were written.
 */
export async function runTableCommand(
  name: string,
  settings: TableInputSettings,
  io: CommandIO,
  extra: Record<string, unknown>,
): Promise<number> {
  const [{ convertFile, PartialOutputError }, { describeStats, checkEncoding, EpmaOptionError }] =
    await Promise.all([import('@labkit/epma-convert/node'), import('@labkit/epma-convert')]);
  if (settings.encoding !== undefined) {
    try {
      checkEncoding(settings.encoding);
    } catch (error) {
      if (error instanceof EpmaOptionError) throw new UsageError(`--encoding: ${error.message}`);
      throw error;
    }
  }
  const weights = await loadWeights(settings.weightsFile);
  await checkInput(settings.file);
  const prefix = `labkit epma ${name}`;
  let guessedEncoding: string | undefined;
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
    ...(settings.weightsFile === undefined ? {} : { alsoReads: [settings.weightsFile] }),
    ...(settings.decimals === undefined ? {} : { decimals: settings.decimals }),
    ...(settings.groupBy === undefined ? {} : { groupBy: settings.groupBy }),
    ...(settings.encoding === undefined ? {} : { encoding: settings.encoding }),
    belowDetection: settings.belowDetection,
    blanks: settings.blanks,
    aliases: settings.aliases,
    passThrough: settings.passThrough,
    totalWindow: settings.totalWindow,
    dialect: settings.dialect,
    weights,
    // Before the header is read: garbled header names in an error must come with the reason.
    onEncoding: (encoding) => {
      if (encoding.fallback) guessedEncoding = encoding.encoding;
      if (encoding.fallback)
        io.stderr.write(
          `${prefix}: warning: read as ${encoding.encoding} because ${encoding.reason}; if that is wrong, give --encoding (e.g. shift_jis)\n`,
        );
    },
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
  }).catch(async (error: NodeJS.ErrnoException) => {
    const cause = error instanceof PartialOutputError ? error.cause : error;
    if (pipeClosed || (cause as NodeJS.ErrnoException)?.code === 'EPIPE') return undefined;
    if (error instanceof PartialOutputError) {
      io.stderr.write(`labkit: error: ${error.message}\n`);
      io.stderr.write(
        `${prefix}: the output is incomplete: stopped after ${error.rowsWritten} data row${error.rowsWritten === 1 ? '' : 's'} written to ${settings.out ?? 'stdout'}\n`,
      );
      return null;
    }
    throw await explain(error, guessedEncoding);
  });
  io.stdout.off('error', onStdoutError);
  if (result === null) return 1;
  if (!result) return 0;
  if (progress && result.stats.rows >= 50_000) io.stderr.write('\n');
  const lines = describeStats(result.stats, settings.totalWindow);
  const delimiterName = result.dialect.delimiter === '\t' ? 'tab' : `'${result.dialect.delimiter}'`;
  io.stderr.write(
    `${prefix}: ${result.stats.rows} row${result.stats.rows === 1 ? '' : 's'} (encoding ${result.encoding.encoding}, delimiter ${delimiterName}, decimal ${result.dialect.decimalComma ? 'comma' : 'point'}, below detection: ${settings.belowDetection}, blanks: ${settings.blanks})` +
      `${settings.out ? `, written to ${settings.out}` : ''}\n`,
  );
  for (const line of lines) io.stderr.write(`  ${line}\n`);
  if (result.unmapped.size > 0)
    io.stderr.write(`${prefix}: warning: ${describeUnmapped(result.unmapped)}\n`);
  if (result.stats.rows > 0 && result.stats.unconverted === result.stats.rows) {
    io.stderr.write(
      `labkit: error: ${prefix}: none of the ${result.stats.rows} row${result.stats.rows === 1 ? '' : 's'} could be converted (their flags say why)\n`,
    );
    return 1;
  }
  return 0;
}
