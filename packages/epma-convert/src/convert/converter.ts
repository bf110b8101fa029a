import { type AtomicWeights, STANDARD_WEIGHTS } from '../elements/index.js';
import { MINERAL_BASES, type MineralBasis, mineralBasis } from '../mineral/bases.js';
import { parseDecimal, readCell } from '../table/cells.js';
import { EpmaInputError, EpmaOptionError } from '../table/errors.js';
import type { Cell, OutputColumn } from '../table/format.js';
import { type HeaderOptions, headerKey, normaliseHeader } from '../table/headers.js';
import { type ColumnPlan, type CompositionColumn, planColumns } from './plan.js';
import {
  type BelowDetectionPolicy,
  type BlankPolicy,
  DEFAULT_BELOW_DETECTION,
  DEFAULT_BLANKS,
  DEFAULT_TOTAL_WINDOW,
  TOTAL_MISMATCH_TOLERANCE,
} from './policy.js';
import { createStats, type RowStats } from './stats.js';

/** Formula recalculation settings (`labkit epma formula`). */
export interface FormulaSettings {
  /** Oxygens per formula unit for every row; or per row from `oxygensColumn`. */
  oxygens?: number;
  /** A column holding each row's oxygens (mixed-mineral files); it is copied through too. */
  oxygensColumn?: string;
  fe3?: 'none' | 'droop';
  cations?: number;
  /** With droop: a column holding each row's ideal cations. */
  cationsColumn?: string;
}

export interface ConvertOptions extends HeaderOptions {
  /** `atomic` (default): at% per element. `formula`: atoms per formula unit on N oxygens. */
  mode?: 'atomic' | 'formula';
  belowDetection?: BelowDetectionPolicy;
  /** Blank composition cells (not analysed); see `DEFAULT_BLANKS`. */
  blanks?: BlankPolicy;
  totalWindow?: readonly [number, number];
  /** Add `<El> wt%` columns (element wt%, oxygen by stoichiometry). */
  elementWeight?: boolean;
  /** Add `<El> wt%` columns normalised to 100 wt%. */
  normalise?: boolean;
  weights?: AtomicWeights;
  formula?: FormulaSettings;
  decimalComma?: boolean;
  /** Name of the input in error messages. */
  source?: string;
}

/** Turns one computed row into output cells; the atomic and formula modes each provide one. */
export interface RowOutput {
  columns: OutputColumn[];
  /** Fills `out[offset...]`, may push flags; false when the row could not be converted. */
  fill(row: RowValues, out: Cell[], offset: number, flags: string[]): boolean;
}

/** The composition of one row after the below-detection policy, in reusable buffers. */
export interface RowValues {
  plan: ColumnPlan;
  /** wt% per composition column (0 where omitted). */
  values: Float64Array;
  /** 1 where the column holds a value for this row, 0 where the policy omitted it. */
  present: Uint8Array;
  /** Absolute 1-sigma wt% per composition column (0 without an uncertainty column). */
  sigma: Float64Array;
  /** Sum of the composition cells, wt%. */
  sum: number;
  line: number;
  /** This row's oxygen basis and ideal cations when they come from columns. */
  oxygens?: number;
  cations?: number;
}

const NO_FLAGS: readonly string[] = Object.freeze([]);

/**
 * Converts parsed rows (arrays of cell text) into output cells: pass-through columns, the mode's
 * columns, the analytical total and the flags naming every cell the below-detection policy touched
 * and every total outside the window or at odds with the sum.
 */
export class RowConverter {
  readonly plan: ColumnPlan;
  readonly columns: OutputColumn[];
  readonly stats: RowStats;
  readonly policy: BelowDetectionPolicy;
  readonly blanks: BlankPolicy;
  private readonly output: RowOutput;
  private readonly row: RowValues;
  private readonly decimalComma: boolean;
  private readonly source: string;
  private readonly window: readonly [number, number];
  /** wt% of oxygen equivalent to one wt% of each composition column (O = F, Cl; formula mode). */
  private readonly oxygenEquivalent: Float64Array;
  private readonly basis: { oxygens?: BasisColumn; cations?: BasisColumn };
  /** Droop without a fixed cation count: each row takes it from its mineral. */
  private readonly droopPerRow: boolean;

