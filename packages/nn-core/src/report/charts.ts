/**
 * Vega chart specs for the recipe's plots, rendered headless to SVG strings (no browser, no
 * canvas: vega's `none` renderer with `toSVG`). One line-chart builder serves the training curves,
 * the learning-rate schedule and the learning-rate finder.
 */
import type { Spec } from 'vega-typings';

export interface Series {
  name: string;
  points: ReadonlyArray<readonly [number, number]>;
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
  /** Vertical marker, e.g. the suggested learning rate or the best epoch. */
  marker?: { x: number; label: string };
  width?: number;
  height?: number;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e'];

export function lineChartSpec(o: LineChartOptions): Spec {
  const values = o.series.flatMap((s) =>
    s.points
      .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y))
      .map(([x, y]) => ({ series: s.name, x, y })),
  );
  const markerData = o.marker ? [{ x: o.marker.x, label: o.marker.label }] : [];
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
      { orient: 'left', scale: 'y', title: o.yTitle, grid: true, gridOpacity: 0.3 },
    ],
    legends:
      o.series.length > 1
        ? [
            {
              stroke: 'color',
              orient: 'bottom',
              direction: 'horizontal',
              symbolType: 'stroke',
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
                strokeWidth: { value: 2 },
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
                size: { value: values.length > 80 ? 0 : 16 },
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
            // Label on the inner side of the rule, at the bottom, clear of the legend.
            x: { signal: "scale('x', datum.x) + (scale('x', datum.x) > width / 2 ? -4 : 4)" },
            align: { signal: "scale('x', datum.x) > width / 2 ? 'right' : 'left'" },
            y: { signal: 'height - 6' },
            text: { field: 'label' },
            fontSize: { value: 11 },
            fill: { value: '#333' },
          },
        },
      },
    ],
  };
}

/** Confusion matrix heat map: rows are true classes, columns predictions; cells show counts. */
export function confusionSpec(
  matrix: readonly (readonly number[])[],
  classNames: readonly string[],
): Spec {
  const values = matrix.flatMap((row, t) =>
    row.map((count, p) => ({
      truth: classNames[t] ?? String(t),
      predicted: classNames[p] ?? String(p),
      count,
    })),
  );
  const max = Math.max(1, ...values.map((v) => v.count));
  const cell = 34;
  return {
    $schema: 'https://vega.github.io/schema/vega/v6.json',
    width: cell * classNames.length,
    height: cell * classNames.length,
    padding: 8,
    background: 'white',
    title: { text: 'Confusion matrix (test set)', anchor: 'start', fontSize: 14 },
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
            fill: { scale: 'color', field: 'count' },
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
            text: { field: 'count' },
            align: { value: 'center' },
            baseline: { value: 'middle' },
            fontSize: { value: 10 },
            fill: { signal: `datum.count > ${max / 2} ? 'white' : 'black'` },
          },
        },
      },
    ],
  };
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
