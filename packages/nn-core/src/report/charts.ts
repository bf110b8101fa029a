/**
 * Vega chart specs for the recipe's plots, rendered headless to SVG strings (no browser, no
 * canvas: vega's `none` renderer with `toSVG`). One line-chart builder serves the training curves,
 * the learning-rate schedule and the learning-rate finder.
 */
import type { Spec } from 'vega-typings';

export interface Series {
  name: string;
  points: ReadonlyArray<readonly [number, number]>;
  /** Drawn thin and pale: raw values under their smoothed line. */
  faint?: boolean;
  /** Dots at the points (default: only when the chart has few points, and never on a faint series). */
  dots?: boolean;
}

/** A vertical rule with a label at the top or the bottom of the plot. */
export interface Marker {
  x: number;
  label: string;
  /** Where the label goes: choose the side the curves leave free (default bottom). */
  labelAt?: 'top' | 'bottom';
}

export interface LineChartOptions {
  title: string;
  xTitle: string;
  yTitle: string;
  series: readonly Series[];
  xLog?: boolean;
  yLog?: boolean;
  /** Whole-number x values (epochs): ticks only at integers. */
  xInteger?: boolean;
  /** Vertical markers, e.g. the suggested learning rate or the best epoch. */
  markers?: readonly Marker[];
  /** Legend entries per row (default: all on one row). */
  legendColumns?: number;
  /** d3 format of the y axis, e.g. `~%` for accuracies (as many decimals as the ticks need). */
  yFormat?: string;
  width?: number;
  height?: number;
}

/** Tableau's category10: one colour per series or run, up to ten. */
export const PALETTE = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#9467bd',
  '#ff7f0e',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];

export function lineChartSpec(o: LineChartOptions): Spec {
  const total = o.series.reduce((n, s) => n + s.points.length, 0);
  const values = o.series.flatMap((s) =>
    s.points
      .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y))
      .map(([x, y]) => ({
        series: s.name,
        x,
        y,
        opacity: s.faint ? 0.35 : 1,
        width: s.faint ? 1 : 2,
        dot: (s.dots ?? (!s.faint && total <= 80)) ? 16 : 0,
      })),
  );
  const markerData = (o.markers ?? []).map((m) => ({
    x: m.x,
    label: m.label,
    top: m.labelAt === 'top',
  }));
  return {
    $schema: 'https://vega.github.io/schema/vega/v6.json',
    width: o.width ?? 380,
    height: o.height ?? 240,
    padding: 8,
    background: 'white',
    title: { text: o.title, anchor: 'start', fontSize: 14 },
    data: [
      { name: 'points', values },
      { name: 'marker', values: markerData },
    ],
    scales: [
      {
        name: 'x',
        type: o.xLog ? 'log' : 'linear',
        domain: { data: 'points', field: 'x' },
        range: 'width',
        zero: false,
        nice: !o.xLog,
      },
      {
        name: 'y',
        type: o.yLog ? 'log' : 'linear',
        domain: { data: 'points', field: 'y' },
        range: 'height',
        zero: false,
        nice: true,
      },
      { name: 'color', type: 'ordinal', domain: o.series.map((s) => s.name), range: PALETTE },
    ],
    axes: [
      {
        orient: 'bottom',
        scale: 'x',
        title: o.xTitle,
        grid: true,
        gridOpacity: 0.3,
        ...(o.xLog ? { format: '.0e' } : {}),
        ...(o.xInteger ? { format: 'd', tickMinStep: 1 } : {}),
      },
      {
        orient: 'left',
        scale: 'y',
        title: o.yTitle,
        grid: true,
        gridOpacity: 0.3,
        ...(o.yFormat ? { format: o.yFormat } : {}),
      },
    ],
    legends:
      o.series.length > 1
        ? [
            {
              stroke: 'color',
              orient: 'bottom',
              direction: 'horizontal',
              symbolType: 'stroke',
              labelLimit: 320,
              ...(o.legendColumns ? { columns: o.legendColumns } : {}),
              encode: { symbols: { update: { strokeWidth: { value: 2 } } } },
            },
          ]
        : [],
    marks: [
      {
        type: 'group',
        from: { facet: { name: 'bySeries', data: 'points', groupby: 'series' } },
        marks: [
          {
            type: 'line',
            from: { data: 'bySeries' },
            encode: {
              enter: {
                x: { scale: 'x', field: 'x' },
                y: { scale: 'y', field: 'y' },
                stroke: { scale: 'color', field: 'series' },
                strokeWidth: { field: 'width' },
                strokeOpacity: { field: 'opacity' },
              },
            },
          },
          {
            type: 'symbol',
            from: { data: 'bySeries' },
            encode: {
              enter: {
                x: { scale: 'x', field: 'x' },
                y: { scale: 'y', field: 'y' },
                fill: { scale: 'color', field: 'series' },
                size: { field: 'dot' },
              },
            },
          },
        ],
      },
      {
        type: 'rule',
        from: { data: 'marker' },
        encode: {
          enter: {
            x: { scale: 'x', field: 'x' },
            y: { value: 0 },
            y2: { signal: 'height' },
            stroke: { value: '#555' },
            strokeDash: { value: [4, 3] },
          },
        },
      },
      {
        type: 'text',
        from: { data: 'marker' },
        encode: {
          enter: {
            // Label on the inner side of the rule, at the top or bottom, clear of the legend.
            x: { signal: "scale('x', datum.x) + (scale('x', datum.x) > width / 2 ? -4 : 4)" },
            align: { signal: "scale('x', datum.x) > width / 2 ? 'right' : 'left'" },
            y: { signal: 'datum.top ? 12 : height - 6' },
            text: { field: 'label' },
            fontSize: { value: 11 },
            fill: { value: '#333' },
          },
        },
      },
    ],
  };
}