  /** @internal Users get one from `prepareText`; the mode's output is the package's own. */
  constructor(
    headers: readonly string[],
    makeOutput: (plan: ColumnPlan, options: ConvertOptions) => RowOutput,
    options: ConvertOptions = {},
    headerLine = 1,
  ) {
    this.source = options.source ?? 'input';
    checkBasisColumnsExist(headers, options);
    this.plan = planColumns(
      headers,
      options.weights ?? STANDARD_WEIGHTS,
      this.source,
      headerLine,
      withBasisPassThrough(options),
    );
    this.policy = options.belowDetection ?? DEFAULT_BELOW_DETECTION;
    this.blanks = options.blanks ?? DEFAULT_BLANKS;
    this.window = options.totalWindow ?? DEFAULT_TOTAL_WINDOW;
    this.decimalComma = options.decimalComma ?? false;
    this.output = makeOutput(this.plan, options);
    const n = this.plan.composition.length;
    this.row = {
      plan: this.plan,
      values: new Float64Array(n),
      present: new Uint8Array(n),
      sigma: new Float64Array(n),
      sum: 0,
      line: 0,
    };
    this.columns = [
      ...this.plan.passthrough.map((p): OutputColumn => ({ name: p.header, kind: 'text' })),
      ...this.output.columns,
      { name: 'Total wt%', kind: 'wt%' },
      { name: 'flags', kind: 'flags' },
    ];
    this.stats = createStats();
    const weights = options.weights ?? STANDARD_WEIGHTS;
    this.oxygenEquivalent = Float64Array.from(this.plan.composition, (c) =>
      options.mode === 'formula' && this.plan.hasOxides && (c.formula === 'F' || c.formula === 'Cl')
        ? weights.get('O') / (2 * weights.get(c.formula))
        : 0,
    );
    this.basis = {
      ...basisColumn(this.plan, options.formula?.oxygensColumn, 'oxygens'),
      ...basisColumn(this.plan, options.formula?.cationsColumn, 'cations'),
    };
    this.droopPerRow =
      options.mode === 'formula' &&
      options.formula?.fe3 === 'droop' &&
      options.formula.cations === undefined;
  }

  get warnings(): readonly string[] {
    return this.plan.warnings;
  }

  /** `record` holds the cells of one data line; `line` is its 1-based line number in the file. */
  convert(record: readonly string[], line: number): Cell[] {
    const plan = this.plan;
    if (record.length !== plan.headers.length) {
      throw new EpmaInputError(
        this.source,
        line,
        Math.min(record.length, plan.headers.length) + 1,
        `expected ${plan.headers.length} fields like the header, got ${record.length}`,
      );
    }
    let flags: string[] | undefined;
    const row = this.row;
    row.line = line;
    let sum = 0;
    const comps = plan.composition;
    for (let j = 0; j < comps.length; j++) {
      const c = comps[j] as CompositionColumn;
      const text = record[c.index] as string;
      let value = parseDecimal(text, this.decimalComma);
      let present = 1;
      if (!(value >= 0)) {
        flags ??= [];
        const resolved = this.resolveCell(c, text, value, line, flags);
        value = resolved ?? 0;
        present = resolved === undefined ? 0 : 1;
      }
      value *= c.scale;
      row.values[j] = value;
      row.present[j] = present;
      sum += value;
      if (c.sigmaIndex >= 0) {
        flags ??= [];
        row.sigma[j] = this.readSigma(c, record[c.sigmaIndex] as string, value, line, flags);
      }
    }
    row.sum = sum;
    const mineral = this.basis.oxygens
      ? this.readOxygens(this.basis.oxygens, record, line)
      : undefined;
    if (this.basis.oxygens) row.oxygens = mineral?.oxygens;
    if (this.basis.cations) row.cations = this.readBasis(this.basis.cations, record, line);
    else if (this.basis.oxygens && this.droopPerRow)
      row.cations = this.mineralCations(mineral, this.basis.oxygens, record, line);
    const out: Cell[] = new Array(this.columns.length);
    const passthrough = plan.passthrough;
    for (let i = 0; i < passthrough.length; i++)
      out[i] = record[(passthrough[i] as { index: number }).index] as string;
    flags ??= [];
    if (!this.output.fill(row, out, passthrough.length, flags)) this.stats.unconverted++;
    let halogenOxygen = 0;
    for (let j = 0; j < comps.length; j++)
      halogenOxygen += (row.values[j] as number) * (this.oxygenEquivalent[j] as number);
    const analytical = this.checkTotal(record, sum, sum - halogenOxygen, line, flags);
    out[out.length - 2] = analytical;
    out[out.length - 1] = flags.length ? flags : NO_FLAGS;
    this.stats.rows++;
    if (flags.length) this.stats.flaggedRows++;
    return out;
  }