/**
 * Confusion matrix heat map: rows are true classes, columns predictions. `counts` shows the raw
 * counts; `shares` colours and labels each cell by its share of the row (the true class), so every
 * row sums to 1 and classes of any size compare. A colour legend gives the scale.
 */
export function confusionSpec(
  matrix: readonly (readonly number[])[],
  classNames: readonly string[],
  view: 'counts' | 'shares' = 'counts',
): Spec {
  const shares = rowShares(matrix);
  const values = matrix.flatMap((row, t) =>
    row.map((count, p) => ({
      truth: classNames[t] ?? String(t),
      predicted: classNames[p] ?? String(p),
      count,
      share: shares[t]?.[p] ?? 0,
    })),
  );
  const field = view === 'shares' ? 'share' : 'count';
  const max = view === 'shares' ? 1 : Math.max(1, ...values.map((v) => v.count));
  const cell = 34;
  return {
    $schema: 'https://vega.github.io/schema/vega/v6.json',
    width: cell * classNames.length,
    height: cell * classNames.length,
    padding: 8,
    background: 'white',
    title: {
      text:
        view === 'shares'
          ? 'Confusion matrix, test set: % of each true class'
          : 'Confusion matrix, test set: image counts',
      anchor: 'start',
      fontSize: 14,
    },
    data: [{ name: 'cells', values }],
    scales: [
      { name: 'x', type: 'band', domain: [...classNames], range: 'width' },
      { name: 'y', type: 'band', domain: [...classNames], range: 'height' },
      { name: 'color', type: 'linear', domain: [0, max], range: { scheme: 'blues' } },
    ],
    axes: [
      { orient: 'top', scale: 'x', title: 'predicted', labelAngle: -45, labelAlign: 'left' },
      { orient: 'left', scale: 'y', title: 'true class' },
    ],
    legends: [
      {
        fill: 'color',
        type: 'gradient',
        orient: 'right',
        title: view === 'shares' ? 'share of row' : 'images',
        gradientLength: cell * Math.min(classNames.length, 6),
        ...(view === 'shares' ? { format: '.0%' } : {}),
      },
    ],
    marks: [
      {
        type: 'rect',
        from: { data: 'cells' },
        encode: {
          enter: {
            x: { scale: 'x', field: 'predicted' },
            width: { scale: 'x', band: 1 },
            y: { scale: 'y', field: 'truth' },
            height: { scale: 'y', band: 1 },
            fill: { scale: 'color', field },
            // Read by screen readers and by the report's tests: the exact count and share.
            description: {
              signal:
                "'true ' + datum.truth + ', predicted ' + datum.predicted + ': ' + datum.count + ' images, share ' + datum.share",
            },
          },
        },
      },
      {
        type: 'text',
        from: { data: 'cells' },
        encode: {
          enter: {
            x: { scale: 'x', field: 'predicted', band: 0.5 },
            y: { scale: 'y', field: 'truth', band: 0.5 },
            text:
              view === 'shares'
                ? { signal: "datum.count === 0 ? '' : format(datum.share * 100, '.0f')" }
                : { field: 'count' },
            align: { value: 'center' },
            baseline: { value: 'middle' },
            fontSize: { value: 10 },
            fill: { signal: `datum.${field} > ${max / 2} ? 'white' : 'black'` },
          },
        },
      },
    ],
  };
}

/** Each row of a confusion matrix divided by its sum (a row of zeros stays zeros). */
export function rowShares(matrix: readonly (readonly number[])[]): number[][] {
  return matrix.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((c) => (total === 0 ? 0 : c / total));
  });
}

/** Horizontal bars, one per class, e.g. per-class accuracy in [0, 1]. */
export function barChartSpec(
  title: string,
  bars: ReadonlyArray<{ label: string; value: number }>,
): Spec {
  return {
    $schema: 'https://vega.github.io/schema/vega/v6.json',
    width: 360,
    height: 22 * bars.length,
    padding: 8,
    background: 'white',
    title: { text: title, anchor: 'start', fontSize: 14 },
    data: [{ name: 'bars', values: bars.map((b) => ({ ...b })) }],
    scales: [
      { name: 'x', type: 'linear', domain: [0, 1], range: 'width' },
      {
        name: 'y',
        type: 'band',
        domain: { data: 'bars', field: 'label' },
        range: 'height',
        padding: 0.15,
      },
    ],
    axes: [
      { orient: 'bottom', scale: 'x', format: '.0%', grid: true, gridOpacity: 0.3 },
      { orient: 'left', scale: 'y' },
    ],
    marks: [
      {
        type: 'rect',
        from: { data: 'bars' },
        encode: {
          enter: {
            x: { scale: 'x', value: 0 },
            x2: { scale: 'x', field: 'value' },
            y: { scale: 'y', field: 'label' },
            height: { scale: 'y', band: 1 },
            fill: { value: '#4c78a8' },
          },
        },
      },
      {
        type: 'text',
        from: { data: 'bars' },
        encode: {
          enter: {
            x: { scale: 'x', field: 'value', offset: 4 },
            y: { scale: 'y', field: 'label', band: 0.5 },
            text: { signal: "format(datum.value, '.1%')" },
            baseline: { value: 'middle' },
            fontSize: { value: 10 },
          },
        },
      },
    ],
  };
}

/** Renders a Vega spec to a standalone SVG document string, headless. */
export async function renderSvg(spec: Spec): Promise<string> {
  const vega = await import('./vega-runtime.js');
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