  /** Applies the policy to a cell that is not a plain non-negative number; undefined means omitted. */
  private resolveCell(
    c: CompositionColumn,
    text: string,
    parsed: number,
    line: number,
    flags: string[],
  ): number | undefined {
    let shown: string;
    let negative = false;
    if (!Number.isNaN(parsed)) {
      negative = true;
      shown = text.trim();
    } else {
      const cell = readCell(text, this.decimalComma);
      if (cell.kind === 'invalid') {
        throw new EpmaInputError(
          this.source,
          line,
          c.index + 1,
          `expected a number or a below-detection marker in column "${c.header}", got "${text}"${!this.decimalComma && /^\s*-?\d*,\d+\s*$/.test(text) ? ' (numbers with a decimal comma? give --decimal-comma)' : ''}`,
        );
      }
      if (cell.kind === 'blank') {
        // Summarised once per column (stats), not flagged per cell: a blank is no measurement.
        if (this.blanks === 'zero') {
          this.stats.touch(c.header, 'blank set to 0');
          return 0;
        }
        this.stats.touch(c.header, 'blank (not analysed) left out');
        return undefined;
      }
      if (cell.kind === 'number') {
        if (cell.value >= 0) return cell.value;
        negative = true;
        parsed = cell.value;
        shown = text.trim();
      } else shown = cell.marker;
    }
    if (this.policy === 'omit') {
      flags.push(`${c.header} (${shown}) omitted`);
      this.stats.touch(c.header, negative ? 'negative omitted' : 'below detection omitted');
      return undefined;
    }
    if (negative && this.policy === 'keep') {
      flags.push(`${c.header} (${shown}) kept`);
      this.stats.touch(c.header, 'negative kept');
      return parsed;
    }
    flags.push(`${c.header} (${shown}) -> 0`);
    this.stats.touch(c.header, negative ? 'negative set to 0' : 'below detection set to 0');
    return 0;
  }

  private readSigma(
    c: CompositionColumn,
    text: string,
    value: number,
    line: number,
    flags: string[],
  ): number {
    const header = this.plan.headers[c.sigmaIndex] as string;
    let sigma = parseDecimal(text, this.decimalComma);
    if (Number.isNaN(sigma)) {
      const cell = readCell(text, this.decimalComma);
      if (cell.kind === 'invalid') {
        throw new EpmaInputError(
          this.source,
          line,
          c.sigmaIndex + 1,
          `expected a number (1-sigma uncertainty) in column "${header}", got "${text}"`,
        );
      }
      if (cell.kind === 'below' || cell.kind === 'blank') {
        // No uncertainty for a value that is itself zero or below detection is no news.
        if (value === 0) return 0;
        flags.push(`${header} (${cell.kind === 'blank' ? 'blank' : cell.marker}) -> 1σ 0`);
        this.stats.touch(header, 'missing uncertainty taken as 0');
        return 0;
      }
      sigma = cell.value;
    }
    if (sigma < 0) {
      throw new EpmaInputError(
        this.source,
        line,
        c.sigmaIndex + 1,
        `expected a non-negative uncertainty in column "${header}", got "${text}"`,
      );
    }
    return c.sigmaRelative ? (Math.abs(value) * sigma) / 100 : sigma * c.sigmaScale;
  }

  /**
   * A row's oxygens from its column: a positive number, a mineral name (`olivine`, `Cpx`, see
   * `mineral/bases.ts`), or none (blank).
   */
  private readOxygens(
    column: BasisColumn,
    record: readonly string[],
    line: number,
  ): Partial<MineralBasis> | undefined {
    const text = (record[column.index] as string).trim();
    if (text === '') return undefined;
    const value = parseDecimal(text, this.decimalComma);
    if (!Number.isNaN(value)) return { oxygens: this.readBasis(column, record, line) as number };
    const basis = mineralBasis(text);
    if (basis) return basis;
    throw new EpmaInputError(
      this.source,
      line,
      column.index + 1,
      `expected a number of oxygens per formula unit or a mineral labkit knows (${MINERAL_BASES.map((b) => b.mineral).join(', ')}, or abbreviations such as Ol, Cpx, Grt, Pl) in column "${column.header}", got "${text}"`,
    );
  }

  /** The ideal cations Droop's method needs for a row whose basis column gave its mineral. */
  private mineralCations(
    mineral: Partial<MineralBasis> | undefined,
    column: BasisColumn,
    record: readonly string[],
    line: number,
  ): number | undefined {
    if (mineral === undefined || mineral.cations !== undefined) return mineral?.cations;
    const why = mineral.mineral
      ? `${mineral.mineral} has no fixed cation count, so Droop's method does not apply to it as a cation total; give this row its cations with --cations-column, or leave out --fe3 droop`
      : `"${column.header}" gives ${(record[column.index] as string).trim()} oxygens but no mineral to take the ideal cations from; name the mineral in "${column.header}" (e.g. pyroxene), or give --cations or --cations-column`;
    throw new EpmaInputError(
      this.source,
      line,
      column.index + 1,
      `--fe3 droop needs this row's ideal cations: ${why}`,
    );
  }

  /** A row's oxygens or ideal cations from its column: a positive number, or none (blank). */
  private readBasis(
    column: BasisColumn,
    record: readonly string[],
    line: number,
  ): number | undefined {
    const text = record[column.index] as string;
    if (text.trim() === '') return undefined;
    const value = parseDecimal(text.trim(), this.decimalComma);
    if (!(value > 0)) {
      throw new EpmaInputError(
        this.source,
        line,
        column.index + 1,
        `expected a positive number of ${column.what} per formula unit in column "${column.header}", got "${text}"`,
      );
    }
    return value;
  }

  /** The analytical total: the input Total column when there is one, else the sum of the cells. */
  private checkTotal(
    record: readonly string[],
    rawSum: number,
    sum: number,
    line: number,
    flags: string[],
  ): number {
    let analytical = sum;
    const index = this.plan.totalIndex;
    if (index >= 0) {
      const text = record[index] as string;
      const parsed = parseDecimal(text, this.decimalComma);
      const cell: ReturnType<typeof readCell> = Number.isNaN(parsed)
        ? readCell(text, this.decimalComma)
        : { kind: 'number', value: parsed };
      if (cell.kind === 'invalid') {
        throw new EpmaInputError(
          this.source,
          line,
          index + 1,
          `expected a number in column "${this.plan.headers[index]}" (the analytical total), got "${text}"`,
        );
      }
      if (cell.kind === 'number') {
        analytical = cell.value;
        // An instrument total may or may not subtract O = F, Cl: either agrees.
        const off = (expected: number) =>
          Math.abs(cell.value - expected) > TOTAL_MISMATCH_TOLERANCE;
        if (off(sum) && off(rawSum)) {
          flags.push(`Total ${text.trim()} != sum ${sum.toFixed(2)}`);
          this.stats.totalMismatch++;
        }
      }
    }
    const lo = this.window[0];
    const hi = this.window[1];
    if (analytical < lo || analytical > hi) {
      flags.push(`total ${analytical.toFixed(2)} outside ${lo}-${hi}`);
      this.stats.outsideWindow++;
    }
    return analytical;
  }
}

/** The columns named for each row's oxygens or cations exist (checked before the header is read). */
function checkBasisColumnsExist(headers: readonly string[], options: ConvertOptions): void {
  const keys = new Set(headers.map(headerKey));
  for (const [option, label] of [
    ['oxygensColumn', 'oxygens column'],
    ['cationsColumn', 'cations column'],
  ] as const) {
    const name = options.formula?.[option];
    if (name === undefined || keys.has(headerKey(name))) continue;
    const detail = `"${name}": there is no such column (columns: ${headers.map((h) => `"${normaliseHeader(h)}"`).join(', ')})`;
    throw new EpmaOptionError(`${label} ${detail}`, { option, detail });
  }
}

/** The oxygens and cations columns are text to copy through, whatever their header spells (`O`). */
function withBasisPassThrough(options: ConvertOptions): HeaderOptions {
  const named = new Set((options.passThrough ?? []).map(headerKey));
  const basis = [options.formula?.oxygensColumn, options.formula?.cationsColumn].filter(
    (name): name is string => name !== undefined && !named.has(headerKey(name)),
  );
  return {
    ...(options.aliases ? { aliases: options.aliases } : {}),
    passThrough: [...(options.passThrough ?? []), ...basis],
  };
}

interface BasisColumn {
  index: number;
  header: string;
  what: 'oxygens' | 'cations';
}

/** The pass-through column that holds each row's oxygens or cations, if one is named. */
function basisColumn(
  plan: ColumnPlan,
  name: string | undefined,
  what: BasisColumn['what'],
): Partial<Record<BasisColumn['what'], BasisColumn>> {
  if (name === undefined) return {};
  const column = plan.passthrough.find((p) => headerKey(p.header) === headerKey(name));
  if (!column) {
    throw new EpmaOptionError(
      `${what} column "${name}": expected one of the text columns (${plan.passthrough.map((p) => `"${p.header}"`).join(', ') || 'none'})`,
    );
  }
  return { [what]: { index: column.index, header: column.header, what } };
}
